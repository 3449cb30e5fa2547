// Bar 2 (issue 12): no destructive call reaches a backend without the user's confirmation of exactly that
// call. Without elicitation the only way through is the token the server itself minted for these very
// arguments and this caller, once, before it expires; with elicitation only a checked accept.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RailsConfig } from '../../src/config.ts';
import { Tokens } from '../../src/rails/token.ts';
import { allTools } from '../../src/tools/index.ts';
import { type Harness, type McpOptions, mcpClient, startHarness, text, tokenOf } from '../harness.ts';
import { validArgs } from './args.ts';

const KEY = randomBytes(32);
const TTL = 600;
const rails: Partial<RailsConfig> = { confirm: 'token', stateKey: KEY, confirmTtlS: TTL };

let h: Harness;
beforeAll(async () => {
  h = await startHarness(undefined, { unlimited: true });
});
afterAll(() => h.close());

const sent = () => Object.values(h.sandbox.emulators).flatMap((e) => e.seen);
const clear = () => {
  for (const e of Object.values(h.sandbox.emulators)) e.clearLog();
};

/** Arguments that make each destructive tool need confirmation (ModifyContact only when it replaces). */
function gatedArgs(name: string): Record<string, unknown> {
  const t = allTools.find((x) => x.name === name)!;
  if (name === 'zimbra_modify_contact') return { ...validArgs(t), replace: true };
  if (name === 'zimbra_move_contacts') return { ...validArgs(t), folder_id: 3 };
  return validArgs(t);
}

/** The same tool with one argument changed. */
function otherArgs(args: Record<string, unknown>): Record<string, unknown> {
  const [k, v] = Object.entries(args)[0]!;
  return { ...args, [k]: typeof v === 'number' ? v + 1 : Array.isArray(v) ? [...v, '999'] : `other-${String(v)}` };
}

const destructive = allTools.filter((t) => t.hints.destructive).map((t) => t.name);

/** A `confirm` value for each refusal case; `undefined` means the argument is left out. */
const refusals: Array<[string, (name: string, args: Record<string, unknown>) => unknown]> = [
  ['no token', () => undefined],
  ['confirm: true', () => true],
  ['confirm: false', () => false],
  ['confirm: "true"', () => 'true'],
  ['a token for other arguments', (name, args) => new Tokens(KEY, TTL).mint(name, otherArgs(args), 'stdio')],
  ['a token for another tool', (_name, args) => new Tokens(KEY, TTL).mint('mailcow_list_domains', args, 'stdio')],
  ['a token for another caller', (name, args) => new Tokens(KEY, TTL).mint(name, args, 'token:0123456789ab')],
  [
    'an expired token',
    (name, args) => new Tokens(KEY, TTL, () => Date.now() - (TTL + 1) * 1000).mint(name, args, 'stdio'),
  ],
  ['a token minted under another key', (name, args) => new Tokens(randomBytes(32), TTL).mint(name, args, 'stdio')],
  ['a forged token', () => Buffer.alloc(48, 7).toString('base64url')],
];

const answers: Array<[string, NonNullable<McpOptions['elicit']>]> = [
  ['declined', () => ({ action: 'decline' })],
  ['cancelled', () => ({ action: 'cancel' })],
  ['accepted with the box unchecked', () => ({ action: 'accept', content: { confirm: false } })],
  ['accepted without content', () => ({ action: 'accept' })],
  ['accepted with a string', () => ({ action: 'accept', content: { confirm: 'true' } })],
];

test('every destructive tool of the catalog is covered, trash moves included', () => {
  expect(destructive.length).toBeGreaterThanOrEqual(15);
  expect(destructive).toContain('zimbra_move_contacts');
});

describe.each(destructive)('%s', (name) => {
  test.each(refusals)(
    'without elicitation, %s: nothing is sent, the answer carries a fresh token',
    async (_l, make) => {
      const c = await mcpClient(h.clients, { rails });
      const args = gatedArgs(name);
      const confirm = make(name, args);
      clear();
      const r = await c.call(name, confirm === undefined ? args : { ...args, confirm });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^Confirmation required: /);
      expect(text(r)).toMatch(/confirm: "[A-Za-z0-9_-]{64}"$/);
      if (typeof confirm === 'string') expect(tokenOf(r)).not.toBe(confirm);
      expect(sent()).toHaveLength(0);
      await c.close();
    },
  );

  test('a spent token: the first use runs, the second sends nothing', async () => {
    const c = await mcpClient(h.clients, { rails });
    const args = gatedArgs(name);
    const token = tokenOf(await c.call(name, args));
    await c.call(name, { ...args, confirm: token });
    clear();
    const again = await c.call(name, { ...args, confirm: token });
    expect(text(again)).toMatch(/^Confirmation required: /);
    expect(tokenOf(again)).not.toBe(token);
    expect(sent()).toHaveLength(0);
    await c.close();
  });

  test('MAILOPS_CONFIRM=flag: confirm: true runs, a missing confirm does not', async () => {
    const c = await mcpClient(h.clients, { rails: { ...rails, confirm: 'flag' } });
    const args = gatedArgs(name);
    clear();
    const r = await c.call(name, args);
    expect(text(r)).toMatch(/^Confirmation required: .*call again with confirm: true\.$/);
    expect(sent()).toHaveLength(0);
    await c.call(name, { ...args, confirm: true });
    expect(sent().length).toBeGreaterThan(0);
    await c.close();
  });

  test.each(answers)('with elicitation %s (even with confirm: true): nothing is sent', async (_label, elicit) => {
    const c = await mcpClient(h.clients, { elicit, rails });
    clear();
    const r = await c.call(name, { ...gatedArgs(name), confirm: true });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('Nothing was changed');
    expect(sent()).toHaveLength(0);
    await c.close();
  });
});

test('the token from the answer runs exactly that call', async () => {
  const c = await mcpClient(h.clients, { rails });
  const created = await c.call('mailcow_create_alias', {
    address: 'gate-token@example.com',
    goto: ['info@example.com'],
  });
  expect(created.isError).toBeFalsy();
  const alias = (await c.call('mailcow_list_aliases', {})).structuredContent?.items as Array<Record<string, unknown>>;
  const id = Number(alias.find((a) => a.address === 'gate-token@example.com')?.id);
  clear();
  const preview = await c.call('mailcow_delete_alias', { id });
  expect(text(preview)).toMatch(
    new RegExp(`^Confirmation required: delete alias ${id} \\(DELETE /api/v1/aliases/${id}\\)`),
  );
  expect(sent()).toHaveLength(0);
  const done = await c.call('mailcow_delete_alias', { id, confirm: tokenOf(preview) });
  expect(done.isError).toBeFalsy();
  // The alias is read first, for the audit record's `before`.
  expect(sent().map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v1/aliases', `DELETE /api/v1/aliases/${id}`]);
  await c.close();
});

test('zimbra_move_contacts outside Trash needs no confirmation', async () => {
  const c = await mcpClient(h.clients, { rails });
  const r = await c.call('zimbra_move_contacts', { ids: ['257'], folder_id: 7 });
  expect(r.isError).toBeFalsy();
  await c.close();
});
