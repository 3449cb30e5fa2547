// Benchmarks, each printed as a ratio to a baseline measured in the same run (the machine is shared and noisy).
//  1. cold start: spawn the built server to the tools/list answer over stdio, against a bare `node -e ""`.
//  2. per-call cost: a mailcow tool call through the built server over stdio, against the same request sent
//     straight to the sandbox with undici.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { request } from 'undici';
import { mailcowRestEmulator } from '../src/sandbox/mailcow/rest.ts';

const BIN = fileURLToPath(new URL('../dist/mailops-mcp.js', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CALLS = Number(process.env.BENCH_CALLS ?? 200);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

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

/** Spawn → the line answering tools/list (id 2), in ms. */
function coldStart(env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, [BIN], {
      env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'silent', ...env },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
      if (out.includes('"id":2}') || out.includes('"id":2,')) {
        const ms = performance.now() - t0;
        p.kill();
        resolve(ms);
      }
    });
    p.on('error', reject);
    p.stdin.write(HANDSHAKE);
  });
}

function bareNode(): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    p.on('exit', () => resolve(performance.now() - t0));
    p.on('error', reject);
  });
}

async function main() {
  const emu = mailcowRestEmulator({ apiKey: 'bench-key-0000', rateLimit: { limit: 1e9, windowMs: 60_000 } });
  const url = await emu.listen();
  const env = { MAILCOW_URL: url, MAILCOW_API_KEY: 'bench-key-0000' };

  await coldStart(env);
  await bareNode();
  const cold: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bare.push(await bareNode());
    cold.push(await coldStart(env));
  }

  const client = new Client({ name: 'bench', version: '1' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'silent', ...env },
    }),
  );
  const direct = async () => {
    const res = await request(`${url}/api/v1/mailboxes/info@example.com`, {
      headers: { authorization: 'Bearer bench-key-0000', accept: 'application/json' },
    });
    await res.body.json();
  };
  const viaTool = async () => {
    const r = await client.callTool({ name: 'mailcow_get_mailbox', arguments: { email: 'info@example.com' } });
    if (r.isError) throw new Error(JSON.stringify(r));
  };
  const timeBatch = async (fn: () => Promise<void>) => {
    const t0 = performance.now();
    for (let i = 0; i < CALLS; i++) await fn();
    return (performance.now() - t0) / CALLS;
  };
  /** Warm both, then alternate batches so that noise on the shared machine hits baseline and measure alike. */
  const interleaved = async (measured: () => Promise<void>) => {
    await timeBatch(direct);
    await timeBatch(measured);
    const base: number[] = [];
    const value: number[] = [];
    for (let i = 0; i < 5; i++) {
      base.push(await timeBatch(direct));
      value.push(await timeBatch(measured));
    }
    return { base: median(base), value: median(value) };
  };
  const stdio = await interleaved(viaTool);
  await client.close();

  // The same call over Streamable HTTP, 2026-07-28 era: a fresh server instance answers every request.
  const server = spawn(process.execPath, [BIN, '--http'], {
    env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'info', MAILOPS_HTTP_PORT: '0', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const mcpUrl = await new Promise<string>((resolve, reject) => {
    let err = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      err += chunk;
      const m = /serving Streamable HTTP \{"url":"([^"]+)"/.exec(err);
      if (m) resolve(m[1] as string);
    });
    server.once('exit', () => reject(new Error(`http server exited: ${err}`)));
  });
  const httpClient = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' } });
  await httpClient.connect(new StreamableHTTPClientTransport(new URL(mcpUrl)));
  const viaHttp = async () => {
    const r = await httpClient.callTool({ name: 'mailcow_get_mailbox', arguments: { email: 'info@example.com' } });
    if (r.isError) throw new Error(JSON.stringify(r));
  };
  const http = await interleaved(viaHttp);
  await httpClient.close();
  server.kill('SIGTERM');
  await emu.close();

  const rows = [
    ['cold start (spawn → tools/list, stdio)', median(cold), 'bare node -e ""', median(bare)],
    ['mailcow_get_mailbox via MCP stdio', stdio.value, 'same GET with undici', stdio.base],
    ['mailcow_get_mailbox via MCP HTTP (2026-07-28)', http.value, 'same GET with undici', http.base],
  ] as const;
  for (const [what, v, base, b] of rows) {
    console.log(`${what}: ${fmt(v)} | baseline ${base}: ${fmt(b)} | ratio ${(v / b).toFixed(2)}x`);
  }
  console.log(`added per tool call: stdio ${fmt(stdio.value - stdio.base)}, HTTP ${fmt(http.value - http.base)}`);
}

await main();
