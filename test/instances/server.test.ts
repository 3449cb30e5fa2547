import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildInstanceClients } from '../../src/instances/clients.ts';
import { type Fleet, parseInstances, parseText, unite } from '../../src/instances/file.ts';
import { toolNamesByBackend } from '../../src/instances/index.ts';
import { type FleetSandbox, startFleetSandboxes, startSandboxes } from '../../src/sandbox/index.ts';
import { allTools } from '../../src/tools/index.ts';
import { data, FAST, text } from '../harness.ts';
import { fleetClient } from './mcp.ts';

const SNAPSHOT = readFileSync(new URL('../__snapshots__/tools-list.json', import.meta.url), 'utf8');
const mailcowTools = allTools.filter((t) => t.toolset === 'mailcow').map((t) => t.name);

// The acceptance set-up: a native-style mailcow limited to example.com, and a read-only REST-style one.
const ACCEPTANCE = `
mailcow:
  prod: { url: https://mail.example.com, api_key: { env: MAILCOW_PROD_KEY }, api_style: native, domains: [example.com] }
  lab:  { url: https://lab.example.net, api_key: { file: /run/secrets/lab_key }, read_only: true }
`;
const fileFleet = async (yaml: string): Promise<Fleet> =>
  parseInstances(await parseText(yaml, 'mailops.yaml'), {
    env: {},
    base: '/',
    toolNames: toolNamesByBackend(),
    sandbox: true,
  }).fleet;

describe('listing', () => {
  test('one instance per backend lists byte for byte as without instances, whatever its name', async () => {
    const sandbox = await startSandboxes();
    try {
      for (const fleet of [
        unite({}, sandbox.configs),
        { mailcow: [{ name: 'prod', config: sandbox.configs.mailcow!, policy: { readOnly: false } }] },
      ] as Fleet[]) {
        const c = await fleetClient(buildInstanceClients(fleet, FAST));
        const { tools } = await c.client.listTools();
        await c.close();
        const expected = (JSON.parse(SNAPSHOT) as Array<{ name: string }>).filter((t) =>
          tools.some((x) => x.name === t.name),
        );
        expect(`${JSON.stringify(tools, null, 1)}\n`).toBe(
          fleet.zammad ? SNAPSHOT : `${JSON.stringify(expected, null, 1)}\n`,
        );
        expect(tools.length).toBe(fleet.zammad ? allTools.length : mailcowTools.length);
      }
    } finally {
      await sandbox.close();
    }
  });

  test('several instances: every tool of the backend takes a required instance, an enum of the names', async () => {
    const s = await startFleetSandboxes(await fileFleet(ACCEPTANCE));
    try {
      const c = await fleetClient(buildInstanceClients(s.fleet, FAST));
      const { tools } = await c.client.listTools();
      const init = c.client.getInstructions();
      await c.close();
      expect(tools.map((t) => t.name)).toEqual(mailcowTools);
      for (const t of tools) {
        const schema = t.inputSchema as { properties: Record<string, unknown>; required?: string[] };
        expect(schema.properties.instance).toEqual({
          type: 'string',
          enum: ['prod', 'lab'],
          description: 'Which mailcow instance',
        });
        expect(schema.required).toContain('instance');
      }
      expect(init).toContain('mailcow instances: prod (only example.com), lab (read-only).');
      const c2 = await fleetClient(buildInstanceClients(s.fleet, FAST));
      const prompt = await c2.client.getPrompt({ name: 'offboard_user', arguments: { email: 'john.doe@example.com' } });
      await c2.close();
      const said = JSON.stringify(prompt.messages);
      expect(said).toContain(
        'mailcow instances: prod (only example.com), lab (read-only). Pass `instance` to every tool',
      );
    } finally {
      await s.close();
    }
  });

  test('a tool offered by no instance is not listed', async () => {
    const s = await startFleetSandboxes(
      await fileFleet(`
mailcow:
  a: { url: https://a.example, api_key: k, tools: [mailcow_list_domains, mailcow_get_mailbox] }
  b: { url: https://b.example, api_key: k, read_only: true, exclude_tools: [mailcow_get_mailbox] }
`),
    );
    try {
      const c = await fleetClient(buildInstanceClients(s.fleet, FAST));
      const { tools } = await c.client.listTools();
      await c.close();
      expect(tools.map((t) => t.name)).toEqual([
        'mailcow_list_domains',
        'mailcow_list_mailboxes',
        'mailcow_get_mailbox',
        'mailcow_list_aliases',
        'mailcow_list_sync_jobs',
      ]);
    } finally {
      await s.close();
    }
  });
});

