// Issue 7, bar 5: the Streamable HTTP transport under load and under attack.
// The server runs in a child process (serve.ts) so that its heap is measured alone, after forced collections.
//   1. 50 concurrent clients (v1, v2 on 2025-11-25 sessions, v2 on 2026-07-28 per-request) call read tools
//      for a bounded time: not one legitimate call may fail.
//   2. 1,000 sessions are opened and abandoned: once they expire the session table is empty and the heap is
//      back at its baseline.
//   3. Every attack gets exactly its status code (400/401/403/413), creates no session, and the server still
//      serves legitimate calls afterwards.
//   4. A legitimate call that outlasts the idle timeout is not cut off by the idle sweep.
import { type ChildProcess, fork } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AnyClient, type Era, httpClient } from '../e2e/clients.ts';
import type { ServeOptions, ServeReply, ServeRequest } from './serve.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
const MB = 1024 * 1024;

const OPTS: ServeOptions = {
  token: 'robustness-load-token-4b1e',
  maxBodyBytes: 32 * 1024,
  // Longer than opening 1,000 sessions takes on a busy 2-core machine (4 to 11 s measured), so that all of them
  // are open at once when the peak is read; short enough that they all expire within the test. (With 1.5 s,
  // sessions opened first are swept before the last ones open, and the peak never holds 1,000 sessions; and
  // calls of the load test's 2025-11-25 clients fail once their sessions are swept under them: the last describe
  // block shows that on a server of its own.)
  sessionIdleMs: 15_000,
  maxSessions: 2000,
};
// The transport sweeps every sessionIdleMs / 2: a session goes at most 1.5 × sessionIdleMs after its last request.
const EXPIRY_MS = OPTS.sessionIdleMs * 1.5;
const AUTH = { authorization: `Bearer ${OPTS.token}` };
const LOAD_CLIENTS = 50;
const LOAD_MS = 8000;
const ABANDONED = 1000;
const BATCH = 50;
const ERAS: Era[] = ['v1', 'v2-legacy', 'v2-modern'];

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'abandoned', version: '1' } },
};

// Read tools over every backend, with seeded arguments (src/sandbox/*); the emulators' rate limits are lifted.
const CALLS: Array<{ name: string; arguments: Record<string, unknown> }> = [
  { name: 'zammad_list_ticket_states', arguments: {} },
  { name: 'zammad_get_ticket', arguments: { id: 1 } },
  { name: 'zimbra_search_contacts', arguments: { query: 'Lovelace' } },
  { name: 'mailcow_list_domains', arguments: {} },
  { name: 'mailcow_get_mailbox', arguments: { email: 'info@example.com' } },
  { name: 'rackspace_get_exchange_mailbox', arguments: { domain: 'example.com', mailbox: 'alex.smith' } },
];

type Mem = Extract<ServeReply, { type: 'mem' }>;
type Result = { isError?: boolean; content?: Array<{ text?: string }> };

