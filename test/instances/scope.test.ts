import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildInstanceClients } from '../../src/instances/clients.ts';
import type { InstanceClients } from '../../src/rails/instance.ts';
import { type Carrier, SCOPE, scopeRefusal } from '../../src/rails/scope.ts';
import type { Sandbox } from '../../src/sandbox/index.ts';
import { startSandboxes } from '../../src/sandbox/index.ts';
import { allTools } from '../../src/tools/index.ts';
import { toolInput } from '../../src/tools/register.ts';
import { FAST, text } from '../harness.ts';
import { validArgs } from '../robustness/args.ts';
import { fleetClient } from './mcp.ts';

// Two instances on the same emulators: `scoped` may only touch example.com, `open` may touch anything
// (it plants records in example.org for the id-based tools to look up).
const scopedTools = allTools.filter((t) => t.toolset === 'mailcow' || t.toolset === 'rackspace');
const OUT: Record<Carrier, unknown> = {
  domain: 'other.org',
  address: 'someone@other.org',
  addresses: ['info@example.com', 'someone@other.org'],
};
const REFUSED = /^Refused: instance scoped may only touch example\.com; .+\. Nothing was sent\.$/;

let sandbox: Sandbox;
let fleet: InstanceClients;
let mcp: Awaited<ReturnType<typeof fleetClient>>;
const emu = (toolset: string) => sandbox.emulators[toolset]!;
const ids = { alias: 0, syncjob: 0 };

beforeAll(async () => {
  sandbox = await startSandboxes('127.0.0.1', { unlimited: true });
  const { mailcow, rackspace } = sandbox.configs;
  const pair = <C>(config: C) => [
    { name: 'scoped', config, policy: { readOnly: false, domains: ['example.com'] } },
    { name: 'open', config, policy: { readOnly: false } },
  ];
  fleet = buildInstanceClients({ mailcow: pair(mailcow!), rackspace: pair(rackspace!) }, FAST);
  mcp = await fleetClient(fleet);
  const open = (tool: string, args: Record<string, unknown>) => mcp.call(tool, { instance: 'open', ...args });
  await open('mailcow_create_mailbox', {
    domain: 'example.org',
    local_part: 'zed',
    name: 'Zed',
    password: 'Pw-12345678',
  });
  await open('mailcow_create_alias', { address: 'sales@example.org', goto: ['zed@example.org'] });
  await open('mailcow_create_sync_job', {
    username: 'zed@example.org',
    host1: 'imap.x.example',
    user1: 'z',
    password1: 'p',
  });
  const aliases = (await open('mailcow_list_aliases', {})).structuredContent?.items as Array<Record<string, unknown>>;
  const jobs = (await open('mailcow_list_sync_jobs', {})).structuredContent?.items as Array<Record<string, unknown>>;
  ids.alias = Number(aliases.find((a) => a.address === 'sales@example.org')?.id);
  ids.syncjob = Number(jobs.find((j) => j.username === 'zed@example.org')?.id);
});
afterAll(async () => {
  await mcp.close();
  await sandbox.close();
});
beforeEach(() => {
  emu('mailcow').clearLog();
  emu('rackspace').clearLog();
});

describe('domain scope', () => {
  test('every mailcow and Rackspace tool has a rule, naming only arguments the tool takes', () => {
    expect(Object.keys(SCOPE).sort()).toEqual(scopedTools.map((t) => t.name).sort());
    for (const t of scopedTools) {
      const rule = SCOPE[t.name]!;
      for (const arg of Object.keys(rule.args)) expect(Object.keys(t.input.shape), t.name).toContain(arg);
      // Each tool is covered somehow: arguments, a record lookup, or a filtered list.
      expect(Object.keys(rule.args).length > 0 || rule.lookup || rule.rows, t.name).toBeTruthy();
    }
    expect(ids.alias).toBeGreaterThan(0);
    expect(ids.syncjob).toBeGreaterThan(0);
  });

  test('calls inside the scope pass the rail (the sample arguments are in example.com or robust.example)', async () => {
    for (const t of scopedTools) {
      const at = fleet[t.toolset]![0]!;
      const why = await scopeRefusal(t.name, validArgs(t), {
        instance: 'scoped',
        domains: ['example.com', 'robust.example'],
        client: at.client,
      });
      expect(why, t.name).toBeUndefined();
    }
  });

  test('every out-of-scope argument of every mailcow and Rackspace tool is refused with nothing sent', async () => {
    let cases = 0;
    for (const t of scopedTools) {
      for (const [arg, carrier] of Object.entries(SCOPE[t.name]!.args)) {
        const args = { ...validArgs(t), [arg]: OUT[carrier], ...(t.hints.destructive && { confirm: true }) };
        // Valid input: it is the scope rail that refuses, not the schema.
        expect(toolInput(t).safeParse(args).success, `${t.name} ${arg}`).toBe(true);
        const r = await mcp.call(t.name, { instance: 'scoped', ...args });
        expect(text(r), `${t.name} ${arg}`).toMatch(REFUSED);
        expect(text(r)).toContain(carrier === 'addresses' ? `${arg}[1] (someone@other.org) is outside` : `${arg} (`);
        expect(emu(t.toolset).seen, `${t.name} ${arg}`).toEqual([]);
        cases++;
      }
    }
    const catchAll = await mcp.call('mailcow_create_alias', {
      instance: 'scoped',
      address: '@other.org',
      goto: ['info@example.com'],
    });
    expect(text(catchAll)).toMatch(REFUSED);
    expect(emu('mailcow').seen).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(30);
  });

  test('aliases and sync jobs named by id are looked up first; another domain is refused with no write sent', async () => {
    for (const t of scopedTools.filter((x) => SCOPE[x.name]!.lookup)) {
      const id = SCOPE[t.name]!.lookup === 'alias' ? ids.alias : ids.syncjob;
      const r = await mcp.call(t.name, {
        instance: 'scoped',
        ...validArgs(t),
        id,
        ...(t.hints.destructive && { confirm: true }),
      });
      expect(text(r), t.name).toMatch(REFUSED);
      expect(text(r)).toMatch(/belongs to (sales|zed)@example\.org, which is outside/);
      const missing = await mcp.call(t.name, {
        instance: 'scoped',
        ...validArgs(t),
        id: 99_999,
        ...(t.hints.destructive && { confirm: true }),
      });
      expect(text(missing)).toMatch(/was not found\. Nothing was sent\.$/);
      expect(
        emu('mailcow').seen.every((s) => s.method === 'GET'),
        t.name,
      ).toBe(true);
      emu('mailcow').clearLog();
    }
  });

  test('list results are filtered to the allowed domains', async () => {
    for (const [tool, field] of [
      ['mailcow_list_domains', 'domain'],
      ['mailcow_list_mailboxes', 'username'],
      ['mailcow_list_aliases', 'address'],
      ['mailcow_list_sync_jobs', 'username'],
    ] as const) {
      const scoped = (await mcp.call(tool, { instance: 'scoped' })).structuredContent!;
      const open = (await mcp.call(tool, { instance: 'open' })).structuredContent!;
      const domains = (r: Record<string, unknown>) =>
        new Set((r.items as Array<Record<string, string>>).map((i) => String(i[field]).split('@').pop()));
      expect([...domains(scoped)], tool).toEqual(['example.com']);
      expect(domains(open).has('example.org'), tool).toBe(true);
      expect(scoped.total).toBe((scoped.items as unknown[]).length);
      expect(scoped.instance).toBe('scoped');
    }
  });
});
