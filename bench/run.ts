// `npm run bench`: the server against the floor (a minimal SDK-v2 server with one tool, bench/floor.ts) and the
// limit (bare node:http, bench/limit.ts), each figure a ratio to its baseline from this same run. Baseline and
// measured runs alternate, so the noise of a shared machine hits both, and every process of a comparison is
// started with the same environment (never the parent's: NODE_EXTRA_CA_CERTS alone costs ~40 ms at start).
// BENCH_QUICK=1 runs everything briefly: it proves the bench works, not how fast anything is.
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { Pool, request } from 'undici';
import type { BackendConfigs } from '../src/config.ts';
import { startSandboxes } from '../src/sandbox/index.ts';

const QUICK = process.env.BENCH_QUICK === '1';
const path = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const SERVER = path('../dist/mailops-mcp.js');
const FLOOR = path('../.bench/floor.js');
const LIMIT = path('../.bench/limit.js');
const MEM = path('./mem.mjs');
// Shared machines drift by ±10% within a minute: many short alternations, medians of each.
const RUNS = Number(process.env.BENCH_RUNS ?? (QUICK ? 2 : 21));
/** stdio calls per timed batch; RUNS batches of each contender, alternated. */
const CALLS = Number(process.env.BENCH_CALLS ?? (QUICK ? 10 : 50));
const WARM_CALLS = QUICK ? CALLS : 300;
/** stdio processes per contender. */
const PROCESSES = QUICK ? 1 : 3;
const SECONDS = Number(process.env.BENCH_SECONDS ?? (QUICK ? 0.3 : 2));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (QUICK ? 1 : 5));
const SESSIONS = QUICK ? 10 : 1000;
const CLIENTS = [1, 8, 64];
/** BENCH_ONLY=cold,stdio,http,memory runs only those parts (all of them by default). */
const ONLY = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const part = (name: 'cold' | 'stdio' | 'http' | 'memory') => !ONLY || ONLY.includes(name);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
const ms = (v: number) => `${v.toFixed(2)} ms`;
const x = (v: number, base: number) => `${(v / base).toFixed(2)}x`;

/** The environment of every child: the same for the measured process and its baselines. */
function envOf(configs: BackendConfigs): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    MAILOPS_LOG_LEVEL: 'silent',
    // Writes are not benched, but an audit log never lands in the working tree.
    MAILOPS_AUDIT_LOG: join(tmpdir(), 'mailops-bench-audit.jsonl'),
  };
  const { mailcow, rackspace, zammad, zimbra } = configs;
  if (mailcow) Object.assign(env, { MAILCOW_URL: mailcow.url, MAILCOW_API_KEY: mailcow.apiKey });
  if (rackspace) {
    Object.assign(env, {
      RACKSPACE_URL: rackspace.url,
      RACKSPACE_USER_KEY: rackspace.userKey,
      RACKSPACE_SECRET_KEY: rackspace.secretKey,
      RACKSPACE_CUSTOMER_ID: rackspace.customerId,
    });
  }
  if (zammad && zammad.auth.kind === 'token')
    Object.assign(env, { ZAMMAD_URL: zammad.url, ZAMMAD_TOKEN: zammad.auth.token });
  if (zimbra) {
    const a = zimbra.auth;
    Object.assign(
      env,
      { ZIMBRA_URL: zimbra.url },
      a.kind === 'token'
        ? { ZIMBRA_AUTH_TOKEN: a.token }
        : { ZIMBRA_USERNAME: a.username, ZIMBRA_PASSWORD: a.password },
    );
  }
  return env;
}

const HANDSHAKE = `${[
  {
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  },
  { jsonrpc: '2.0', method: 'notifications/initialized' },
  { jsonrpc: '2.0', id: 2, method: 'tools/list' },
]
  .map((m) => JSON.stringify(m))
  .join('\n')}\n`;

/** Spawn → the stdio line answering tools/list, in ms. */
function coldStart(bin: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [bin], { env, stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('"id":2}') || out.includes('"id":2,')) {
        resolve(performance.now() - t0);
        p.kill();
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => reject(new Error(`${bin} exited (${code}) before answering tools/list`)));
    p.stdin.write(HANDSHAKE);
  });
}

