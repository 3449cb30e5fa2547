// Issue 12, audit log: one JSON line per call of a tool that is not read-only, flushed before the answer,
// with the record as it was before an update or delete; a log that cannot be written refuses the write.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RailsConfig } from '../../src/config.ts';
import { setLogLevel, setLogSink } from '../../src/log.ts';
import type { AuditRecord } from '../../src/rails/audit.ts';
import { SANDBOX_KEYS } from '../../src/sandbox/index.ts';
import { type Harness, mcpClient, startHarness, text, tokenOf } from '../harness.ts';

let h: Harness;
let dir: string;
let file: string;
const logs: string[] = [];
beforeAll(async () => {
  h = await startHarness(undefined, { unlimited: true });
  dir = mkdtempSync(join(tmpdir(), 'mailops-audit-'));
  file = join(dir, 'state', 'mailops-mcp', 'audit.jsonl');
  setLogLevel('info');
  setLogSink((l) => logs.push(l));
});
afterAll(async () => {
  setLogLevel('silent');
  await h.close();
});

const rails = (): Partial<RailsConfig> => ({ auditLog: file, confirm: 'token' });
const records = () =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord);
const last = () => records().at(-1) as AuditRecord;
const sent = () => Object.values(h.sandbox.emulators).flatMap((e) => e.seen);
const clear = () => {
  for (const e of Object.values(h.sandbox.emulators)) e.clearLog();
};

async function aliasId(c: Awaited<ReturnType<typeof mcpClient>>, address: string): Promise<number> {
  const r = await c.call('mailcow_create_alias', { address, goto: ['info@example.com'] });
  expect(r.isError, text(r)).toBeFalsy();
  const items = (await c.call('mailcow_list_aliases', {})).structuredContent?.items as Array<Record<string, unknown>>;
  return Number(items.find((a) => a.address === address)?.id);
}

test('a delete takes two calls and the record shows the alias as it was', async () => {
  const c = await mcpClient(h.clients, { rails: rails() });
  const id = await aliasId(c, 'audit.alias@example.com');
  const n = records().length;
  expect(last()).toMatchObject({ tool: 'mailcow_create_alias', outcome: 'done' });
  const preview = await c.call('mailcow_delete_alias', { id });
  expect(records()).toHaveLength(n + 1);
  expect(last()).toMatchObject({
    tool: 'mailcow_delete_alias',
    outcome: 'refused',
    reason: 'unconfirmed (no token)',
  });
  await c.call('mailcow_delete_alias', { id, confirm: tokenOf(preview) });
  const r = last();
  expect(r).toMatchObject({
    tool: 'mailcow_delete_alias',
    backend: 'mailcow',
    outcome: 'done',
    arguments: { id },
    requests: [`DELETE /api/v1/aliases/${id}`],
    caller: { transport: 'stdio', client: { name: 'test', version: '1.0.0' } },
    before: { id, address: 'audit.alias@example.com', goto: 'info@example.com' },
  });
  expect(typeof r.duration_ms).toBe('number');
  expect(Number.isNaN(Date.parse(r.time))).toBe(false);
  expect(JSON.stringify(r)).not.toContain('confirm');
  await c.close();
});

test('an update records the record before the change; reads are not recorded', async () => {
  const c = await mcpClient(h.clients, { rails: rails() });
  const id = await aliasId(c, 'audit.update@example.com');
  await c.call('mailcow_update_alias', { id, active: false });
  expect(last()).toMatchObject({ tool: 'mailcow_update_alias', outcome: 'done', before: { id, active: true } });
  const n = records().length;
  await c.call('mailcow_list_domains', {});
  expect(records()).toHaveLength(n);
  await c.close();
});

test('failed and invalid writes are recorded, and no secret reaches the file', async () => {
  const c = await mcpClient(h.clients, { rails: rails() });
  const failed = await c.call('mailcow_update_sync_job', { id: 4242, active: false });
  expect(failed.isError).toBe(true);
  expect(last()).toMatchObject({ outcome: 'failed', error: text(failed) });
  clear();
  const invalid = await c.call('mailcow_delete_alias', { id: 'x' });
  expect(invalid.isError).toBe(true);
  expect(text(invalid)).toContain('id');
  expect(last()).toMatchObject({ tool: 'mailcow_delete_alias', outcome: 'refused', reason: 'invalid input' });
  expect(sent()).toHaveLength(0);
  await c.call('mailcow_create_mailbox', {
    domain: 'example.com',
    local_part: 'audit.secret',
    name: 'Audit',
    password: 'Very-secret-pw-4711',
  });
  expect(last()).toMatchObject({ tool: 'mailcow_create_mailbox', arguments: { password: '[redacted]' } });
  await c.call('mailcow_update_mailbox', { email: 'audit.secret@example.com', password: 'Other-secret-pw-4712' });
  const all = readFileSync(file, 'utf8');
  for (const s of ['Very-secret-pw-4711', 'Other-secret-pw-4712', ...Object.values(SANDBOX_KEYS)])
    expect(all).not.toContain(s);
  await c.close();
});

test('the file is 0600 in a 0700 directory, and each write logs one info line', async () => {
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(statSync(join(dir, 'state', 'mailops-mcp')).mode & 0o777).toBe(0o700);
  logs.length = 0;
  const c = await mcpClient(h.clients, { rails: rails() });
  await c.call('zammad_add_tag', { ticket_id: 1, tag: 'audited' });
  expect(logs.filter((l) => / info tool call /.test(l))).toHaveLength(1);
  expect(logs.join('\n')).toContain('"outcome":"done"');
  expect(logs.join('\n')).not.toContain('not confirmed');
  await c.close();
});

test('the resource mailops://audit/recent holds the last records', async () => {
  const c = await mcpClient(h.clients, { rails: rails() });
  const r = await c.client.readResource({ uri: 'mailops://audit/recent' });
  const list = JSON.parse((r.contents[0] as { text: string }).text) as AuditRecord[];
  expect(list.length).toBeGreaterThan(3);
  expect(list.length).toBeLessThanOrEqual(50);
  expect(list.at(-1)).toEqual(last());
  await c.close();
});

test('a write whose record cannot be written is refused, naming the path; nothing is sent', async () => {
  const blocker = join(dir, 'not-a-dir');
  writeFileSync(blocker, '');
  const bad = join(blocker, 'audit.jsonl');
  const c = await mcpClient(h.clients, { rails: { auditLog: bad, confirm: 'flag' } });
  clear();
  const r = await c.call('mailcow_delete_alias', { id: 1, confirm: true });
  expect(r.isError).toBe(true);
  expect(text(r)).toContain(bad);
  expect(sent()).toHaveLength(0);
  // Reads do not need the log.
  expect((await c.call('mailcow_list_domains', {})).isError).toBeFalsy();
  await c.close();
});
