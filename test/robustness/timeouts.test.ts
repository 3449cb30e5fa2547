// The backend client's timeout and cancellation against a raw loopback server that stalls in each place a
// real backend can: before the headers, in the middle of the body, and in a body that trickles without pause.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { HttpClient, type HttpOptions } from '../../src/backends/http.ts';

const TIMEOUT = 300;
const open = new Set<ServerResponse>();
/** The last response to each path: a test waits for its own to close, whatever else is still open. */
const latest = new Map<string, ServerResponse>();
/** The last response to `path` closed before the server finished it: the client let the connection go. */
const cutShort = (path: string) => {
  const res = latest.get(path);
  return res !== undefined && !res.writableFinished && !open.has(res);
};
/** Requests to /gate wait here until `GATE` of them are open at once (or a second has passed). */
const GATE = 40;
const gated: ServerResponse[] = [];
let peak = 0;
const server = createServer((req, res) => {
  open.add(res);
  latest.set(req.url ?? '', res);
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
  if (req.url === '/processing') {
    res.writeProcessing();
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"after":102}'), 20);
    return;
  }
  if (req.url === '/repeated') {
    res.setHeader('x-seen', ['a', 'b']);
    return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  }
  if (req.url === '/declared-huge') {
    // Declares more than the cap, then sends the body only after a second: the client must not wait for it.
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(1 << 20) });
    res.flushHeaders();
    const t = setTimeout(() => res.end(' '.repeat(1 << 20)), 1000);
    res.once('close', () => clearTimeout(t));
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json' });
  if (req.url === '/huge') {
    // Written in parts until the client goes: it must stop reading at its cap, not take it all.
    const part = ' '.repeat(16 * 1024);
    const t = setInterval(() => res.write(part), 5);
    res.once('close', () => clearInterval(t));
  } else if (req.url === '/fast') res.end('{"ok":true}');
  else if (req.url === '/stalled-body') res.write('{"ok":');
  else if (req.url === '/trickle') {
    res.write('[');
    const t = setInterval(() => res.write(' '), TIMEOUT / 6);
    res.once('close', () => clearInterval(t));
  }
});
let client: HttpClient;
/** A client of the test server: TIMEOUT, no retries, the answer's text as its error message. */
const clientWith = (opts: Partial<HttpOptions> = {}) =>
  new HttpClient({
    backend: 'mailcow',
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: TIMEOUT,
    maxRetryWaitMs: 0,
    headers: () => ({}),
    throttled: () => undefined,
    message: (res) => res.text,
    ...opts,
  });

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  client = clientWith();
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

/** A request to `path` whose caller gives up after 50 ms: it must end as cancelled well within the timeout. */
async function cancelledSoon(path: string): Promise<AbortSignal> {
  const ctl = new AbortController();
  setTimeout(() => ctl.abort(), 50);
  const { error, ms } = await timed(path, ctl.signal);
  expect(error).toBe('request cancelled');
  expect(ms).toBeLessThan(TIMEOUT);
  return ctl.signal;
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
    const aborted = await cancelledSoon('/late-headers');
    expect((await timed('/fast', aborted)).error).toBe('request cancelled');
  });

  test("the caller's signal cancels a request whose body is arriving, and the connection is let go", async () => {
    await cancelledSoon('/stalled-body');
    await vi.waitFor(() => expect(cutShort('/stalled-body')).toBe(true));
  });

  test('calls in flight each get a connection of their own: none waits in a queue of ours', async () => {
    const calls = Array.from({ length: GATE }, () => client.json({ method: 'GET', path: '/gate' }));
    expect(await Promise.all(calls)).toEqual(Array(GATE).fill({ ok: true }));
    expect(peak).toBe(GATE);
  });

  test.each([
    ['without a length, as it arrives', '/huge'],
    ['declaring its length, before its body', '/declared-huge'],
  ])('an answer over maxBodyBytes is refused %s, and its connection closed', async (_label, path) => {
    const capped = clientWith({ timeoutMs: 5000, maxBodyBytes: 40 * 1024 });
    const t0 = performance.now();
    await expect(capped.json({ method: 'GET', path })).rejects.toThrow('response larger than 40960 bytes was refused');
    expect(performance.now() - t0).toBeLessThan(800);
    await vi.waitFor(() => expect(cutShort(path)).toBe(true));
    await capped.close();
  });

  test('an informational 102 before the answer: the answer is read', async () => {
    expect(await client.json({ method: 'GET', path: '/processing' })).toEqual({ after: 102 });
  });

  test('a header the answer repeats arrives as one value, joined', async () => {
    const res = await client.send({ method: 'GET', path: '/repeated' });
    expect(res.headers['x-seen']).toBe('a, b');
    expect(res.headers['content-type']).toBe('application/json');
  });

  test('the client is usable after each of them', async () => {
    expect(await client.json({ method: 'GET', path: '/fast' })).toEqual({ ok: true });
  });
});