describe('the acceptance scenario on the sandbox', () => {
  let s: FleetSandbox;
  let mcp: Awaited<ReturnType<typeof fleetClient>>;
  const prod = () => s.emulators['mailcow.prod']!;
  const lab = () => s.emulators['mailcow.lab']!;
  beforeAll(async () => {
    s = await startFleetSandboxes(await fileFleet(ACCEPTANCE));
    mcp = await fleetClient(buildInstanceClients(s.fleet, FAST));
  });
  afterAll(async () => {
    await mcp.close();
    await s.close();
  });
  beforeEach(() => {
    prod().clearLog();
    lab().clearLog();
  });
  const box = { domain: 'example.com', local_part: 'new.hire', name: 'New Hire', password: 'Sandbox-pw-123' };

  test('each instance is its own emulator in its own API style; results carry the instance', async () => {
    const p = await mcp.call('mailcow_list_domains', { instance: 'prod' });
    const l = await mcp.call('mailcow_list_domains', { instance: 'lab' });
    expect(prod().seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/get/domain/all']);
    expect(lab().seen.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v1/domains']);
    // prod is limited to example.com: the list is filtered; lab sees both sample domains.
    expect(p.structuredContent).toMatchObject({ instance: 'prod', total: 1, items: [{ domain: 'example.com' }] });
    expect(l.structuredContent).toMatchObject({ instance: 'lab', total: 2 });
    expect(data(p)).toEqual(p.structuredContent);
  });

  test('creates a mailbox in prod, and only prod sees it', async () => {
    const r = await mcp.call('mailcow_create_mailbox', { instance: 'prod', ...box });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({ type: 'success', instance: 'prod' });
    expect(prod().seen.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /api/v1/add/mailbox']);
    expect(lab().seen).toEqual([]);
    const got = await mcp.call('mailcow_get_mailbox', { instance: 'prod', email: 'new.hire@example.com' });
    expect(got.structuredContent).toMatchObject({ username: 'new.hire@example.com', instance: 'prod' });
    const other = await mcp.call('mailcow_get_mailbox', { instance: 'lab', email: 'new.hire@example.com' });
    expect(other.isError).toBe(true);
    expect(lab().seen.map((x) => `${x.method} ${x.path}`)).toEqual(['GET /api/v1/mailboxes/new.hire@example.com']);
  });

  test('a mailbox in other.org is refused with nothing sent', async () => {
    const r = await mcp.call('mailcow_create_mailbox', { instance: 'prod', ...box, domain: 'other.org' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      'Refused: instance prod may only touch example.com; domain (other.org) is outside. Nothing was sent.',
    );
    expect(prod().seen).toEqual([]);
  });

  test('any write on the read-only lab is refused with nothing sent, though prod allows the tool', async () => {
    for (const [tool, args] of [
      ['mailcow_create_mailbox', box],
      ['mailcow_update_mailbox', { email: 'info@example.com', name: 'X' }],
      ['mailcow_delete_domain', { domain: 'example.org', confirm: true }],
      ['mailcow_create_alias', { address: 'a@example.com', goto: ['info@example.com'] }],
    ] as const) {
      const r = await mcp.call(tool, { instance: 'lab', ...args });
      expect(r.isError).toBe(true);
      expect(text(r)).toBe('Refused: mailcow instance lab is read-only. Nothing was sent.');
    }
    expect(lab().seen).toEqual([]);
    expect(prod().seen).toEqual([]);
  });

  test('audit records name the instance of every write: done, refused by policy, refused by scope', async () => {
    const records = mcp.audit().map((r) => [r.tool, r.instance, r.outcome, r.reason]);
    expect(records).toContainEqual(['mailcow_create_mailbox', 'prod', 'done', undefined]);
    expect(records).toContainEqual(['mailcow_create_mailbox', 'prod', 'refused', 'outside the domain scope']);
    expect(records).toContainEqual(['mailcow_create_mailbox', 'lab', 'refused', 'instance is read-only']);
    expect(records).toContainEqual(['mailcow_delete_domain', 'lab', 'refused', 'instance is read-only']);
    expect(mcp.audit().every((r) => r.instance === 'prod' || r.instance === 'lab')).toBe(true);
  });

  test('without an instance, or with an unknown one, the call is invalid and nothing is sent', async () => {
    for (const args of [{}, { instance: 'staging' }]) {
      const r = await mcp.call('mailcow_list_domains', args);
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('instance');
    }
    expect([...prod().seen, ...lab().seen]).toEqual([]);
  });
});

describe('per-instance tool lists', () => {
  test('a tool excluded for one instance is refused for it with nothing sent, allowed for the other', async () => {
    const s = await startFleetSandboxes(
      await fileFleet(`
zammad:
  support: { url: https://a.example, token: t }
  sales: { url: https://b.example, token: t, exclude_tools: [zammad_delete_ticket] }
  desk: { url: https://c.example, token: t, tools: [zammad_get_ticket, zammad_list_tickets] }
`),
    );
    const mcp = await fleetClient(buildInstanceClients(s.fleet, FAST));
    try {
      const sales = await mcp.call('zammad_delete_ticket', { instance: 'sales', id: 1, confirm: true });
      expect(text(sales)).toBe(
        'Refused: zammad instance sales does not offer zammad_delete_ticket (in its exclude_tools). Nothing was sent.',
      );
      const desk = await mcp.call('zammad_search_tickets', { instance: 'desk', query: 'a' });
      expect(text(desk)).toBe(
        'Refused: zammad instance desk does not offer zammad_search_tickets (not in its tools). Nothing was sent.',
      );
      expect(s.emulators['zammad.sales']!.seen).toEqual([]);
      expect(s.emulators['zammad.desk']!.seen).toEqual([]);
      const ok = await mcp.call('zammad_get_ticket', { instance: 'desk', id: 1 });
      expect(ok.structuredContent).toMatchObject({ id: 1, instance: 'desk' });
      const del = await mcp.call('zammad_delete_ticket', { instance: 'support', id: 1, confirm: true });
      expect(del.isError).toBeFalsy();
      expect(s.emulators['zammad.support']!.seen.map((x) => x.method)).toContain('DELETE');
    } finally {
      await mcp.close();
      await s.close();
    }
  });
});
