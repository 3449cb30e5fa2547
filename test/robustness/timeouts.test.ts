// The backend client's timeout and cancellation against a raw loopback server that stalls in each place a
// real backend can: before the headers, in the middle of the body, and in a body that trickles without pause.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HttpClient } from '../../src/backends/http.ts';

const TIMEOUT = 300;
const open = new Set<ServerResponse>();
/** Requests to /gate wait here until `GATE` of them are open at once (or a second has passed). */
const GATE = 40;
const gated: ServerResponse[] = [];
let peak = 0;
const server = createServer((req, res) => {
  open.add(res);
  res.once('close', () => open.delete(res));
  if (req.url === '/late-headers') return; // never answers
  if (req.url === '/gate') {
    gated.push(res);
    peak = Math.max(peak, gated.length);
    const release = () => {
      for (const r of gated.splice(0)) r.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    if (gated.length >= GATE) release();
    else setTimeout(release, 1000);
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  if (req.url === '/fast') res.end('{"ok":true}');
  else if (req.url === '/stalled-body') res.write('{"ok":');
  else if (req.url === '/trickle') {
    res.write('[');
    const t = setInterval(() => res.write(' '), TIMEOUT / 6);
    res.once('close', () => clearInterval(t));
  }
});
let client: HttpClient;

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = new HttpClient({
    backend: 'mailcow',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: TIMEOUT,
    maxRetryWaitMs: 0,
    headers: () => ({}),
    throttled: () => undefined,
    message: (res) => res.text,
  });
});
afterAll(async () => {
  await client.close();
  for (const res of open) res.destroy();
  await new Promise((r) => server.close(r));
});

async function timed(path: string, signal?: AbortSignal): Promise<{ error: string; ms: number }> {
  const t0 = performance.now();
  const error = await client.json({ method: 'GET', path }, signal).then(
    () => 'answered',
    (e: Error) => e.message,
  );
  return { error, ms: performance.now() - t0 };
}

describe('a backend that stalls', () => {
  test('an answer within the timeout is read', async () => {
    expect(await client.json({ method: 'GET', path: '/fast' })).toEqual({ ok: true });
  });

  test.each([
    ['no headers', '/late-headers', 1],
    ['headers, then a body that stops', '/stalled-body', 2],
    ['a body that never pauses long enough to time out', '/trickle', 2],
  ])('%s (%s): "no answer within" the timeout, given up by %ix the timeout', async (_label, path, times) => {
    const { error, ms } = await timed(path);
    expect(error).toBe(`no answer within ${TIMEOUT} ms`);
    expect(ms).toBeGreaterThanOrEqual(TIMEOUT - 20);
    // undici ticks its timers twice a second: up to a second late, by design (undici/lib/util/timers.js).
    expect(ms).toBeLessThan(times * TIMEOUT + 1000);
  });

  test("the caller's signal cancels a request in flight and one not yet sent", async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 50);
    const { error, ms } = await timed('/late-headers', ctl.signal);
    expect(error).toBe('request cancelled');
    expect(ms).toBeLessThan(TIMEOUT);
    expect((await timed('/fast', ctl.signal)).error).toBe('request cancelled');
  });

  test('calls in flight each get a connection of their own: none waits in a queue of ours', async () => {
    const calls = Array.from({ length: GATE }, () => client.json({ method: 'GET', path: '/gate' }));
    expect(await Promise.all(calls)).toEqual(Array(GATE).fill({ ok: true }));
    expect(peak).toBe(GATE);
  });

  test('the client is usable after each of them', async () => {
    expect(await client.json({ method: 'GET', path: '/fast' })).toEqual({ ok: true });
  });
});
