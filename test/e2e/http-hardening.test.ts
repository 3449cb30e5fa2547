// Issue 11 on the built HTTP server: selection headers fail closed and narrow every request of a
// 2025-11-25 session, slow small uploads are read, deep nesting is a 400, the Bearer scheme is
// case-insensitive, the session cap evicts the least recently used idle session, origins are whole origins.
import { type OutgoingHttpHeaders, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { httpClient, spawnHttp } from './clients.ts';

const TOKEN = 'e2e-hardening-token-4b1d';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
type Rpc = {
  id?: unknown;
  result?: { tools?: Array<{ name: string; annotations?: { readOnlyHint?: boolean } }>; isError?: boolean };
  error?: { code: number; message: string };
};
interface Answer {
  status: number;
  body: string;
  headers: Record<string, unknown>;
  rpc(): Rpc;
}

type Server = Awaited<ReturnType<typeof spawnHttp>>;
let server: Server;
let capped: Server;
beforeAll(async () => {
  [server, capped] = await Promise.all([
    spawnHttp(['--sandbox'], { MAILOPS_HTTP_TOKEN: TOKEN, MAILOPS_ALLOWED_ORIGINS: 'https://app.example.com' }),
    spawnHttp(['--sandbox'], { MAILOPS_HTTP_MAX_SESSIONS: '2' }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), capped?.stop()]);
});

/** One raw request; `chunks` with a delay sends the body slowly. Header values may repeat (arrays). */
function raw(
  opts: {
    method?: string;
    headers?: OutgoingHttpHeaders;
    body?: string;
    chunks?: { parts: string[]; gapMs: number };
    url?: string;
  } = {},
): Promise<Answer> {
  const u = new URL(opts.url ?? server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: u.pathname,
        method: opts.method ?? 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...(opts.url ? {} : AUTH),
          ...opts.headers,
        },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            headers: res.headers,
            rpc: () => {
              const data = body.startsWith('{')
                ? body
                : body
                    .split('\n')
                    .filter((l) => l.startsWith('data:'))
                    .map((l) => l.slice(5))
                    .filter((l) => l.trim().startsWith('{'))
                    .pop();
              return JSON.parse(data ?? 'null') as Rpc;
            },
          }),
        );
      },
    );
    req.on('error', reject);
    if (opts.chunks) {
      const { parts, gapMs } = opts.chunks;
      let i = 0;
      const tick = () => {
        const p = parts[i++];
        if (p === undefined) return void req.end();
        req.write(p);
        setTimeout(tick, gapMs);
      };
      tick();
    } else req.end(opts.body ?? JSON.stringify(INIT));
  });
}