const mib = (n: number) => `${(n / MB).toFixed(1)} MiB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A serve.ts child process and its IPC conversation (one answer per request, in order). */
class Served {
  url = '';
  private readonly child: ChildProcess;
  private readonly replies: ServeReply[] = [];
  private readonly waiting: Array<(m: ServeReply) => void> = [];

  constructor(opts: ServeOptions) {
    this.child = fork(SERVE, [], {
      cwd: ROOT,
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, SERVE_OPTIONS: JSON.stringify(opts) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child.on('message', (m: ServeReply) => {
      const w = this.waiting.shift();
      if (w) w(m);
      else this.replies.push(m);
    });
    this.child.once('exit', (code, signal) => {
      for (const w of this.waiting.splice(0)) w({ type: 'stopped' });
      if (code) console.error(`serve.ts exited with ${code ?? signal}`);
    });
  }

  async start(): Promise<this> {
    this.url = ((await this.next('ready', 30_000)) as Extract<ServeReply, { type: 'ready' }>).url;
    return this;
  }

  next(type: ServeReply['type'], ms = 20_000): Promise<ServeReply> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`serve.ts sent no '${type}' within ${ms} ms`)), ms);
      const take = (m: ServeReply) => {
        clearTimeout(timer);
        if (m.type !== type) reject(new Error(`serve.ts sent ${JSON.stringify(m)}, expected '${type}'`));
        else resolve(m);
      };
      const queued = this.replies.shift();
      if (queued) take(queued);
      else this.waiting.push(take);
    });
  }

  async ask(req: ServeRequest, type: ServeReply['type']): Promise<ServeReply> {
    const answer = this.next(type);
    this.child.send(req);
    return answer;
  }

  async mem(): Promise<Mem> {
    return (await this.ask('mem', 'mem')) as Mem;
  }

  /** Polls until the session table is empty or the deadline passes; returns the last reading. */
  async untilNoSessions(deadlineMs: number): Promise<Mem> {
    const end = Date.now() + deadlineMs;
    for (;;) {
      const m = await this.mem();
      if (m.sessions === 0 || Date.now() > end) return m;
      await sleep(500);
    }
  }

  /** Asks for a clean stop; kills the process if it does not exit within 5 s. Safe to call at any time. */
  async stop(): Promise<void> {
    const c = this.child;
    if (c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => c.once('exit', () => resolve()));
    if (c.connected) c.send('stop');
    else c.kill('SIGTERM');
    const killer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
  }
}

interface Raw {
  /** 0 when the connection failed before an answer (then `body` names the error). */
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

interface RawOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** Streams a body of `count` × `size` bytes without a Content-Length (chunked). */
  chunks?: { size: number; count: number };
  path?: string;
}

/**
 * A raw request with full control over every header (fetch cannot set Host). A connection that fails before
 * an answer resolves with status 0, so that an attack table records it rather than aborting.
 */
function raw(base: string, opts: RawOptions): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve) => {
    let answered = false;
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: opts.path ?? u.pathname,
        method: opts.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...opts.headers,
        },
      },
      (res) => {
        answered = true;
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        const done = () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
        res.on('end', done);
        res.on('error', done);
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!answered)
        resolve({ status: 0, body: `no answer, the connection failed: ${err.code ?? err.message}`, headers: {} });
    });
    if (opts.chunks) {
      const { size, count } = opts.chunks;
      const piece = 'x'.repeat(size);
      let sent = 0;
      const pump = () => {
        while (!answered && !req.destroyed && sent < count) {
          sent++;
          if (!req.write(sent === 1 ? `{"jsonrpc":"2.0","id":1,"method":"ping","pad":"${piece}` : piece)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!answered && !req.destroyed) req.end('"}');
      };
      pump();
    } else {
      const method = opts.method ?? 'POST';
      req.end(opts.body ?? (method === 'POST' ? JSON.stringify(INIT) : undefined));
    }
  });
}

let server: Served;
let baseline: Mem;

beforeAll(async () => {
  // Assigned before it starts, so that afterAll stops it even if it never says it is ready.
  server = new Served(OPTS);
  await server.start();
  expect(new URL(server.url).hostname).toBe('127.0.0.1');

  // Warm-up: every client generation makes every call, so that code paths are compiled and module-level caches
  // are filled before the baseline is read. v1 ends its session with DELETE and 2026-07-28 has none; the
  // v2 client on 2025-11-25 does not DELETE on close, so that path is warmed by a raw session ended by hand.
  for (const era of ['v1', 'v2-modern'] as Era[]) {
    const c = await httpClient(era, server.url, { headers: AUTH });
    try {
      for (const call of CALLS) {
        const r = (await c.callTool(call)) as Result;
        expect(r.isError, `${era} ${call.name}: ${r.content?.[0]?.text}`).toBeFalsy();
      }
    } finally {
      await c.close();
    }
  }
  const init = await raw(server.url, { headers: AUTH });
  expect(init.status).toBe(200);
  const sid = String(init.headers['mcp-session-id']);
  const inSession = { ...AUTH, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
  const call = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: CALLS[0] });
  expect((await raw(server.url, { headers: inSession, body: call })).status).toBe(200);
  const ended = await raw(server.url, { method: 'DELETE', headers: inSession });
  expect(ended.status, ended.body).toBe(200);

  baseline = await server.mem();
  expect(baseline.sessions).toBe(0);
  console.log(`baseline: heapUsed ${mib(baseline.heapUsed)}, rss ${mib(baseline.rss)}, ${baseline.sessions} sessions`);
}, 60_000);

