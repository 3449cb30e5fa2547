import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/sandbox/emulator.ts';
import { data, type Harness, mcpClient, startHarness, text } from '../harness.ts';

let h: Harness;
let emu: Emulator;
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  h = await startHarness();
  emu = h.sandbox.emulators.mailcow!;
  mcp = await mcpClient(h.clients, { rails: { confirm: 'flag' } });
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});
afterEach(() => emu.clearLog());

const last = () => emu.seen.at(-1)!;
const bodyOf = () => JSON.parse(last().body);

describe('mailcow tools, each one on the wire', () => {
  test('mailcow_list_domains', async () => {
    const r = await mcp.call('mailcow_list_domains');
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent?.total).toBe(2);
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/domains' });
    expect(data(r)).toEqual(r.structuredContent);
  });

  test('mailcow_create_domain fills the documented defaults', async () => {
    const r = await mcp.call('mailcow_create_domain', { domain: 'tools.example', description: 'From a tool' });
    expect(r.structuredContent).toEqual({ type: 'success', msg: 'Domain has been added to system' });
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/domains' });
    expect(bodyOf()).toEqual({
      domain: 'tools.example',
      active: true,
      aliases: 400,
      defquota: 3072,
      description: 'From a tool',
      mailboxes: 10,
      maxquota: 10240,
      quota: 10240,
    });
  });

  test('mailcow_create_domain reports a duplicate as "mailcow 409: …"', async () => {
    const r = await mcp.call('mailcow_create_domain', { domain: 'example.com' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('mailcow 409: Domain example.com already exists');
  });

  test('mailcow_update_domain', async () => {
    await mcp.call('mailcow_update_domain', { domain: 'tools.example', backupmx: true });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/domains/tools.example' });
    expect(bodyOf()).toEqual({ backupmx: true });
  });

  test('mailcow_delete_domain needs confirmation, then sends DELETE', async () => {
    const refused = await mcp.call('mailcow_delete_domain', { domain: 'tools.example' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(
      /^Confirmation required: delete mail domain "tools\.example" \(DELETE \/api\/v1\/domains\/tools\.example\)/,
    );
    expect(emu.seen).toHaveLength(0);
    const done = await mcp.call('mailcow_delete_domain', { domain: 'tools.example', confirm: true });
    expect(done.isError).toBeFalsy();
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/domains/tools.example' });
  });

  test('mailcow_list_mailboxes filters by domain', async () => {
    const all = await mcp.call('mailcow_list_mailboxes');
    expect(all.structuredContent?.total).toBe(3);
    const none = await mcp.call('mailcow_list_mailboxes', { domain: 'example.org' });
    expect(none.structuredContent).toEqual({ items: [], offset: 0, size: 100, total: 0 });
    expect(emu.seen.map((s) => s.path)).toEqual(['/api/v1/mailboxes', '/api/v1/mailboxes']);
  });

  test('mailcow_get_mailbox', async () => {
    const r = await mcp.call('mailcow_get_mailbox', { email: 'info@example.com' });
    expect(r.structuredContent).toMatchObject({ username: 'info@example.com', name: 'Info Desk', quota: 1024 });
    expect(last().path).toBe('/api/v1/mailboxes/info@example.com');
  });

  test('mailcow_get_mailbox on an unknown address is a 404 with the backend message', async () => {
    const r = await mcp.call('mailcow_get_mailbox', { email: 'ghost@example.com' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe("mailcow 404: Mailbox ghost@example.com doesn't exist");
  });

  test('mailcow_create_mailbox never echoes the password', async () => {
    const r = await mcp.call('mailcow_create_mailbox', {
      domain: 'example.com',
      local_part: 'tool.user',
      name: 'Tool User',
      password: 'Pa55-word-xyz',
      quota: 1024,
    });
    expect(r.isError).toBeFalsy();
    expect(bodyOf()).toEqual({
      active: true,
      domain: 'example.com',
      local_part: 'tool.user',
      name: 'Tool User',
      password: 'Pa55-word-xyz',
      quota: 1024,
    });
    expect(JSON.stringify(r)).not.toContain('Pa55-word-xyz');
  });

  test('mailcow_update_mailbox', async () => {
    await mcp.call('mailcow_update_mailbox', { email: 'tool.user@example.com', tls_enforce_in: true, name: 'Renamed' });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/mailboxes/tool.user@example.com' });
    expect(bodyOf()).toEqual({ name: 'Renamed', tls_enforce_in: true });
  });

  test('mailcow_delete_mailbox', async () => {
    expect(text(await mcp.call('mailcow_delete_mailbox', { email: 'tool.user@example.com' }))).toContain(
      'Confirmation required: delete mailbox "tool.user@example.com"',
    );
    expect(emu.seen).toHaveLength(0);
    await mcp.call('mailcow_delete_mailbox', { email: 'tool.user@example.com', confirm: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/mailboxes/tool.user@example.com' });
  });

  test('mailcow_list_aliases filters by domain', async () => {
    const r = await mcp.call('mailcow_list_aliases', { domain: 'example.com' });
    expect(r.structuredContent?.items).toHaveLength(2);
    expect(last().path).toBe('/api/v1/aliases');
  });

  test('mailcow_create_alias, mailcow_update_alias, mailcow_delete_alias', async () => {
    const created = await mcp.call('mailcow_create_alias', { address: 'help@example.com', goto: ['info@example.com'] });
    expect(bodyOf()).toEqual({ address: 'help@example.com', goto: 'info@example.com' });
    const id = created.structuredContent?.id as number;
    expect(id).toBeGreaterThan(0);
    await mcp.call('mailcow_update_alias', { id, goto: ['info@example.com', 'jane.roe@example.com'] });
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/aliases/${id}` });
    expect(bodyOf()).toEqual({ goto: 'info@example.com,jane.roe@example.com' });
    await mcp.call('mailcow_delete_alias', { id, confirm: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/aliases/${id}` });
  });

  test('mailcow sync job tools', async () => {
    const created = await mcp.call('mailcow_create_sync_job', {
      username: 'info@example.com',
      host1: 'imap.legacy.example',
      user1: 'info',
      password1: 'Legacy-pw-1',
      port1: 143,
      enc1: 'PLAIN',
    });
    expect(created.isError).toBeFalsy();
    expect(bodyOf()).toMatchObject({
      username: 'info@example.com',
      host1: 'imap.legacy.example',
      user1: 'info',
      password1: 'Legacy-pw-1',
      port1: 143,
      enc1: 'PLAIN',
      mins_interval: 20,
      active: true,
    });
    const id = created.structuredContent?.id as number;
    const listed = await mcp.call('mailcow_list_sync_jobs', { mailbox: 'info@example.com' });
    expect(listed.structuredContent?.total).toBe(1);
    expect(JSON.stringify(listed)).not.toContain('Legacy-pw-1');
    await mcp.call('mailcow_update_sync_job', { id, active: false });
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/syncjobs/${id}` });
    expect(bodyOf()).toEqual({ active: false });
    await mcp.call('mailcow_delete_sync_job', { id, confirm: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/syncjobs/${id}` });
  });
});

describe('bad input is refused before anything is sent', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['mailcow_create_domain', { domain: 'not a domain' }, 'domain'],
    ['mailcow_create_domain', { domain: 'ok.example', quota: -1 }, 'quota'],
    ['mailcow_create_domain', { domain: 'ok.example', quota: '10' }, 'quota'],
    ['mailcow_update_domain', { domain: '../etc' }, 'domain'],
    ['mailcow_get_mailbox', { email: 'a/b@example.com' }, 'email'],
    ['mailcow_get_mailbox', { email: 'x@example.com?y=1' }, 'email'],
    ['mailcow_get_mailbox', {}, 'email'],
    ['mailcow_create_mailbox', { domain: 'example.com', local_part: 'a@b', name: 'A', password: 'p' }, 'local_part'],
    ['mailcow_create_alias', { address: 'x@example.com', goto: [] }, 'goto'],
    ['mailcow_create_alias', { address: 'x@example.com', goto: ['not-an-email'] }, 'goto'],
    ['mailcow_update_alias', { id: 0 }, 'id'],
    ['mailcow_delete_alias', { id: '1', confirm: true }, 'id'],
    ['mailcow_delete_alias', { id: 1, confirm: 'true' }, 'confirm'],
    [
      'mailcow_create_sync_job',
      { username: 'info@example.com', host1: 'h', user1: 'u', password1: 'p', enc1: 'STARTTLS' },
      'enc1',
    ],
    ['mailcow_list_domains', { unexpected: 1 }, 'unexpected'],
  ];
  test.each(cases)('%s %j names %s', async (name, args, field) => {
    const r = await mcp.call(name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(field);
    expect(emu.seen).toHaveLength(0);
  });
});

describe('confirmation by elicitation', () => {
  const answers = [
    ['decline', { action: 'decline' as const }],
    ['cancel', { action: 'cancel' as const }],
    ['unchecked box', { action: 'accept' as const, content: { confirm: false } }],
  ] as const;
  test.each(answers)('%s sends nothing and says nothing changed', async (_n, answer) => {
    const c = await mcpClient(h.clients, { elicit: () => answer });
    const r = await c.call('mailcow_delete_mailbox', { email: 'jane.roe@example.com', confirm: true });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('Nothing was changed');
    expect(emu.seen).toHaveLength(0);
    await c.close();
  });

  test('accept with the box checked runs the call; the prompt names the request', async () => {
    let asked = '';
    const c = await mcpClient(h.clients, {
      elicit: (p) => {
        asked = p.message;
        return { action: 'accept', content: { confirm: true } };
      },
    });
    const r = await c.call('mailcow_delete_sync_job', { id: 1 });
    expect(r.isError).toBeFalsy();
    expect(asked).toBe('Confirm: delete sync job 1 (DELETE /api/v1/syncjobs/1). Arguments: {"id":1}');
    // The job is read first, for the audit record.
    expect(emu.seen.map((s) => `${s.method} ${s.path}`)).toEqual(['GET /api/v1/syncjobs', 'DELETE /api/v1/syncjobs/1']);
    await c.close();
  });
});
