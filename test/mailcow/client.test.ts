import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { MailcowRest } from '../../src/backends/mailcow/rest.ts';
import type { MailcowApi } from '../../src/backends/mailcow/types.ts';
import { BackendError } from '../../src/errors.ts';
import type { Emulator } from '../../src/sandbox/emulator.ts';
import { mailcowRestEmulator } from '../../src/sandbox/mailcow/rest.ts';

const KEY = 'test-key-123456';
const emulators: Emulator[] = [];

async function setup(
  opts: { rateLimit?: { limit: number; windowMs: number }; key?: string; maxRetryWaitMs?: number } = {},
) {
  const emu = mailcowRestEmulator({ apiKey: KEY, rateLimit: opts.rateLimit });
  emulators.push(emu);
  const url = await emu.listen();
  const client: MailcowApi = new MailcowRest(
    { url, apiKey: opts.key ?? KEY, style: 'rest' },
    { timeoutMs: 5000, maxRetryWaitMs: opts.maxRetryWaitMs ?? 3000 },
  );
  return { emu, client };
}

async function failure(p: Promise<unknown>): Promise<BackendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

afterAll(async () => {
  await Promise.all(emulators.map((e) => e.close()));
});

describe('mailcow REST client against the sandbox', () => {
  let emu: Emulator;
  let client: MailcowApi;
  beforeEach(async () => {
    ({ emu, client } = await setup());
  });
  const last = () => emu.seen.at(-1)!;

  test('list domains sends GET /api/v1/domains with the Bearer key', async () => {
    const items = await client.listDomains();
    expect(items.map((d) => d.domain)).toEqual(['example.com', 'example.org']);
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/domains' });
    expect(last().headers.authorization).toBe(`Bearer ${KEY}`);
  });

  test('create domain always sends the documented defaults', async () => {
    const r = await client.createDomain('new.example', { description: 'New' });
    expect(r).toEqual({ type: 'success', msg: 'Domain has been added to system' });
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/domains' });
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body)).toEqual({
      domain: 'new.example',
      active: true,
      aliases: 400,
      defquota: 3072,
      description: 'New',
      mailboxes: 10,
      maxquota: 10240,
      quota: 10240,
    });
  });

  test('create domain twice is a 409 with the backend message', async () => {
    const err = await failure(client.createDomain('example.com', {}));
    expect(err.status).toBe(409);
    expect(err.message).toBe('Domain example.com already exists');
  });

  test('update domain sends only the given fields to PUT /api/v1/domains/{domain}', async () => {
    await client.updateDomain('example.org', { description: 'Renamed', quota: 9000 });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/domains/example.org' });
    expect(JSON.parse(last().body)).toEqual({ description: 'Renamed', quota: 9000 });
  });

  test('delete: a domain with mailboxes is refused, an empty one goes', async () => {
    expect((await failure(client.deleteDomain('example.com'))).status).toBe(409);
    await client.deleteDomain('example.org');
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/domains/example.org' });
    expect((await client.listDomains()).map((d) => d.domain)).toEqual(['example.com']);
  });

  test('unknown domain is a 404', async () => {
    const err = await failure(client.updateDomain('nope.example', { active: false }));
    expect(err.status).toBe(404);
  });

  test('mailbox lifecycle: create, get, update, delete', async () => {
    await client.createMailbox({
      domain: 'example.com',
      local_part: 'new.user',
      name: 'New User',
      password: 'pw-123456',
    });
    expect(JSON.parse(last().body)).toEqual({
      active: true,
      domain: 'example.com',
      local_part: 'new.user',
      name: 'New User',
      password: 'pw-123456',
      quota: 3072,
    });
    const m = await client.getMailbox('new.user@example.com');
    expect(last().path).toBe('/api/v1/mailboxes/new.user@example.com');
    expect(m).toMatchObject({ username: 'new.user@example.com', name: 'New User', quota: 3072 });
    expect(m).not.toHaveProperty('password');
    await client.updateMailbox('new.user@example.com', { quota: 2048, active: false });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/mailboxes/new.user@example.com' });
    expect(JSON.parse(last().body)).toEqual({ quota: 2048, active: false });
    await client.deleteMailbox('new.user@example.com');
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/mailboxes/new.user@example.com' });
    expect((await failure(client.getMailbox('new.user@example.com'))).status).toBe(404);
  });

  test('mailbox errors: 404 domain, 409 duplicate, 400 quota', async () => {
    expect(
      (await failure(client.createMailbox({ domain: 'nope.example', local_part: 'a', name: 'A', password: 'x' })))
        .status,
    ).toBe(404);
    const dup = await failure(
      client.createMailbox({ domain: 'example.com', local_part: 'info', name: 'I', password: 'x' }),
    );
    expect(dup.status).toBe(409);
    const quota = await failure(
      client.createMailbox({ domain: 'example.com', local_part: 'big', name: 'B', password: 'x', quota: 999999 }),
    );
    expect(quota.status).toBe(400);
    expect(quota.message).toContain('exceeds');
  });

  test('aliases: goto goes as a comma-separated list; ids in the path', async () => {
    const r = await client.createAlias({
      address: 'team@example.com',
      goto: ['john.doe@example.com', 'jane.roe@example.com'],
    });
    expect(JSON.parse(last().body)).toEqual({
      address: 'team@example.com',
      goto: 'john.doe@example.com,jane.roe@example.com',
    });
    const id = r.id as number;
    await client.updateAlias(id, { active: false });
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/aliases/${id}` });
    expect(JSON.parse(last().body)).toEqual({ active: false });
    await client.deleteAlias(id);
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/aliases/${id}` });
    expect((await failure(client.deleteAlias(id))).status).toBe(404);
    expect((await failure(client.createAlias({ address: 'sales@example.com', goto: ['a@example.com'] }))).status).toBe(
      409,
    );
  });

  test('sync jobs: create, list without passwords, update, delete', async () => {
    const r = await client.createSyncJob({
      username: 'jane.roe@example.com',
      host1: 'imap.old.example',
      user1: 'jane',
      password1: 'secret-pw',
      enc1: 'SSL',
      delete2: true,
    });
    // Both styles send mailcow's form defaults explicitly (types.ts SYNC_JOB_DEFAULTS).
    expect(JSON.parse(last().body)).toEqual({
      username: 'jane.roe@example.com',
      host1: 'imap.old.example',
      user1: 'jane',
      password1: 'secret-pw',
      enc1: 'SSL',
      port1: 993,
      mins_interval: 20,
      subfolder2: '',
      maxage: 0,
      maxbytespersecond: 0,
      exclude: '(?i)spam|(?i)junk',
      delete1: false,
      delete2: true,
      delete2duplicates: true,
      automap: true,
      skipcrossduplicates: false,
      active: true,
    });
    const jobs = await client.listSyncJobs();
    expect(jobs.find((j) => j.id === r.id)).toMatchObject({ username: 'jane.roe@example.com', enc1: 'SSL' });
    expect(JSON.stringify(jobs)).not.toContain('secret-pw');
    await client.updateSyncJob(r.id as number, { mins_interval: 60 });
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/syncjobs/${r.id}` });
    await client.deleteSyncJob(r.id as number);
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/syncjobs/${r.id}` });
    expect(
      (await failure(client.createSyncJob({ username: 'ghost@example.com', host1: 'h', user1: 'u', password1: 'p' })))
        .status,
    ).toBe(404);
  });

  test('a path segment cannot escape: slashes and dots are encoded', async () => {
    await failure(client.getMailbox('a/../../domains@example.com'));
    expect(last().path).toBe('/api/v1/mailboxes/a%2F..%2F..%2Fdomains@example.com');
  });

  test('a field of the wrong type is a 400', async () => {
    const err = await failure(client.updateDomain('example.com', { quota: 'lots' as unknown as number }));
    expect(err.status).toBe(400);
    expect(err.message).toContain('quota');
  });
});