afterAll(() => server?.stop(), 15_000);

describe('HTTP transport under load', () => {
  test(`${LOAD_CLIENTS} concurrent clients calling read tools for ${LOAD_MS / 1000} s: no failed call`, async () => {
    let calls = 0;
    let failures = 0;
    const failed: string[] = [];
    const fail = (what: string) => {
      failures++;
      if (failed.length < 10) failed.push(what);
    };

    const connected = await Promise.all(
      Array.from({ length: LOAD_CLIENTS }, async (_, i) => {
        const era = ERAS[i % ERAS.length] as Era;
        try {
          return { era, i, client: await httpClient(era, server.url, { headers: AUTH }) };
        } catch (err) {
          fail(`${era} #${i} connect: ${(err as Error).message}`);
          return undefined;
        }
      }),
    );
    const clients = connected.filter((c): c is { era: Era; i: number; client: AnyClient } => c !== undefined);

    const started = Date.now();
    const until = started + LOAD_MS;
    const perEra: Record<string, number> = {};
    await Promise.all(
      clients.map(async ({ era, i, client }) => {
        // Each client starts at another tool, so that every backend is busy at every moment.
        for (let n = i; Date.now() < until; n++) {
          const call = CALLS[n % CALLS.length]!;
          calls++;
          perEra[era] = (perEra[era] ?? 0) + 1;
          try {
            const r = (await client.callTool(call)) as Result;
            if (r.isError) fail(`${era} #${i} ${call.name}: isError ${r.content?.[0]?.text}`);
          } catch (err) {
            fail(`${era} #${i} ${call.name}: threw ${(err as Error).message}`);
          }
        }
      }),
    );
    const elapsed = (Date.now() - started) / 1000;
    await Promise.all(clients.map(({ client }) => client.close().catch(() => {})));
    const after = await server.mem();

    console.log(
      `load: ${clients.length} clients, ${calls} calls in ${elapsed.toFixed(1)} s ` +
        `(${(calls / elapsed).toFixed(0)} calls/s), ${failures} failures; per era ${JSON.stringify(perEra)}; ` +
        `heapUsed after ${mib(after.heapUsed)} with ${after.sessions} sessions left to expire`,
    );
    expect(failed).toEqual([]);
    expect(failures).toBe(0);
    expect(clients).toHaveLength(LOAD_CLIENTS);
    // A floor far below what a busy 2-core runner does (90 to 300 calls/s measured): it catches a stalled
    // server, a deadlock, or clients that silently stopped calling.
    expect(calls).toBeGreaterThan(LOAD_CLIENTS * 5);
    for (const era of ERAS) expect(perEra[era] ?? 0).toBeGreaterThan(LOAD_CLIENTS / ERAS.length);
  }, 60_000);

  test(`${ABANDONED} sessions opened and abandoned: all expire and memory returns to its baseline`, async () => {
    const started = Date.now();
    const ids = new Set<string>();
    const bad: string[] = [];
    for (let b = 0; b < ABANDONED; b += BATCH) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(BATCH, ABANDONED - b) }, (_, k) =>
          raw(server.url, { headers: AUTH, body: JSON.stringify({ ...INIT, id: b + k + 1 }) }),
        ),
      );
      for (const a of answers) {
        const sid = a.headers['mcp-session-id'];
        if (a.status !== 200 || typeof sid !== 'string') bad.push(`${a.status} ${a.body.slice(0, 200)}`);
        else ids.add(sid);
      }
    }
    const openMs = Date.now() - started;
    const peak = await server.mem();
    console.log(`sessions: ${ids.size} opened in ${openMs} ms, ${peak.sessions} open at peak`);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(ids.size).toBe(ABANDONED);
    // The load test's 2025-11-25 clients may still hold a few sessions, hence "at least".
    expect(peak.sessions).toBeGreaterThanOrEqual(ABANDONED);

    // Expiry: the last session goes at the first sweep after sessionIdleMs.
    const expired = await server.untilNoSessions(EXPIRY_MS + 5000);
    expect(expired.sessions).toBe(0);
    const expiredAfter = Date.now() - started;
    // A moment for closed transports' last callbacks and timers, then a fresh reading.
    await sleep(300);
    const settled = await server.mem();
    const perSession = (peak.heapUsed - baseline.heapUsed) / peak.sessions;

    console.log(
      `sessions: all expired ${(expiredAfter / 1000).toFixed(1)} s after the first was opened; ` +
        `heapUsed baseline ${mib(baseline.heapUsed)}, peak ${mib(peak.heapUsed)}, settled ${mib(settled.heapUsed)} ` +
        `(${(perSession / 1024).toFixed(0)} KiB per session); ` +
        `rss baseline ${mib(baseline.rss)}, peak ${mib(peak.rss)}, settled ${mib(settled.rss)}`,
    );

    expect(settled.sessions).toBe(0);
    // The margin: the heap after a load phase is not byte for byte the heap before it (optimized code, inline
    // caches, connection pools to the emulators, lazily allocated feedback vectors: +4 to +5 MiB measured after
    // the load phase, flat over repeated load rounds), so allow max(15 %, 8 MiB) over the baseline. Since every
    // server shares one tool table, a session costs about 18 KiB (it was about 130 KiB with a server of its own),
    // so 1,000 sessions weigh more than the margin (14 to 17 MiB measured): the check below keeps the reading
    // from being vacuous, and leaking most sessions (a transport, a server or a timer kept alive per session) fails the test; a leak of
    // the session map itself fails `settled.sessions` above.
    const margin = Math.max(baseline.heapUsed * 0.15, 8 * MB);
    expect(peak.heapUsed - baseline.heapUsed).toBeGreaterThan(margin);
    expect(settled.heapUsed).toBeLessThanOrEqual(baseline.heapUsed + margin);
  }, 90_000);
});

