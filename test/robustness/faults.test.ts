// Bar 3: injected backend faults end in a clear tool error or a correct retry; a POST is never sent
// twice; the server keeps serving the next call.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildClients } from '../../src/backends/index.ts';
import type { Fault } from '../../src/sandbox/emulator.ts';
import type { RackspaceEmulator } from '../../src/sandbox/rackspace/rest.ts';
import type { ZimbraState } from '../../src/sandbox/zimbra/state.ts';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';

const TIMEOUT = 800;
let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;
const stats = { faults: 0 };

beforeAll(async () => {
  h = await startHarness({ timeoutMs: TIMEOUT, maxRetryWaitMs: 2500 }, { unlimited: true });
  mcp = await mcpClient(h.clients);
});
afterAll(async () => {
  console.log(`robustness/faults: ${stats.faults} faults injected`);
  await mcp.close();
  await h.close();
});

/** A read (GET, or a SOAP search) and a write (POST) per backend, with arguments the sandboxes accept. */
const CALLS = {
  mailcow: {
    read: ['mailcow_list_domains', {}],
    write: ['mailcow_create_alias', { address: 'fault@example.com', goto: ['info@example.com'] }],
  },
  rackspace: {
    read: ['rackspace_list_exchange_mailboxes', { domain: 'example.com' }],
    write: [
      'rackspace_add_email_address',
      { domain: 'example.com', mailbox: 'alex.smith', address: 'fault@example.com' },
    ],
  },
  zammad: { read: ['zammad_list_ticket_states', {}], write: ['zammad_create_organization', { name: 'Fault Org' }] },
  zimbra: {
    read: ['zimbra_search_contacts', { query: 'Lovelace' }],
    write: ['zimbra_create_contact', { attrs: { firstName: 'Fault' } }],
  },
} as const;
type Backend = keyof typeof CALLS;
const BACKENDS = Object.keys(CALLS) as Backend[];

const HTML = '<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>';
const FAULTS: Array<[string, Fault]> = [
  ['500 with an HTML page', { kind: 'raw', status: 500, body: HTML }],
  ['502 bad gateway', { kind: 'raw', status: 502, body: HTML }],
  ['503 with Retry-After', { kind: 'raw', status: 503, body: 'unavailable', headers: { 'retry-after': '1' } }],
  [
    'malformed JSON',
    { kind: 'raw', status: 200, body: '{"type": "success", "msg": ', headers: { 'content-type': 'application/json' } },
  ],
  [
    'malformed XML',
    {
      kind: 'raw',
      status: 200,
      body: '<soap:Envelope><soap:Body><Broken>',
      headers: { 'content-type': 'application/soap+xml' },
    },
  ],
  ['an HTML page with 200', { kind: 'raw', status: 200, body: HTML }],
  ['a huge body', { kind: 'huge', bytes: 12 * 1024 * 1024 }],
  ['a connection reset mid-body', { kind: 'reset' }],
  ['an answer slower than the timeout', { kind: 'delay', ms: TIMEOUT * 3 }],
];

const emu = (b: Backend) => h.sandbox.emulators[b]!;
const posts = (b: Backend) => emu(b).seen.filter((s) => s.method === 'POST').length;

