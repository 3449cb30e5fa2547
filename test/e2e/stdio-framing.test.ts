// stdio framing against the built binary: every line gets an answer, the connection survives bad input,
// and the process goes away with its client (issue 11).
import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { BIN } from './clients.ts';

type Msg = { id?: unknown; result?: { tools?: unknown[] }; error?: { code: number; message: string } };
const INIT = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

interface Peer {
  proc: ChildProcess;
  send(line: string): void;
  next(): Promise<Msg>;
  exited(): Promise<{ code: number | null; ms: number }>;
}

const peers: ChildProcess[] = [];
afterEach(() => {
  for (const p of peers.splice(0)) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
});

function start(args = ['--sandbox']): Peer {
  const proc = spawn(process.execPath, [BIN, ...args], {
    // Without --sandbox: one backend configured (nothing is sent to it before a tool call).
    env: {
      PATH: process.env.PATH ?? '',
      MAILOPS_LOG_LEVEL: 'warn',
      MAILOPS_AUDIT_LOG: 'off',
      ...(args.includes('--sandbox') ? {} : { MAILCOW_URL: 'http://127.0.0.1:9', MAILCOW_API_KEY: 'framing-test-key' }),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  peers.push(proc);
  proc.stdin?.on('error', () => {});
  const queue: Msg[] = [];
  const waiting: Array<(m: Msg) => void> = [];
  let buf = '';
  proc.stdout?.on('data', (d: Buffer) => {
    buf += d.toString('utf8');
    for (let nl = buf.indexOf('\n'); nl !== -1; nl = buf.indexOf('\n')) {
      const m = JSON.parse(buf.slice(0, nl)) as Msg;
      buf = buf.slice(nl + 1);
      const w = waiting.shift();
      if (w) w(m);
      else queue.push(m);
    }
  });
  const exit = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    proc,
    send: (line) => proc.stdin?.write(`${line}\n`),
    next: () => {
      const m = queue.shift();
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no answer within 5 s')), 5000);
        waiting.push((x) => {
          clearTimeout(t);
          resolve(x);
        });
      });
    },
    exited: async () => {
      const t0 = Date.now();
      const code = await Promise.race([exit, new Promise<'alive'>((r) => setTimeout(() => r('alive'), 4000))]);
      if (code === 'alive') throw new Error('the process is still alive 4 s later');
      return { code, ms: Date.now() - t0 };
    },
  };
}

async function opened(args?: string[]): Promise<Peer> {
  const p = start(args);
  p.send(JSON.stringify(INIT));
  expect((await p.next()).id).toBe(0);
  p.send(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
  return p;
}

const list = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/list' });

describe('stdio framing (built binary, --sandbox)', () => {
  test('a malformed JSON line is answered with -32700 and id null; the connection stays usable', async () => {
    const p = await opened();
    p.send('{"jsonrpc": "2.0", "id": 5, "method": ');
    expect(await p.next()).toMatchObject({ id: null, error: { code: -32700 } });
    p.send(list(6));
    const ok = await p.next();
    expect(ok.id).toBe(6);
    expect(ok.result?.tools?.length).toBeGreaterThan(10);
  });

  test('invalid requests get -32600/-32602 with the id when it can be read', async () => {
    const p = await opened();
    p.send(JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: null }));
    expect(await p.next()).toMatchObject({ id: 7, error: { code: -32602 } });
    p.send(JSON.stringify({ jsonrpc: '2.0', id: 1.5, method: 'tools/list' }));
    expect(await p.next()).toMatchObject({ id: 1.5, error: { code: -32600 } });
    p.send(JSON.stringify({ jsonrpc: '2.0', id: { a: 1 }, method: 'tools/list' }));
    expect(await p.next()).toMatchObject({ id: null, error: { code: -32600 } });
    p.send(JSON.stringify({ jsonrpc: '2.0', id: 8 }));
    expect(await p.next()).toMatchObject({ id: 8, error: { code: -32600 } });
    p.send(JSON.stringify({ jsonrpc: '1.0', id: 'x', method: 'tools/list' }));
    expect(await p.next()).toMatchObject({ id: 'x', error: { code: -32600 } });
    p.send('[1,2]');
    expect(await p.next()).toMatchObject({ id: null, error: { code: -32600 } });
    p.send(list(9));
    expect((await p.next()).id).toBe(9);
  });

  test('a line over 10 MiB gets an error under its own id and the connection stays usable', async () => {
    const p = await opened();
    const big = JSON.stringify({ jsonrpc: '2.0', id: 10, method: 'tools/list', params: { pad: 'x'.repeat(11 << 20) } });
    p.send(big);
    const err = await p.next();
    expect(err).toMatchObject({ id: 10, error: { code: -32600 } });
    expect(err.error?.message).toContain('larger than 10485760 bytes');
    p.send(list(11));
    expect((await p.next()).id).toBe(11);
  }, 20_000);

  test('300,000-deep nesting is refused under its id without touching the stack', async () => {
    const p = await opened();
    const deep = `${'['.repeat(300_000)}${']'.repeat(300_000)}`;
    p.send(
      `{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"mailcow_list_domains","arguments":{"x":${deep}}}}`,
    );
    const err = await p.next();
    expect(err).toMatchObject({ id: 12, error: { code: -32600 } });
    expect(err.error?.message).toMatch(/nested deeper than 64/);
    p.send(list(13));
    expect((await p.next()).id).toBe(13);
  });

  test.each([[['--sandbox']], [[]]])('the process exits within 2 s when stdin ends (%j)', async (args) => {
    const p = await opened(args);
    p.proc.stdin?.end();
    const { code, ms } = await p.exited();
    expect(code).toBe(0);
    expect(ms).toBeLessThan(2000);
  });

  test('the --sandbox process exits within 2 s after EPIPE on stdout, even with stdin still open', async () => {
    const p = await opened();
    p.proc.stdout?.destroy();
    const t0 = Date.now();
    for (let i = 0; i < 5; i++) p.send(list(100 + i));
    const { ms } = await p.exited();
    expect(Date.now() - t0).toBeLessThan(2500);
    expect(ms).toBeLessThan(2500);
  });

  test('output waiting for a client that does not read is bounded: reading stops, then resumes', async () => {
    const p = await opened();
    p.proc.stdout?.pause();
    const n = 1000;
    // Written without waiting: the server must stop taking lines once its stdout backlog is over the mark.
    const pad = 'r'.repeat(3000);
    for (let i = 0; i < n; i++) p.send(JSON.stringify({ jsonrpc: '2.0', id: `${pad}${i}`, method: 'tools/list' }));
    await new Promise((r) => setTimeout(r, 3000));
    // While paused, the pipe to the server fills and our writes queue up here, not in the server.
    expect(p.proc.stdin?.writableLength ?? 0).toBeGreaterThan(0);
    p.proc.stdout?.resume();
    let last: Msg | undefined;
    for (let i = 0; i < n; i++) last = await p.next();
    expect(last?.id).toBe(`${pad}${n - 1}`);
  }, 60_000);
});
