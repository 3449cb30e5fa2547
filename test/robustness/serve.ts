// The server under test of http-load.test.ts, in a process of its own so that its memory is measured alone:
// the sandboxes (rate limits lifted), the backend clients and the Streamable HTTP transport with a token.
// Forked with `--expose-gc --import tsx`; it sends `{ url }` over IPC once it listens, answers `'mem'` with
// `{ heapUsed, rss, sessions }` measured after two full collections, plays `{ inject }` on a backend's
// emulator (answered `'injected'`), and closes everything on `'stop'`.
import { buildClients } from '../../src/backends/index.ts';
import { setLogLevel } from '../../src/log.ts';
import type { Fault } from '../../src/sandbox/emulator.ts';
import { startSandboxes } from '../../src/sandbox/index.ts';
import type { ServerDeps } from '../../src/server.ts';
import { startHttp } from '../../src/transports/http.ts';

export interface ServeOptions {
  token: string;
  maxBodyBytes: number;
  sessionIdleMs: number;
  maxSessions: number;
}

export type ServeRequest = 'mem' | 'stop' | { inject: Fault; backend: string; times?: number };

export type ServeReply =
  | { type: 'ready'; url: string }
  | { type: 'injected' }
  | { type: 'mem'; heapUsed: number; rss: number; sessions: number }
  | { type: 'stopped' };

const DEFAULTS: ServeOptions = {
  token: 'load-test-token',
  maxBodyBytes: 64 * 1024,
  sessionIdleMs: 1500,
  maxSessions: 2000,
};

async function main(): Promise<void> {
  setLogLevel('silent');
  const send = (m: ServeReply) => process.send?.(m);
  const opts: ServeOptions = {
    ...DEFAULTS,
    ...(JSON.parse(process.env.SERVE_OPTIONS ?? '{}') as Partial<ServeOptions>),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('serve.ts needs --expose-gc');

  const sandbox = await startSandboxes('127.0.0.1', { unlimited: true });
  const clients = buildClients(sandbox.configs, { timeoutMs: 10_000, maxRetryWaitMs: 1_000 });
  const deps: ServerDeps = { clients, selection: { readOnly: false } };
  const http = await startHttp(deps, {
    host: '127.0.0.1',
    port: 0,
    token: opts.token,
    allowedOrigins: [],
    maxBodyBytes: opts.maxBodyBytes,
    sessionIdleMs: opts.sessionIdleMs,
    maxSessions: opts.maxSessions,
  });

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    await http.close().catch(() => {});
    await sandbox.close().catch(() => {});
    send({ type: 'stopped' });
    process.exit(0);
  };

  process.on('message', (msg: ServeRequest) => {
    if (msg === 'mem') {
      // The emulators log every request they see (a test aid, not the server's memory): drop the log so that
      // only the server's own heap is compared.
      for (const e of Object.values(sandbox.emulators)) e.clearLog();
      // Two passes: the first can leave objects that only a later pass (after finalizers/weak callbacks) frees.
      gc();
      gc();
      const m = process.memoryUsage();
      send({ type: 'mem', heapUsed: m.heapUsed, rss: m.rss, sessions: http.sessionCount() });
    } else if (msg === 'stop') {
      void stop();
    } else if (typeof msg === 'object' && msg.inject) {
      sandbox.emulators[msg.backend]?.inject(msg.inject, msg.times ?? 1);
      send({ type: 'injected' });
    }
  });
  // The parent went away (test crashed or was killed): do not linger.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());

  send({ type: 'ready', url: http.url });
}

main().catch((err: Error) => {
  console.error(`serve.ts failed: ${err.stack ?? err.message}`);
  process.exit(1);
});