describe('HTTP transport under attack: exactly 400, 401, 403 or 413, and nothing else', () => {
  interface Attack {
    name: string;
    expected: 400 | 401 | 403 | 413;
    req: RawOptions;
    /** Sent with the headers of a live 2025-11-25 session (and the valid token). */
    inSession?: boolean;
  }
  const attacks: Attack[] = [];
  const over = OPTS.maxBodyBytes + 1;

  // Bodies over the limit: declared by Content-Length, streamed without one, and inside a live session.
  attacks.push(
    {
      name: 'body of maxBodyBytes + 1, with Content-Length',
      expected: 413,
      req: { headers: AUTH, body: JSON.stringify({ ...INIT, pad: 'x'.repeat(over) }).slice(0, over) },
    },
    {
      name: 'body of 1 MiB, with Content-Length',
      expected: 413,
      req: { headers: AUTH, body: JSON.stringify({ ...INIT, pad: 'x'.repeat(MB) }) },
    },
    {
      name: 'body of 1 MiB in a session, with Content-Length',
      expected: 413,
      inSession: true,
      req: { headers: {}, body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'ping', pad: 'x'.repeat(MB) }) },
    },
    {
      name: 'body of 64 KiB streamed chunked, without Content-Length',
      expected: 413,
      req: { headers: AUTH, chunks: { size: 16 * 1024, count: 4 } },
    },
    {
      // Still uploading when the server answers: the 413 must reach the client all the same.
      name: 'body of 16 MiB streamed chunked, without Content-Length',
      expected: 413,
      req: { headers: AUTH, chunks: { size: 64 * 1024, count: 256 } },
    },
  );
  // Malformed JSON.
  for (const body of ['{"jsonrpc": "2.0", ', '', 'not json', '\u0000\u0001', '{"jsonrpc":"2.0","id":1,}', '\uFEFF{}']) {
    attacks.push({ name: `malformed JSON ${JSON.stringify(body)}`, expected: 400, req: { headers: AUTH, body } });
  }
  attacks.push({
    name: 'malformed JSON in a session',
    expected: 400,
    inSession: true,
    req: { headers: {}, body: '{"jsonrpc":"2.0","id":3,"method":"tools/list"' },
  });
  // Valid JSON that is not a JSON-RPC message: without a protocol version, as 2026-07-28, inside a session.
  const notRpc = [
    '{"hello":1}',
    '[]',
    '{"jsonrpc":"2.0"}',
    'null',
    '42',
    '"initialize"',
    '{"jsonrpc":"2.0","id":1}',
    '{"jsonrpc":"1.0","id":1,"method":"tools/list"}',
    '{"jsonrpc":"2.0","id":1,"method":5}',
    '{"jsonrpc":"2.0","id":{},"method":"tools/list"}',
    '[1,2]',
  ];
  for (const body of notRpc) {
    attacks.push(
      { name: `not JSON-RPC ${body}`, expected: 400, req: { headers: AUTH, body } },
      {
        name: `not JSON-RPC ${body} (2026-07-28)`,
        expected: 400,
        req: { headers: { ...AUTH, 'mcp-protocol-version': '2026-07-28' }, body },
      },
      { name: `not JSON-RPC ${body} (in a session)`, expected: 400, inSession: true, req: { headers: {}, body } },
    );
  }
  // Wrong or missing token, on every method and with a live session id.
  const wrongTokens: Array<[string, Record<string, string>]> = [
    ['no Authorization', {}],
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['the token without its last character', { authorization: `Bearer ${OPTS.token.slice(0, -1)}` }],
    ['the token with one more character', { authorization: `Bearer ${OPTS.token}x` }],
    ['the token without the Bearer scheme', { authorization: OPTS.token }],
    ['Basic credentials', { authorization: `Basic ${Buffer.from(`user:${OPTS.token}`).toString('base64')}` }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
  ];
  for (const [what, headers] of wrongTokens) attacks.push({ name: what, expected: 401, req: { headers } });
  attacks.push(
    { name: 'a wrong token on GET', expected: 401, req: { method: 'GET', headers: { authorization: 'Bearer x' } } },
    { name: 'no token on DELETE', expected: 401, req: { method: 'DELETE', headers: {} } },
    {
      name: 'the token in the query string only',
      expected: 401,
      req: { headers: {}, path: `/mcp?access_token=${OPTS.token}` },
    },
    {
      name: 'a wrong token with a live session id',
      expected: 401,
      inSession: true,
      req: {
        headers: { authorization: 'Bearer not-the-token' },
        body: '{"jsonrpc":"2.0","id":3,"method":"tools/list"}',
      },
    },
  );
  // Foreign Origin (cross-site browser requests), with a valid token.
  for (const origin of [
    'https://evil.example',
    'null',
    'http://localhost.evil.example',
    'http://127.0.0.1.nip.io:8080',
    'file://',
    'not a url',
  ]) {
    attacks.push({ name: `Origin ${origin}`, expected: 403, req: { headers: { ...AUTH, origin } } });
  }
  attacks.push({
    name: 'Origin https://evil.example on GET',
    expected: 403,
    req: { method: 'GET', headers: { ...AUTH, origin: 'https://evil.example' } },
  });
  // Foreign Host (DNS rebinding), with a valid token.
  for (const host of ['evil.example', 'evil.example:80', 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0']) {
    attacks.push({ name: `Host ${host}`, expected: 403, req: { headers: { ...AUTH, host } } });
  }

  let session: Record<string, string> = {};
  beforeAll(async () => {
    const init = await raw(server.url, { headers: AUTH });
    expect(init.status).toBe(200);
    session = {
      ...AUTH,
      'mcp-session-id': String(init.headers['mcp-session-id']),
      'mcp-protocol-version': '2025-11-25',
    };
    const initialized = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect((await raw(server.url, { headers: session, body: initialized })).status).toBe(202);
  });

  test('every attack gets exactly its status code, a JSON-RPC error and no session', async () => {
    const before = await server.mem();
    const table: Array<{ attack: string; expected: number; got: number; body: string }> = [];
    for (const a of attacks) {
      const req = a.inSession ? { ...a.req, headers: { ...session, ...a.req.headers } } : a.req;
      const r = await raw(server.url, req);
      table.push({ attack: a.name, expected: a.expected, got: r.status, body: r.body.slice(0, 200) });
      expect.soft(r.status, `${a.name}: ${r.body.slice(0, 200)}`).toBe(a.expected);
      expect.soft(r.headers['mcp-session-id'], `${a.name} opened a session`).toBeUndefined();
      if (r.status === a.expected) {
        expect.soft(JSON.parse(r.body), a.name).toMatchObject({ jsonrpc: '2.0', error: { code: expect.any(Number) } });
      }
    }
    const after = await server.mem();
    const wrong = table.filter((t) => t.got !== t.expected);
    const counts: Record<number, number> = {};
    for (const t of table) counts[t.expected] = (counts[t.expected] ?? 0) + 1;
    console.log(
      `attacks: ${table.length} sent (per expected status ${JSON.stringify(counts)}), ` +
        `${table.length - wrong.length} answered as expected` +
        (wrong.length
          ? `; unexpected:\n${wrong.map((w) => `  ${w.attack}: expected ${w.expected}, got ${w.got} ${JSON.stringify(w.body)}`).join('\n')}`
          : ''),
    );
    // No attack opened a session (the live one is the test's own).
    expect(after.sessions).toBeLessThanOrEqual(before.sessions);
  }, 30_000);

  test('a body of exactly maxBodyBytes is not refused', async () => {
    const body = JSON.stringify(INIT);
    const exact = body + ' '.repeat(OPTS.maxBodyBytes - Buffer.byteLength(body));
    expect((await raw(server.url, { headers: AUTH, body: exact })).status).toBe(200);
  });

  test('after all of that, the server still serves legitimate calls of every client generation', async () => {
    for (const era of ERAS) {
      const c = await httpClient(era, server.url, { headers: AUTH });
      try {
        for (const call of CALLS) {
          const r = (await c.callTool(call)) as Result;
          expect(r.isError, `${era} ${call.name}: ${r.content?.[0]?.text}`).toBeFalsy();
        }
      } finally {
        await c.close();
      }
    }
    const inSession = await raw(server.url, {
      headers: session,
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: CALLS[3] }),
    });
    expect(inSession.status).toBe(200);
    expect(inSession.body).toContain('example.com');
  });
});

