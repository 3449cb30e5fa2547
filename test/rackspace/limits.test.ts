// Authentication, throttling and paging against dedicated emulators, so limits and clocks can be set per test.
import { afterEach, describe, expect, test } from 'vitest';
import { RackspaceClient, type RackspaceOptions } from '../../src/backends/rackspace/client.ts';
import { BackendError } from '../../src/errors.ts';
import { Emulator } from '../../src/sandbox/emulator.ts';
import { fault, type Limits, rackspaceEmulator } from '../../src/sandbox/rackspace/rest.ts';
import { RackspaceState } from '../../src/sandbox/rackspace/state.ts';
import { mcpClient, text } from '../harness.ts';

const KEYS = { userKey: 'limits-user-key', secretKey: 'limits-secret-key' };
const P = '/v1/customers/12345678/domains/example.com/ex';
const started: Emulator[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((e) => e.close()));
});

async function setup(
  opts: {
    limits?: Limits;
    state?: RackspaceState;
    client?: Partial<RackspaceOptions & typeof KEYS & { customerId: string }>;
  } = {},
) {
  const emu = rackspaceEmulator({ ...KEYS, limits: opts.limits, state: opts.state });
  started.push(emu);
  const url = `${await emu.listen()}/v1`;
  const { userKey, secretKey, customerId, ...o } = { ...KEYS, customerId: '12345678', ...opts.client };
  const client = new RackspaceClient(
    { url, userKey, secretKey, customerId },
    { timeoutMs: 5000, maxRetryWaitMs: 3000, ...o },
  );
  return { emu, client };
}

async function error(p: Promise<unknown>): Promise<BackendError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(BackendError);
  return e as BackendError;
}

describe('authentication', () => {
  test.each([
    ['a wrong user key', { userKey: 'someone-else' }],
    ['a wrong secret', { secretKey: 'not-the-secret' }],
    ['a stale timestamp', { now: () => new Date(Date.now() - 10 * 60_000) }],
    ['a clock far ahead', { now: () => new Date(Date.now() + 10 * 60_000) }],
  ])('%s gives 403 Authentication failed, with a next step and no credential', async (_label, client) => {
    const { client: c } = await setup({ client });
    const e = await error(c.getMailbox('example.com', 'alex.smith'));
    expect(e.status).toBe(403);
    expect(e.message).toBe('Authentication failed');
    expect(e.hint).toContain('RACKSPACE_SECRET_KEY');
    expect(`${e.message} ${e.hint}`).not.toContain('not-the-secret');
  });

  test('a wrong customer id is 404 Customer Not Found', async () => {
    const { client: c } = await setup({ client: { customerId: '99999999' } });
    const e = await error(c.listMailboxes('example.com', {}));
    expect([e.status, e.message, e.hint]).toEqual([404, 'Customer Not Found', 'Check RACKSPACE_CUSTOMER_ID.']);
  });
});

