import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import * as z from 'zod';
import { MailcowNative } from '../../src/backends/mailcow/native.ts';
import { mailcowNativeEmulator } from '../../src/sandbox/mailcow/native.ts';
import { FAST, mcpClient, text } from '../harness.ts';

const RW = 'ABCDEF-123456-ABCDEF-123456-ABCDEF';
const RO = 'FEDCBA-654321-FEDCBA-654321-FEDCBA';
const emu = mailcowNativeEmulator({ keys: { rw: RW, ro: RO } });
let mcp: Awaited<ReturnType<typeof mcpClient>>;
let ro: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  const url = await emu.listen();
  mcp = await mcpClient(
    { mailcow: new MailcowNative({ url, apiKey: RW, style: 'native' }, FAST) },
    { rails: { confirm: 'flag' } },
  );
  ro = await mcpClient({ mailcow: new MailcowNative({ url, apiKey: RO, style: 'native' }, FAST) });
});
afterAll(async () => {
  await mcp.close();
  await ro.close();
  await emu.close();
});
afterEach(() => emu.clearLog());

const last = () => emu.seen.at(-1)!;
const sent = () => `${last().method} ${last().path}`;
const body = () => JSON.parse(last().body);

describe('every mailcow tool in native style', () => {
  test('mailcow_list_domains: GET get/domain/all, quotas shown in MiB like the REST style', async () => {
    const r = await mcp.call('mailcow_list_domains');
    expect(sent()).toBe('GET /api/v1/get/domain/all');
    expect(last().headers['x-api-key']).toBe(RW);
    expect(last().headers.authorization).toBeUndefined();
    expect((r.structuredContent?.items as unknown[] | undefined)?.[0]).toMatchObject({
      domain: 'example.com',
      active: true,
      aliases: 400,
      mailboxes: 10,
      defquota: 3072,
      maxquota: 10240,
      quota: 10240,
      mailboxes_in_domain: 3,
    });
  });

  test('mailcow_create_domain: POST add/domain with the defaults, MiB on the wire', async () => {
    const r = await mcp.call('mailcow_create_domain', { domain: 'native.example', maxquota: 2048, defquota: 1024 });
    expect(sent()).toBe('POST /api/v1/add/domain');
    expect(body()).toEqual({
      domain: 'native.example',
      active: true,
      aliases: 400,
      defquota: 1024,
      mailboxes: 10,
      maxquota: 2048,
      quota: 10240,
    });
    // add/domain makes the template's DKIM key first (functions.mailbox.inc.php mailbox('add', 'domain')).
    expect(r.structuredContent).toEqual({
      type: 'success',
      msg: 'DKIM key native.example has been saved (dkim_added); Added domain native.example (domain_added)',
    });
  });

  test('mailcow_update_domain: POST edit/domain with {items, attr}', async () => {
    await mcp.call('mailcow_update_domain', { domain: 'native.example', description: 'Edited', active: false });
    expect(sent()).toBe('POST /api/v1/edit/domain');
    expect(body()).toEqual({ items: ['native.example'], attr: { description: 'Edited', active: false } });
  });

  test('mailcow_create_mailbox and mailcow_get_mailbox: quota sent in MiB, read back in MiB', async () => {
    await mcp.call('mailcow_create_mailbox', {
      domain: 'native.example',
      local_part: 'n1',
      name: 'N One',
      password: 'Native-pw-1',
      quota: 512,
    });
    expect(sent()).toBe('POST /api/v1/add/mailbox');
    expect(body()).toEqual({
      local_part: 'n1',
      domain: 'native.example',
      name: 'N One',
      password: 'Native-pw-1',
      password2: 'Native-pw-1',
      quota: 512,
      active: true,
    });
    const r = await mcp.call('mailcow_get_mailbox', { email: 'n1@native.example' });
    expect(sent()).toBe('GET /api/v1/get/mailbox/n1@native.example');
    expect(r.structuredContent).toMatchObject({
      username: 'n1@native.example',
      quota: 512,
      active: true,
      name: 'N One',
    });
  });

  test('mailcow_list_mailboxes with a domain uses get/mailbox/all/{domain}', async () => {
    const r = await mcp.call('mailcow_list_mailboxes', { domain: 'native.example' });
    expect(sent()).toBe('GET /api/v1/get/mailbox/all/native.example');
    expect(r.structuredContent).toMatchObject({ total: 1 });
    await mcp.call('mailcow_list_mailboxes');
    expect(sent()).toBe('GET /api/v1/get/mailbox/all');
  });

  test('mailcow_update_mailbox: edit/mailbox repeats the password as password2', async () => {
    await mcp.call('mailcow_update_mailbox', { email: 'n1@native.example', password: 'Native-pw-2', quota: 256 });
    expect(sent()).toBe('POST /api/v1/edit/mailbox');
    expect(body()).toEqual({
      items: ['n1@native.example'],
      attr: { password: 'Native-pw-2', quota: 256, password2: 'Native-pw-2' },
    });
  });

  test('aliases: add/alias, get/alias/all/{domain}, edit/alias, delete/alias with a string id array', async () => {
    const created = await mcp.call('mailcow_create_alias', {
      address: 'team@native.example',
      goto: ['n1@native.example', 'info@example.com'],
    });
    expect(sent()).toBe('POST /api/v1/add/alias');
    // add/alias stores a missing flag as 0: the form's defaults go along (templates/modals/mailbox.twig).
    expect(body()).toEqual({
      address: 'team@native.example',
      goto: 'n1@native.example,info@example.com',
      active: true,
      sogo_visible: true,
      sender_allowed: true,
    });
    const id = created.structuredContent?.id as number;
    expect(id).toBeGreaterThan(0);
    const listed = await mcp.call('mailcow_list_aliases', { domain: 'native.example' });
    expect(sent()).toBe('GET /api/v1/get/alias/all/native.example');
    expect(listed.structuredContent?.items).toEqual([
      expect.objectContaining({ id, address: 'team@native.example', active: true }),
    ]);
    await mcp.call('mailcow_update_alias', { id, active: false });
    expect(body()).toEqual({ items: [String(id)], attr: { active: false } });
    const gated = await mcp.call('mailcow_delete_alias', { id });
    expect(text(gated)).toBe(
      `Confirmation required: delete alias ${id} (POST /api/v1/delete/alias ["${id}"]). Arguments: {"id":${id}}. Nothing was sent. Ask the user, then call again with confirm: true.`,
    );
    await mcp.call('mailcow_delete_alias', { id, confirm: true });
    expect(sent()).toBe('POST /api/v1/delete/alias');
    expect(body()).toEqual([String(id)]);
  });

  test('sync jobs: add/syncjob with mailcow field names, get/syncjobs/{mailbox}/no_log, edit, delete', async () => {
    const r = await mcp.call('mailcow_create_sync_job', {
      username: 'n1@native.example',
      host1: 'imap.old.example',
      user1: 'n1',
      password1: 'Src-pw-9',
      port1: 993,
      enc1: 'SSL',
      mins_interval: 30,
      delete2duplicates: true,
    });
    expect(r.isError).toBeFalsy();
    expect(sent()).toBe('POST /api/v1/add/syncjob');
    expect(body()).toEqual({
      username: 'n1@native.example',
      host1: 'imap.old.example',
      user1: 'n1',
      password1: 'Src-pw-9',
      port1: '993',
      enc1: 'SSL',
      mins_interval: 30,
      subfolder2: '',
      maxage: 0,
      maxbytespersecond: 0,
      exclude: '(?i)spam|(?i)junk',
      delete1: false,
      delete2: false,
      delete2duplicates: true,
      automap: true,
      skipcrossduplicates: false,
      subscribeall: true,
      active: true,
    });
    const listed = await mcp.call('mailcow_list_sync_jobs', { mailbox: 'n1@native.example' });
    expect(sent()).toBe('GET /api/v1/get/syncjobs/n1@native.example/no_log');
    const job = (listed.structuredContent?.items as Array<Record<string, unknown>> | undefined)?.[0] ?? {};
    expect(job).toMatchObject({
      username: 'n1@native.example',
      enc1: 'SSL',
      port1: 993,
      mins_interval: 30,
      delete2duplicates: true,
    });
    await mcp.call('mailcow_update_sync_job', { id: job.id, mins_interval: 60 });
    expect(body()).toEqual({ items: [String(job.id)], attr: { mins_interval: 60 } });
    await mcp.call('mailcow_delete_sync_job', { id: job.id, confirm: true });
    expect(body()).toEqual([String(job.id)]);
    await mcp.call('mailcow_list_sync_jobs');
    expect(sent()).toBe('GET /api/v1/get/syncjobs/all/no_log');
  });

  test('mailcow_delete_mailbox and mailcow_delete_domain: delete/… with an id array', async () => {
    await mcp.call('mailcow_delete_mailbox', { email: 'n1@native.example', confirm: true });
    expect(sent()).toBe('POST /api/v1/delete/mailbox');
    expect(body()).toEqual(['n1@native.example']);
    const r = await mcp.call('mailcow_delete_domain', { domain: 'native.example', confirm: true });
    expect(r.isError).toBeFalsy();
    expect(body()).toEqual(['native.example']);
  });
});