function bareNode(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', ''], { env, stdio: 'ignore' });
    p.on('exit', () => resolve(performance.now() - t0));
    p.on('error', reject);
  });
}

/**
 * Alternates `fns` RUNS times (after `warm` untimed rounds) and returns each one's median. Each round starts
 * one further along, so no contender always runs right after the same neighbour.
 */
async function alternate(fns: Array<() => Promise<number>>, runs = RUNS, warm = 1): Promise<number[]> {
  for (let i = 0; i < warm; i++) for (const f of fns) await f();
  const all = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    for (let j = 0; j < fns.length; j++) {
      const k = (i + j) % fns.length;
      all[k]?.push(await (fns[k] as () => Promise<number>)());
    }
  }
  return all.map(median);
}

async function stdioClient(bin: string, env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [bin], env }));
  return client;
}

/** Forks `bin --http` with the memory probe preloaded and resolves once it listens. */
async function serveHttp(bin: string, env: Record<string, string>): Promise<{ url: string; p: ChildProcess }> {
  const p = fork(bin, ['--http'], {
    env: { ...env, MAILOPS_LOG_LEVEL: 'info', MAILOPS_HTTP_PORT: '0', MAILOPS_HTTP_MAX_SESSIONS: '100000' },
    execArgv: ['--expose-gc', '--import', MEM],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    p.stderr?.on('data', (chunk: Buffer) => {
      err += chunk;
      const m = /serving Streamable HTTP \{"url":"([^"]+)"/.exec(err);
      if (m) resolve(m[1] as string);
    });
    p.once('exit', () => reject(new Error(`${bin} --http exited: ${err}`)));
  });
  p.stderr?.resume();
  return { url, p };
}

const mem = (p: ChildProcess) =>
  new Promise<{ heapUsed: number; rss: number }>((resolve) => {
    p.once('message', (m) => resolve(m as { heapUsed: number; rss: number }));
    p.send('mem');
  });

const CALL = { name: 'mailcow_get_mailbox', arguments: { email: 'info@example.com' } };
const META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const MODERN_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2026-07-28',
  'mcp-method': 'tools/call',
  'mcp-name': CALL.name,
};
const LEGACY_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
};

type Era = '2026-07-28' | '2025-11-25';