describe.each(BACKENDS)('%s', (backend) => {
  test.each(FAULTS)('%s: a clear error, never a crash, and the next call works', async (_label, fault) => {
    for (const kind of ['read', 'write'] as const) {
      const [tool, args] = CALLS[backend][kind];
      emu(backend).clearLog();
      emu(backend).inject(fault);
      stats.faults++;
      const r = await mcp.call(tool, args as Record<string, unknown>);
      expect(r.isError, `${tool} under ${_label}`).toBe(true);
      expect(text(r).startsWith(backend), text(r)).toBe(true);
      expect(text(r)).not.toMatch(/\bat \S+ \(|node:internal|TypeError|undefined/);
      if (kind === 'write' || backend === 'zimbra') expect(posts(backend)).toBeLessThanOrEqual(1);
      emu(backend).clearFaults();
      const next = await mcp.call(...(CALLS[backend].read as unknown as [string, Record<string, unknown>]));
      expect(next.isError, `next call after ${_label}: ${text(next)}`).toBeFalsy();
    }
  });

  test('connection refused: a clear error naming the URL variable', async () => {
    const closed = buildClients(
      { ...h.sandbox.configs, [backend]: { ...h.sandbox.configs[backend]!, url: 'http://127.0.0.1:1' } },
      { timeoutMs: TIMEOUT, maxRetryWaitMs: 0 },
    );
    const c = await mcpClient(closed);
    const [tool, args] = CALLS[backend].read;
    const r = await c.call(tool, args as Record<string, unknown>);
    stats.faults++;
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('cannot reach');
    expect(text(r)).toContain(`${backend.toUpperCase()}_URL`);
    await c.close();
  });
});

describe('rate limits', () => {
  const limited = (reset?: number): Fault => ({
    kind: 'raw',
    status: 429,
    body: '{"type":"error","msg":"Rate limit exceeded"}',
    headers: { 'content-type': 'application/json', ...(reset ? { 'x-ratelimit-reset': String(reset) } : {}) },
  });

  test.each([
    ['with X-RateLimit-Reset', () => limited(Math.ceil(Date.now() / 1000) + 1)],
    ['without reset headers', () => limited()],
  ])('mailcow 429 %s: a GET is retried and succeeds; a POST is not resent', async (_l, fault) => {
    emu('mailcow').clearLog();
    emu('mailcow').inject(fault());
    stats.faults++;
    const r = await mcp.call('mailcow_list_domains');
    expect(r.isError).toBeFalsy();
    expect(emu('mailcow').seen).toHaveLength(2);
    emu('mailcow').clearLog();
    emu('mailcow').inject(fault());
    stats.faults++;
    const w = await mcp.call('mailcow_create_alias', { address: 'limited@example.com', goto: ['info@example.com'] });
    expect(w.isError).toBe(true);
    expect(text(w)).toMatch(/^mailcow 429: Rate limit exceeded Rate limited: retry after \d+ s\./);
    expect(emu('mailcow').seen).toHaveLength(1);
  });

  test('mailcow 429 whose reset is far away: no retry, the error says when', async () => {
    emu('mailcow').clearLog();
    emu('mailcow').inject(limited(Math.ceil(Date.now() / 1000) + 120));
    stats.faults++;
    const r = await mcp.call('mailcow_list_domains');
    expect(text(r)).toMatch(/^mailcow 429: .*retry after 1[12]\d s/);
    expect(emu('mailcow').seen).toHaveLength(1);
  });

  test('Rackspace throttling (403 Exceeded request limits): GETs retried within the budget, POSTs never resent', async () => {
    const rs = emu('rackspace') as RackspaceEmulator;
    const saved = { ...rs.limits };
    rs.limits = { get: 0, write: 0, windowMs: 60_000 };
    try {
      rs.clearLog();
      stats.faults++;
      const r = await mcp.call('rackspace_list_exchange_mailboxes', { domain: 'example.com' });
      expect(r.isError).toBe(true);
      expect(text(r)).toMatch(/^rackspace 403: Exceeded request limits/);
      expect(rs.seen.length).toBeGreaterThan(1);
      rs.clearLog();
      stats.faults++;
      const w = await mcp.call('rackspace_add_email_address', {
        domain: 'example.com',
        mailbox: 'alex.smith',
        address: 'throttled@example.com',
      });
      expect(w.isError).toBe(true);
      expect(rs.seen).toHaveLength(1);
    } finally {
      rs.limits = saved;
    }
    const next = await mcp.call('rackspace_list_exchange_mailboxes', { domain: 'example.com' });
    expect(next.isError).toBeFalsy();
  });

  test('Zimbra expired token: one re-login, then the call succeeds', async () => {
    const state = (emu('zimbra') as unknown as { state: ZimbraState }).state;
    await mcp.call('zimbra_search_contacts', { query: 'Lovelace' });
    state.expireTokens();
    emu('zimbra').clearLog();
    stats.faults++;
    const r = await mcp.call('zimbra_search_contacts', { query: 'Lovelace' });
    expect(r.isError, text(r)).toBeFalsy();
    const bodies = emu('zimbra').seen.map((s) => (/<(\w+Request)\b/.exec(s.body) ?? [])[1]);
    expect(bodies).toEqual(['SearchRequest', 'AuthRequest', 'SearchRequest']);
  });
});

describe('backend text inside a 2xx answer', () => {
  test('an error reported with HTTP 200 is cleaned like any backend text: no control characters, capped', async () => {
    const noisy = `bad\u0000\u001b[31mthing ${'x'.repeat(2000)}`;
    emu('mailcow').inject({
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ type: 'error', msg: noisy }),
      headers: { 'content-type': 'application/json' },
    });
    stats.faults++;
    const r = await mcp.call('mailcow_create_alias', { address: 'noisy@example.com', goto: ['info@example.com'] });
    expect(r.isError).toBe(true);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence
    expect(text(r)).not.toMatch(/[\u0000-\u001f]/);
    expect(text(r).length).toBeLessThan(600);
    // Control characters are dropped (issue 11), not turned into spaces.
    expect(text(r)).toMatch(/^mailcow: bad\[31mthing x+…$/);
  });
});