describe('throttling (403 Exceeded request limits)', () => {
  test('a GET is retried with a fresh signature once the window has passed', async () => {
    // Each attempt reads the clock once; a clock that ticks a second per read shows the retry is signed anew.
    let tick = Date.now();
    const { emu, client: c } = await setup({
      limits: { get: 1, write: 1, windowMs: 300 },
      client: {
        throttleWaitMs: 400,
        now: () => {
          tick += 1000;
          return new Date(tick);
        },
      },
    });
    await c.listMailboxes('example.com', {});
    const r = await c.getMailbox('example.com', 'alex.smith');
    expect(r.name).toBe('alex.smith');
    const gets = emu.seen.filter((s) => s.path === `${P}/mailboxes/alex.smith`);
    expect(gets).toHaveLength(2);
    expect(gets[0]?.headers['x-api-signature']).not.toBe(gets[1]?.headers['x-api-signature']);
  });

  test('PUT and DELETE are retried too', async () => {
    const { emu, client: c } = await setup({
      limits: { get: 100, write: 1, windowMs: 300 },
      client: { throttleWaitMs: 400 },
    });
    await c.updateMailbox('example.com', 'alex.smith', { jobTitle: 'Lead' });
    await c.removeSpamEntry('example.com', 'alex.smith', 'blacklist', 'anyone@spam.com');
    expect(emu.seen.map((s) => s.method)).toEqual(['PUT', 'DELETE', 'DELETE']);
  });

  test('a POST is never sent twice: the error says when to retry', async () => {
    const { emu, client: c } = await setup({
      limits: { get: 100, write: 1, windowMs: 60_000 },
      client: { throttleWaitMs: 100 },
    });
    await c.addSpamEntry('example.com', 'alex.smith', 'blacklist', 'a@junk.example');
    const e = await error(c.addSpamEntry('example.com', 'alex.smith', 'blacklist', 'b@junk.example'));
    expect([e.status, e.message]).toEqual([403, 'Exceeded request limits']);
    expect(e.hint).toMatch(/retry after \d+ s.*per minute/);
    expect(emu.seen.filter((s) => s.path.endsWith('b@junk.example'))).toHaveLength(1);
  });

  test('a GET whose wait exceeds MAILOPS_MAX_RETRY_WAIT_MS is reported, not retried', async () => {
    const { emu, client: c } = await setup({
      limits: { get: 1, write: 1, windowMs: 60_000 },
      client: { throttleWaitMs: 1000, maxRetryWaitMs: 500 },
    });
    await c.listMailboxes('example.com', {});
    const e = await error(c.listMailboxes('example.com', {}));
    expect(e.message).toBe('Exceeded request limits');
    expect(emu.seen).toHaveLength(2);
  });

  test('retries back off 1×, 2×, 4× and stop after four attempts', async () => {
    const { emu, client: c } = await setup({
      limits: { get: 0, write: 0, windowMs: 60_000 },
      client: { throttleWaitMs: 50, maxRetryWaitMs: 10_000 },
    });
    const t0 = Date.now();
    const e = await error(c.getSpamSettings('example.com', 'alex.smith'));
    expect(e.message).toBe('Exceeded request limits');
    expect(emu.seen).toHaveLength(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(50 + 100 + 200 - 20);
  });

  test('a tool reports throttling as an error that starts with backend and status', async () => {
    const { client: c } = await setup({
      limits: { get: 0, write: 0, windowMs: 60_000 },
      client: { maxRetryWaitMs: 0 },
    });
    const mcp = await mcpClient({ rackspace: c });
    const r = await mcp.call('rackspace_add_activesync_service', { domain: 'example.com', mailbox: 'alex.smith' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^rackspace 403: Exceeded request limits Rate limited: retry after \d+ s\./);
    await mcp.close();
  });
});

describe('paging and secrets', () => {
  test('mobile-service index: one page per call (a default answer stays small); size and offset reach the rest', async () => {
    const state = RackspaceState.seeded();
    for (let i = 0; i < 60; i++) {
      const name = `user${String(i).padStart(2, '0')}`;
      state.addMailbox('example.com', name, { displayName: name, password: 'Secret123!@#', size: 100 });
      state.addService('example.com', name, 'blackberry');
    }
    const { emu, client: c } = await setup({ state });
    const r = await c.listService('example.com', 'blackberry');
    expect([r.total, r.offset, r.size, r.items.length]).toEqual([60, 0, 50, 50]);
    const rest = await c.listService('example.com', 'blackberry', { size: 50, offset: 50 });
    expect([rest.offset, rest.items.length]).toEqual([50, 10]);
    expect(emu.seen.map((s) => s.path)).toEqual([
      `${P}/blackberrymobileservices`,
      `${P}/blackberrymobileservices?size=50&offset=50`,
    ]);
  });

  test('a backend that echoes a password gets it scrubbed from the error', async () => {
    const echo = new Emulator('echo');
    started.push(echo);
    echo.route('POST', '/v1/customers/:c/domains/:d/ex/mailboxes/:m', (call) => {
      const f = new URLSearchParams(call.body);
      return fault(400, `Password ${f.get('password')} is too weak`);
    });
    echo.route('POST', '/v1/customers/:c/domains/:d/ex/mailboxes/:m/blackberrymobileservice', (call) =>
      fault(400, `Activation password ${new URLSearchParams(call.body).get('activationPassword')} is wrong`),
    );
    const c = new RackspaceClient(
      { url: `${await echo.listen()}/v1`, ...KEYS, customerId: '1' },
      { timeoutMs: 5000, maxRetryWaitMs: 0 },
    );
    const e = await error(
      c.createMailbox('example.com', 'x', { displayName: 'X', password: 'Hunter2-Hunter2', size: 1 }),
    );
    expect(e.message).toBe('Password [redacted] is too weak');
    const b = await error(c.addService('example.com', 'x', 'blackberry', '987654'));
    expect(b.message).toBe('Activation password [redacted] is wrong');
  });
});