/** One client's way to call the tool over HTTP, as raw requests (the load generator must cost little). */
async function httpCaller(pool: Pool, url: string, era: Era, limit: boolean): Promise<() => Promise<void>> {
  const { pathname } = new URL(url);
  let id = 0;
  const post = async (headers: Record<string, string>, body: unknown) => {
    const r = await pool.request({ path: pathname, method: 'POST', headers, body: JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300 || !text.includes('"result"') || text.includes('"isError":true')) {
      throw new Error(`${r.statusCode} ${text.slice(0, 200)}`);
    }
    return r;
  };
  if (era === '2026-07-28' || limit) {
    return async () => {
      await post(MODERN_HEADERS, { jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { ...CALL, _meta: META } });
    };
  }
  const init = await post(LEGACY_HEADERS, {
    jsonrpc: '2.0',
    id: ++id,
    method: 'initialize',
    params: { protocolVersion: era, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
  });
  const sid = init.headers['mcp-session-id'] as string;
  const headers = { ...LEGACY_HEADERS, 'mcp-session-id': sid, 'mcp-protocol-version': era };
  const r = await pool.request({
    path: pathname,
    method: 'POST',
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  await r.body.text();
  return async () => {
    await post(headers, { jsonrpc: '2.0', id: ++id, method: 'tools/call', params: CALL });
  };
}

interface Load {
  rate: number;
  p50: number;
  p99: number;
}

/** `clients` callers in a closed loop for SECONDS: calls per second and latency percentiles. */
async function load(url: string, era: Era, clients: number, limit: boolean): Promise<Load> {
  const pool = new Pool(new URL(url).origin, { connections: clients, pipelining: 1 });
  const callers = await Promise.all(Array.from({ length: clients }, () => httpCaller(pool, url, era, limit)));
  for (const c of callers) await c();
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  const t0 = performance.now();
  await Promise.all(
    callers.map(async (c) => {
      while (performance.now() < end) {
        const s = performance.now();
        await c();
        lat.push(performance.now() - s);
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  await pool.close();
  return { rate: lat.length / elapsed, p50: pct(lat, 0.5), p99: pct(lat, 0.99) };
}

/** Heap and RSS per open 2025-11-25 session (initialize, initialized, tools/list), measured in the server. */
async function perSession(url: string, p: ChildProcess): Promise<{ heap: number; rss: number }> {
  const pool = new Pool(new URL(url).origin, { connections: 16 });
  const { pathname } = new URL(url);
  const open = async () => {
    const init = await pool.request({
      path: pathname,
      method: 'POST',
      headers: LEGACY_HEADERS,
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
      }),
    });
    await init.body.text();
    const sid = init.headers['mcp-session-id'];
    if (typeof sid !== 'string') throw new Error(`no session opened (${init.statusCode})`);
    const headers = {
      ...LEGACY_HEADERS,
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-11-25',
    };
    for (const body of [
      { jsonrpc: '2.0', method: 'notifications/initialized' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]) {
      const r = await pool.request({ path: pathname, method: 'POST', headers, body: JSON.stringify(body) });
      const text = await r.body.text();
      if (r.statusCode >= 300 || ('id' in body && !text.includes('"tools"')))
        throw new Error(`${r.statusCode} ${text}`);
    }
  };
  await open();
  const before = await mem(p);
  for (let i = 0; i < SESSIONS; i += 16) await Promise.all(Array.from({ length: Math.min(16, SESSIONS - i) }, open));
  const after = await mem(p);
  await pool.close();
  return { heap: (after.heapUsed - before.heapUsed) / SESSIONS, rss: (after.rss - before.rss) / SESSIONS };
}

async function main() {
  const sandbox = await startSandboxes('127.0.0.1', { unlimited: true });
  const all = envOf(sandbox.configs);
  const one = envOf({ mailcow: sandbox.configs.mailcow });
  const out: string[] = [];
  const row = (...cells: string[]) => out.push(`| ${cells.join(' | ')} |`);
  out.push(QUICK ? '(BENCH_QUICK=1: a run that proves the bench works; its figures mean nothing)' : '');
  row('Figure', 'Server', 'Floor', 'Limit / bare', 'vs floor', 'vs limit / bare');
  row('---', '---', '---', '---', '---', '---');

  // 1. cold start, spawn → tools/list over stdio; bare node and the floor get the very same environment
  const colds = [
    ['1 backend', one],
    ['4 backends', all],
  ] as const;
  for (const [label, env] of part('cold') ? colds : []) {
    const [bare, floor, ours] = await alternate([
      () => bareNode(env),
      () => coldStart(FLOOR, env),
      () => coldStart(SERVER, env),
    ]);
    row(
      `cold start, ${label}`,
      ms(ours as number),
      ms(floor as number),
      ms(bare as number),
      x(ours as number, floor as number),
      x(ours as number, bare as number),
    );
  }

  // 2. one stdio tool call (sequential), against the same GET sent straight with undici
  if (part('stdio')) {
    const mailcow = sandbox.configs.mailcow;
    if (!mailcow) throw new Error('no mailcow sandbox');
    // One process's speed varies by several percent with where its code and heap land: each contender is
    // PROCESSES processes, its batches taken from each in turn.
    const spawnAll = (bin: string) => Promise.all(Array.from({ length: PROCESSES }, () => stdioClient(bin, one)));
    const ours = await spawnAll(SERVER);
    const floors = await spawnAll(FLOOR);
    const floor = floors[0] as Client;
    const batch = async (fn: () => Promise<void>) => {
      const t0 = performance.now();
      for (let i = 0; i < CALLS; i++) await fn();
      return (performance.now() - t0) / CALLS;
    };
    const turns = (clients: Client[]) => {
      let n = 0;
      return () => {
        const c = clients[n++ % clients.length] as Client;
        return batch(async () => {
          const r = await c.callTool(CALL);
          if (r.isError) throw new Error(JSON.stringify(r));
        });
      };
    };
    const direct = async () => {
      const r = await request(`${mailcow.url}/api/v1/mailboxes/info@example.com`, {
        headers: { authorization: `Bearer ${mailcow.apiKey}`, accept: 'application/json' },
      });
      await r.body.json();
    };
    // A stdio server lives as long as its client's session: the figure is a call once the JIT has compiled
    // the path, so each process first serves the same WARM_CALLS untimed calls (300; the server's larger
    // code tiers up over its first few hundred calls, the floor's over fewer).
    const [d, f, o] = await alternate(
      [() => batch(direct), turns(floors), turns(ours)],
      RUNS,
      Math.ceil(WARM_CALLS / CALLS) * PROCESSES,
    );
    row(
      'stdio tool call',
      ms(o as number),
      ms(f as number),
      `${ms(d as number)} (undici)`,
      x(o as number, f as number),
      x(o as number, d as number),
    );

    // 5. model-facing tools/list, all four backends
    const four = await stdioClient(SERVER, all);
    const { tools } = await four.listTools();
    const { tools: floorTools } = await floor.listTools();
    row(
      'tools/list tokens (o200k), 4 backends',
      `${countTokens(JSON.stringify(tools))} (${tools.length} tools)`,
      `${countTokens(JSON.stringify(floorTools))} (1 tool)`,
      '',
      '',
      '',
    );
    await Promise.all([...ours, ...floors, four].map((c) => c.close()));
  }

  // 3. HTTP calls/s and latency, both eras, against the floor and the limit
  if (part('http')) await http(all, one, row);

  // 4. memory per open 2025 session
  if (part('memory')) await memory(all, one, row);

  await sandbox.close();
  console.log(out.join('\n'));
}

type Row = (...cells: string[]) => void;

async function http(all: Record<string, string>, one: Record<string, string>, row: Row): Promise<void> {
  const servers = {
    ours: await serveHttp(SERVER, all),
    floor: await serveHttp(FLOOR, one),
    limit: await serveHttp(LIMIT, one),
  };
  for (const era of ['2026-07-28', '2025-11-25'] as const) {
    for (const n of CLIENTS) {
      const runs = { ours: [] as Load[], floor: [] as Load[], limit: [] as Load[] };
      for (let r = 0; r < ROUNDS; r++) {
        for (const k of (['limit', 'floor', 'ours'] as const).map((_, i, a) => a[(i + r) % 3] as keyof typeof runs)) {
          runs[k].push(await load(servers[k].url, era, n, k === 'limit'));
        }
      }
      const m = (k: keyof typeof runs) => ({
        rate: median(runs[k].map((l) => l.rate)),
        p50: median(runs[k].map((l) => l.p50)),
        p99: median(runs[k].map((l) => l.p99)),
      });
      const [o, f, l] = [m('ours'), m('floor'), m('limit')];
      row(
        `HTTP ${era}, ${n} clients, calls/s`,
        o.rate.toFixed(0),
        f.rate.toFixed(0),
        l.rate.toFixed(0),
        x(o.rate, f.rate),
        x(o.rate, l.rate),
      );
      row(
        `HTTP ${era}, ${n} clients, p50 / p99`,
        `${ms(o.p50)} / ${ms(o.p99)}`,
        `${ms(f.p50)} / ${ms(f.p99)}`,
        `${ms(l.p50)} / ${ms(l.p99)}`,
        `${x(o.p50, f.p50)} / ${x(o.p99, f.p99)}`,
        `${x(o.p50, l.p50)} / ${x(o.p99, l.p99)}`,
      );
    }
  }
  for (const s of Object.values(servers)) s.p.kill('SIGTERM');
}

/** Measured in fresh processes: what a load run left behind (buffers, caches freed later) is not counted. */
async function memory(all: Record<string, string>, one: Record<string, string>, row: Row): Promise<void> {
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const fresh = async (bin: string, env: Record<string, string>) => {
    const s = await serveHttp(bin, env);
    try {
      return await perSession(s.url, s.p);
    } finally {
      s.p.kill('SIGTERM');
    }
  };
  const [mo, mf] = [await fresh(SERVER, all), await fresh(FLOOR, one)];
  row(`heap per open 2025 session (${SESSIONS})`, kib(mo.heap), kib(mf.heap), '', x(mo.heap, mf.heap), '');
  row(`RSS per open 2025 session (${SESSIONS})`, kib(mo.rss), kib(mf.rss), '', x(mo.rss, mf.rss), '');
}

await main();