describe('native failures', () => {
  test('"200 but danger": a duplicate domain is a tool error in words, with the key', async () => {
    const r = await mcp.call('mailcow_create_domain', { domain: 'example.com' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('mailcow: Domain example.com already exists (domain_exists)');
    expect(emu.seen).toHaveLength(1);
  });

  test('a missing mailbox ({} from mailcow) is a tool error', async () => {
    const r = await mcp.call('mailcow_get_mailbox', { email: 'ghost@example.com' });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('mailbox ghost@example.com not found');
  });

  test('a 429 from a proxy in front of mailcow: a GET waits for Retry-After and is retried once', async () => {
    emu.inject({ kind: 'raw', status: 429, body: 'slow down', headers: { 'retry-after': '1' } });
    const started = Date.now();
    const r = await mcp.call('mailcow_list_domains');
    expect(r.isError).toBeFalsy();
    expect(emu.seen).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  test('a read-only key reads, and its writes are refused with 403', async () => {
    expect((await ro.call('mailcow_list_domains')).isError).toBeFalsy();
    const r = await ro.call('mailcow_create_domain', { domain: 'ro.example' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('mailcow 403: API read/write access denied');
  });

  test('a wrong key is 401 "authentication failed"', async () => {
    const bad = await mcpClient({
      mailcow: new MailcowNative({ url: emu.url, apiKey: 'WRONG0-000000', style: 'native' }, FAST),
    });
    const r = await bad.call('mailcow_list_domains');
    expect(text(r)).toBe('mailcow 401: authentication failed Check the configured credentials.');
    await bad.close();
  });

  test('routing answers: wrong method 405, unknown route 404, bad JSON 400', async () => {
    const f = (path: string, init: RequestInit = {}) =>
      fetch(`${emu.url}${path}`, { ...init, headers: { 'x-api-key': RW, 'content-type': 'application/json' } });
    expect((await f('/api/v1/add/domain')).status).toBe(405);
    expect(await (await f('/api/v1/get/domain/all', { method: 'POST', body: '{}' })).json()).toEqual({
      type: 'error',
      msg: 'only GET method is allowed',
    });
    expect((await f('/api/v1/get/nothing/all')).status).toBe(404);
    expect((await f('/api/v1/add/domain', { method: 'POST', body: '{' })).status).toBe(400);
  });
});

// The reference spec, where it is right; the wire notes list where it is not.
const spec = parse(readFileSync(new URL('../../../shared/fixtures/mailcow-openapi.yaml', import.meta.url), 'utf8'));
const op = (path: string, method: 'get' | 'post') => spec.paths[path][method];
const schema = (s: unknown) => z.fromJSONSchema(s as Parameters<typeof z.fromJSONSchema>[0]);
/** The JSON type of each field of the spec's example record, to hold the emulator's records against. */
function exampleShape(path: string) {
  const value = op(path, 'get').responses['200'].content['application/json'].examples.response.value;
  const rec = (Array.isArray(value) ? value[0] : value) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(rec).map(([k, v]) => [k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v]),
  );
}
const shapeOf = (rec: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(rec).map(([k, v]) => [k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v]),
  );

describe('the native emulator against mailcow-openapi.yaml', () => {
  test.each([
    ['/api/v1/get/domain/{id}', 'domain/all'],
    ['/api/v1/get/mailbox/{id}', 'mailbox/all'],
    ['/api/v1/get/alias/{id}', 'alias/all'],
  ])('GET answers have the fields and JSON types of the spec example: %s', async (path, get) => {
    const res = await fetch(`${emu.url}/api/v1/get/${get}`, { headers: { 'x-api-key': RW } });
    const records = (await res.json()) as Array<Record<string, unknown>>;
    expect(records.length).toBeGreaterThan(0);
    // Comments and modification times are null until set; the example shows them unset too.
    for (const r of records) expect(shapeOf(r)).toEqual(exampleShape(path));
  });

  test('sync job records have the fields of the spec example, and the columns it predates', async () => {
    const res = await fetch(`${emu.url}/api/v1/get/syncjobs/all/no_log`, { headers: { 'x-api-key': RW } });
    const [job] = (await res.json()) as Array<Record<string, unknown>>;
    const expected = exampleShape('/api/v1/get/syncjobs/all/no_log');
    // no_log selects every imapsync column but returned_text and password1 (syncjob_details); init_db.inc.php
    // has added `dry`, `success` and `exit_status` since the spec's 2019 example.
    expect(Object.keys(job!).sort()).toEqual([...Object.keys(expected), 'dry', 'success', 'exit_status'].sort());
    const { modified, dry, success, exit_status, ...rest } = shapeOf(job!);
    const { modified: _m, ...expectedRest } = expected;
    expect(rest).toEqual(expectedRest);
  });

  test('write requests the client sends validate against the request schemas', async () => {
    emu.clearLog();
    await mcp.call('mailcow_create_domain', { domain: 'spec.example', description: 'x', backupmx: false });
    await mcp.call('mailcow_update_domain', { domain: 'spec.example', quota: 9000 });
    await mcp.call('mailcow_create_mailbox', {
      domain: 'spec.example',
      local_part: 's',
      name: 'S',
      password: 'Spec-pw-1',
      force_pw_update: true,
    });
    await mcp.call('mailcow_create_alias', { address: 'a@spec.example', goto: ['s@spec.example'] });
    await mcp.call('mailcow_update_alias', { id: 1, active: true });
    await mcp.call('mailcow_update_mailbox', { email: 's@spec.example', name: 'T' });
    await mcp.call('mailcow_update_sync_job', { id: 1, port1: 143 });
    await mcp.call('mailcow_create_sync_job', {
      username: 's@spec.example',
      host1: 'h.example',
      user1: 'u',
      password1: 'p',
    });
    await mcp.call('mailcow_delete_alias', { id: 2, confirm: true });
    const checks: Record<string, (b: unknown) => unknown> = {
      '/api/v1/add/domain': (b) => b,
      '/api/v1/add/mailbox': (b) => b,
      '/api/v1/add/alias': (b) => b,
      '/api/v1/delete/alias': (b) => b,
      // The spec types `items` of these edits as an object; mailcow takes a list of ids (wire notes §3).
      '/api/v1/edit/domain': (b) => b,
      '/api/v1/edit/alias': (b) => ({ ...(b as object), items: {} }),
      '/api/v1/edit/mailbox': (b) => ({ ...(b as object), items: {} }),
      '/api/v1/edit/syncjob': (b) => ({ ...(b as object), items: {} }),
      '/api/v1/add/syncjob': (b) => b,
    };
    const seen = emu.seen.filter((s) => s.method === 'POST');
    expect(seen.map((s) => s.path).sort()).toEqual(Object.keys(checks).sort());
    for (const s of seen) {
      const reqSchema = schema(op(s.path, 'post').requestBody.content['application/json'].schema);
      const result = reqSchema.safeParse(checks[s.path]!(JSON.parse(s.body)));
      expect(result.success, `${s.path}: ${result.error?.message}`).toBe(true);
    }
  });

  test('write answers validate against the response schemas (array form, as mailcow sends)', async () => {
    const entries = schema(op('/api/v1/add/domain', 'post').responses['200'].content['application/json'].schema);
    const post = (path: string, b: unknown) =>
      fetch(`${emu.url}${path}`, {
        method: 'POST',
        headers: { 'x-api-key': RW, 'content-type': 'application/json' },
        body: JSON.stringify(b),
      });
    const answers = [
      await post('/api/v1/add/domain', { domain: 'answers.example' }),
      await post('/api/v1/add/domain', { domain: 'answers.example' }),
      await post('/api/v1/edit/domain', { items: ['answers.example'], attr: { description: 'd' } }),
      await post('/api/v1/delete/domain', ['answers.example']),
    ];
    const bodies = await Promise.all(answers.map((a) => a.json()));
    expect(bodies.map((b) => (b as Array<{ type: string }>)[0]?.type)).toEqual([
      'success',
      'danger',
      'success',
      'success',
    ]);
    for (const b of bodies) expect(entries.safeParse(b).success).toBe(true);
    // Passwords never come back in the log part of an answer.
    const mb = await (
      await post('/api/v1/add/mailbox', {
        domain: 'example.com',
        local_part: 'logcheck',
        name: 'L',
        password: 'Leak-pw-0',
        password2: 'Leak-pw-0',
      })
    ).json();
    expect(JSON.stringify(mb)).not.toContain('Leak-pw-0');
  });
});