async function open(headers: OutgoingHttpHeaders = {}, url?: string): Promise<string> {
  const r = await raw({ headers, url });
  expect(r.status).toBe(200);
  const sid = String(r.headers['mcp-session-id']);
  await raw({
    url,
    headers: { ...headers, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  return sid;
}

const inSession = (sid: string, headers: OutgoingHttpHeaders = {}) => ({
  ...headers,
  'mcp-session-id': sid,
  'mcp-protocol-version': '2025-11-25',
});

async function names(sid: string, headers: OutgoingHttpHeaders = {}, url?: string): Promise<string[]> {
  const r = await raw({
    url,
    headers: inSession(sid, headers),
    body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  });
  expect(r.status).toBe(200);
  return (r.rpc().result?.tools ?? []).map((t) => t.name);
}

const WRITE = 'mailcow_create_domain';
const READ = 'mailcow_list_domains';

describe('X-MCP-Readonly fails closed', () => {
  test.each(['true', 'TRUE', ' True ', '1'])('%j is read-only', async (v) => {
    const sid = await open({ 'x-mcp-readonly': v });
    const n = await names(sid, { 'x-mcp-readonly': v });
    expect(n).toContain(READ);
    expect(n).not.toContain(WRITE);
  });

  test.each(['false', 'FALSE', '0'])('%j is not read-only', async (v) => {
    const sid = await open({ 'x-mcp-readonly': v });
    expect(await names(sid)).toContain(WRITE);
  });

  test.each(['on', '"true"', 'yes', '', 'truee'])('%j is a 400 naming the header', async (v) => {
    const r = await raw({ headers: { 'x-mcp-readonly': v } });
    expect(r.status).toBe(400);
    expect(r.rpc().error?.message).toContain('X-MCP-Readonly');
    expect(r.headers['mcp-session-id']).toBeUndefined();
  });

  test.each([[['false', 'true']], [['true', 'true']], [['true', 'false']], ['false, true']])(
    'repeated or comma-joined %j is read-only',
    async (v) => {
      const sid = await open({ 'x-mcp-readonly': v });
      const n = await names(sid, { 'x-mcp-readonly': v });
      expect(n).toContain(READ);
      expect(n).not.toContain(WRITE);
    },
  );
});

describe('X-MCP-Tools and X-MCP-Toolsets intersect and name what is valid', () => {
  test('two X-MCP-Tools headers give the tools in both lists', async () => {
    const h = { 'x-mcp-tools': [`${READ},mailcow_get_mailbox`, `mailcow_get_mailbox,${WRITE}`] };
    const sid = await open(h);
    expect(await names(sid, h)).toEqual(['mailcow_get_mailbox']);
  });

  test('two X-MCP-Toolsets headers give the toolsets in both lists', async () => {
    const h = { 'x-mcp-toolsets': ['mailcow,zammad', 'mailcow'] };
    const sid = await open(h);
    const n = await names(sid, h);
    expect(n).toContain(READ);
    expect(n.some((x) => x.startsWith('zammad_'))).toBe(false);
  });

  test('an unknown toolset is a 400 listing the valid ones', async () => {
    const r = await raw({ headers: { 'x-mcp-toolsets': 'mailcow,exchange' } });
    expect(r.status).toBe(400);
    const m = r.rpc().error?.message ?? '';
    expect(m).toContain('X-MCP-Toolsets');
    expect(m).toContain('exchange');
    for (const t of ['mailcow', 'rackspace', 'zammad', 'zimbra']) expect(m).toContain(t);
  });

  test('an unknown tool is a 400 listing the valid ones', async () => {
    const r = await raw({ headers: { 'x-mcp-tools': `${READ},no_such_tool` } });
    expect(r.status).toBe(400);
    const m = r.rpc().error?.message ?? '';
    expect(m).toContain('X-MCP-Tools');
    expect(m).toContain('no_such_tool');
    expect(m).toContain(WRITE);
  });

  test('the 2026-07-28 path reads comma-joined values the same way', async () => {
    const c = await httpClient('v2-modern', server.url, { headers: { ...AUTH, 'x-mcp-readonly': 'false, true' } });
    try {
      expect(c.protocol()).toBe('2026-07-28');
      const n = (await c.listTools()).tools.map((t) => t.name);
      expect(n).toContain(READ);
      expect(n).not.toContain(WRITE);
    } finally {
      await c.close();
    }
  });
});

describe('2025-11-25 sessions: each request narrows that request, never beyond the session', () => {
  test('a session opened without headers honours X-MCP-Readonly on later list and call', async () => {
    const sid = await open();
    expect(await names(sid)).toContain(WRITE);
    const ro = { 'x-mcp-readonly': 'true' };
    const n = await names(sid, ro);
    expect(n).toContain(READ);
    expect(n).not.toContain(WRITE);
    const call = await raw({
      headers: inSession(sid, ro),
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 3,
        method: 'tools/call',
        params: { name: WRITE, arguments: { domain: 'narrowed.example' } },
      }),
    });
    expect(call.rpc().error?.message).toMatch(new RegExp(`${WRITE} not found`));
    const tools = await names(sid, { 'x-mcp-tools': `${READ},${WRITE}` });
    expect(tools.sort()).toEqual([READ, WRITE].sort());
  });

  test('a later request cannot widen what the session was opened with', async () => {
    const sid = await open({ 'x-mcp-readonly': 'true', 'x-mcp-toolsets': 'mailcow' });
    const n = await names(sid, { 'x-mcp-readonly': 'false', 'x-mcp-toolsets': 'mailcow,zammad' });
    expect(n).toContain(READ);
    expect(n).not.toContain(WRITE);
    expect(n.some((x) => x.startsWith('zammad_'))).toBe(false);
    expect(await names(sid, { 'x-mcp-tools': WRITE })).toEqual([]);
  });

  test('the selection the transport hands the handlers cannot be sent by a client: a copy is dropped', async () => {
    // src/rails/narrow.ts carries each request's validated selection in x-mailops-selection; a client's own
    // value must neither replace the real narrowing nor narrow (or break) a request that asks for none.
    const sid = await open();
    const forged = { 'x-mailops-selection': JSON.stringify({ readOnly: false }) };
    const ro = await names(sid, { ...forged, 'x-mcp-readonly': 'true' });
    expect(ro).toContain(READ);
    expect(ro).not.toContain(WRITE);
    expect(await names(sid, { 'x-mailops-selection': JSON.stringify({ readOnly: true }) })).toContain(WRITE);
    expect(await names(sid, { 'x-mailops-selection': 'not json' })).toContain(WRITE);
    const modern = await httpClient('v2-modern', server.url, {
      headers: { ...AUTH, ...forged, 'x-mcp-readonly': '1' },
    });
    try {
      const n = (await modern.listTools()).tools.map((t) => t.name);
      expect(n).toContain(READ);
      expect(n).not.toContain(WRITE);
    } finally {
      await modern.close();
    }
  });

  test('an invalid header on a later request is a 400 too', async () => {
    const sid = await open();
    const r = await raw({
      headers: inSession(sid, { 'x-mcp-readonly': 'on' }),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(r.status).toBe(400);
  });
});

describe('HTTP request bodies', () => {
  test('a small body uploaded slowly (147 bytes over 5.5 s) is read, not refused with 413', async () => {
    const body = JSON.stringify({ ...INIT, params: { ...INIT.params, clientInfo: { name: 's', version: '1' } } });
    const padded = body.slice(0, -1) + ' '.repeat(147 - body.length) + body.slice(-1);
    expect(padded.length).toBe(147);
    const parts = Array.from({ length: 12 }, (_, i) => padded.slice(i * 13, (i + 1) * 13)).filter(Boolean);
    const r = await raw({
      headers: { 'content-length': String(padded.length) },
      chunks: { parts, gapMs: 500 },
    });
    expect(r.status).toBe(200);
    expect(r.headers['mcp-session-id']).toBeDefined();
  }, 15_000);

  test('300,000-deep nested arguments on the 2026-07-28 path are a 400 about nesting', async () => {
    const deep = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    const body = `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"${READ}","arguments":{"x":${deep}}}}`;
    const r = await raw({ headers: { 'mcp-protocol-version': '2026-07-28' }, body });
    expect(r.status).toBe(400);
    expect(r.rpc().error?.message).toMatch(/nest/i);
    expect(r.body).not.toContain('Maximum call stack');
  });
});

describe('Authorization and Origin', () => {
  test.each(['bearer', 'BEARER', 'BeArEr'])('the %s scheme is accepted', async (scheme) => {
    expect((await raw({ headers: { authorization: `${scheme} ${TOKEN}` } })).status).toBe(200);
  });

  test('another scheme or a near token is still 401', async () => {
    expect((await raw({ headers: { authorization: `Basic ${TOKEN}` } })).status).toBe(401);
    expect((await raw({ headers: { authorization: `bearer ${TOKEN}x` } })).status).toBe(401);
    expect((await raw({ headers: { authorization: TOKEN } })).status).toBe(401);
  });

  test.each([
    ['https://app.example.com', 200],
    ['https://app.example.com:443', 200],
    ['http://app.example.com', 403],
    ['https://app.example.com:8443', 403],
    ['ws://app.example.com', 403],
    ['https://evil.app.example.com', 403],
    ['http://localhost:5173', 200],
    ['http://127.0.0.1:9', 200],
  ])('Origin %s is %d', async (origin, status) => {
    expect((await raw({ headers: { origin } })).status).toBe(status);
  });
});

describe('the session cap (MAILOPS_HTTP_MAX_SESSIONS=2)', () => {
  test('the least recently used idle session makes room; 503 only when every session is busy', async () => {
    const url = capped.url;
    const a = await open({}, url);
    const b = await open({}, url);
    await new Promise((r) => setTimeout(r, 20));
    expect(await names(a, {}, url)).toContain(READ); // a is now more recently used than b
    const c = await open({}, url);
    const gone = await raw({
      url,
      headers: inSession(b),
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(gone.status).toBe(404);
    expect(await names(a, {}, url)).toContain(READ);

    // Both remaining sessions busy: each holds an open GET stream.
    const streams = [a, c].map(
      (sid) =>
        new Promise<() => void>((resolve, reject) => {
          const u = new URL(url);
          const req = request(
            {
              host: u.hostname,
              port: u.port,
              path: u.pathname,
              method: 'GET',
              headers: { accept: 'text/event-stream', ...inSession(sid) },
            },
            (res) => {
              expect(res.statusCode).toBe(200);
              resolve(() => req.destroy());
            },
          );
          req.on('error', reject);
          req.end();
        }),
    );
    const stop = await Promise.all(streams);
    try {
      const full = await raw({ url });
      expect(full.status).toBe(503);
      expect(String(full.headers['retry-after'])).toMatch(/^\d+$/);
    } finally {
      for (const s of stop) s();
    }
    await new Promise((r) => setTimeout(r, 100));
    expect((await raw({ url })).status).toBe(200);
  });
});