describe('HTTP transport: a call that outlasts the idle timeout', () => {
  // A server of its own with a short idle timeout, and a backend that answers after more than sessionIdleMs plus
  // one sweep: a session with a call running is busy, not idle, and must not be swept under the call.
  const IDLE_MS = 500;
  const DELAY_MS = 2000;
  const PATIENCE_MS = DELAY_MS + 3000;
  let short: Served;
  beforeAll(async () => {
    short = new Served({ ...OPTS, sessionIdleMs: IDLE_MS });
    await short.start();
  }, 30_000);
  afterAll(() => short?.stop(), 15_000);

  test('every client generation gets its slow answer, and its session serves the next call', async () => {
    const clients = await Promise.all(
      ERAS.map(async (era) => ({ era, client: await httpClient(era, short.url, { headers: AUTH }) })),
    );
    try {
      // One slow answer per client: the next ERAS.length requests to Zammad wait DELAY_MS.
      await short.ask({ backend: 'zammad', inject: { kind: 'delay', ms: DELAY_MS }, times: ERAS.length }, 'injected');
      const started = Date.now();
      const outcome = (p: Promise<unknown>, ms: number) =>
        Promise.race([
          p.then(
            (r) => ((r as Result).isError ? `isError: ${(r as Result).content?.[0]?.text}` : 'answered'),
            (err: Error) => `threw: ${err.message}`,
          ),
          sleep(ms).then(() => `no answer within ${ms} ms`),
        ]);
      const slow = await Promise.all(
        clients.map(async ({ era, client }) => {
          const got = await outcome(client.callTool(CALLS[1]!), PATIENCE_MS);
          return { era, got, ms: Date.now() - started };
        }),
      );
      for (const { era, got, ms } of slow) {
        console.log(`${era}: a call of ${DELAY_MS} ms with a ${IDLE_MS} ms idle timeout: ${got} (${ms} ms)`);
      }
      const next = await Promise.all(
        clients.map(async ({ era, client }) => ({ era, got: await outcome(client.callTool(CALLS[0]!), 5000) })),
      );
      for (const { era, got } of next) console.log(`${era}: the next call: ${got}`);
      for (const { era, got } of slow) expect.soft(got, `${era}: the slow call`).toBe('answered');
      for (const { era, got } of next) expect.soft(got, `${era}: the call after it`).toBe('answered');
    } finally {
      await Promise.all(clients.map(({ client }) => client.close().catch(() => {})));
    }
  }, 30_000);
});
