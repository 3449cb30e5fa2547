// Bar 2: no destructive call reaches a backend without the user's confirmation, whatever the arguments
// or the elicitation answer.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { allTools } from '../../src/tools/index.ts';
import { type Harness, type McpOptions, mcpClient, startHarness, text } from '../harness.ts';
import { validArgs } from './args.ts';

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
  return name === 'zimbra_modify_contact' ? { ...validArgs(t), replace: true } : validArgs(t);
}

const destructive = allTools.filter((t) => t.hints.destructive).map((t) => t.name);
const withoutElicitation: Array<[string, Record<string, unknown>]> = [
  ['no confirm', {}],
  ['confirm: false', { confirm: false }],
  ['confirm: "true"', { confirm: 'true' }],
  ['confirm: 1', { confirm: 1 }],
];
const answers: Array<[string, NonNullable<McpOptions['elicit']>]> = [
  ['declined', () => ({ action: 'decline' })],
  ['cancelled', () => ({ action: 'cancel' })],
  ['accepted with the box unchecked', () => ({ action: 'accept', content: { confirm: false } })],
  ['accepted without content', () => ({ action: 'accept' })],
  ['accepted with a string', () => ({ action: 'accept', content: { confirm: 'true' } })],
];

test('every destructive tool of the catalog is covered', () => {
  expect(destructive.length).toBeGreaterThanOrEqual(14);
});

describe.each(destructive)('%s', (name) => {
  test.each(withoutElicitation)('without elicitation, %s: nothing is sent', async (_label, extra) => {
    const c = await mcpClient(h.clients);
    clear();
    const r = await c.call(name, { ...gatedArgs(name), ...extra });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(
      typeof extra.confirm === 'string' || typeof extra.confirm === 'number' ? /confirm/ : /^Confirmation required: /,
    );
    expect(sent()).toHaveLength(0);
    await c.close();
  });

  test.each(answers)('with elicitation %s (even with confirm: true): nothing is sent', async (_label, elicit) => {
    const c = await mcpClient(h.clients, { elicit });
    clear();
    const r = await c.call(name, { ...gatedArgs(name), confirm: true });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('Nothing was changed');
    expect(sent()).toHaveLength(0);
    await c.close();
  });
});