describe('mailcow REST client: auth and rate limits', () => {
  test('a wrong key is a 401 with a hint and without the key', async () => {
    const { client } = await setup({ key: 'wrong-key-999999' });
    const err = await failure(client.listDomains());
    expect(err.status).toBe(401);
    expect(err.message).toBe('Invalid credentials');
    expect(err.hint).toContain('credentials');
    expect(`${err.message} ${err.hint}`).not.toContain('wrong-key-999999');
  });

  test('every answer carries X-RateLimit headers; a spent budget is a 429', async () => {
    const { emu, client } = await setup({ rateLimit: { limit: 2, windowMs: 60_000 }, maxRetryWaitMs: 0 });
    await client.listDomains();
    await client.listDomains();
    const err = await failure(client.listDomains());
    expect(err.status).toBe(429);
    expect(err.message).toBe('Rate limit exceeded');
    expect(err.hint).toMatch(/retry after \d+ s/);
    expect(emu.seen).toHaveLength(3);
  });

  test('a GET is retried after the reset when the wait is short', async () => {
    const { emu, client } = await setup({ rateLimit: { limit: 1, windowMs: 1200 }, maxRetryWaitMs: 3000 });
    await client.listDomains();
    const started = Date.now();
    const items = await client.listDomains();
    expect(items.length).toBeGreaterThan(0);
    expect(emu.seen.length).toBeGreaterThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(3500);
  });

  test('a POST is never sent twice, even when a retry would be short', async () => {
    const { emu, client } = await setup({ rateLimit: { limit: 1, windowMs: 1200 }, maxRetryWaitMs: 3000 });
    await client.listDomains();
    const err = await failure(client.createDomain('once.example', {}));
    expect(err.status).toBe(429);
    expect(emu.seen.filter((s) => s.method === 'POST')).toHaveLength(1);
  });

  test('an unreachable server is a clear error naming the variable to check', async () => {
    const client = new MailcowRest(
      { url: 'http://127.0.0.1:1', apiKey: KEY, style: 'rest' },
      { timeoutMs: 2000, maxRetryWaitMs: 0 },
    );
    const err = await failure(client.listDomains());
    expect(err.status).toBe(0);
    expect(err.message).toContain('cannot reach');
    expect(err.hint).toContain('MAILCOW_URL');
  });
});
