import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What an emulator saw: tests read this log to check requests on the wire. */
export interface Seen {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface Call {
  method: string;
  /** Raw path without the query, as sent. */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  body: string;
  /** Decoded `:name` parameters of the matched route. */
  params: Record<string, string>;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown;
}

export type Handler = (call: Call) => Reply | Promise<Reply>;

/** Failures the tests inject into the next requests, whatever the backend. */
export type Fault =
  /** A raw answer: any status, any body (HTML pages, malformed JSON or XML). */
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> }
  /** Answer normally, but only after `ms`; a client that gives up first is counted in `aborted`. */
  | { kind: 'delay'; ms: number }
  /** Send the status line and half a body, then cut the connection. */
  | { kind: 'reset' }
  /** Answer 200 with a body of `bytes` bytes. */
  | { kind: 'huge'; bytes: number };
/** Runs before routing; a reply ends the request (auth, rate limits, injected faults). */
export type Hook = (call: Call) => Reply | undefined | Promise<Reply | undefined>;

interface Route {
  method: string;
  parts: string[];
  handler: Handler;
}

const MAX_BODY = 5 * 1024 * 1024;

/** A small HTTP router on loopback that every backend emulator is built on. */
export class Emulator {
  readonly seen: Seen[] = [];
  /** Requests whose client went away before the answer was written (timeouts, cancellations). */
  aborted = 0;
  private readonly faults: Array<Fault & { method?: string }> = [];
  private readonly routes: Route[] = [];
  private readonly hooks: Hook[] = [];
  /** Headers added to every answer (rate-limit headers, server name). */
  decorate?: (call: Call, reply: Reply) => void;
  private server?: Server;
  url = '';

  constructor(readonly name: string) {}

  route(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, parts: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  hook(fn: Hook): this {
    this.hooks.push(fn);
    return this;
  }

  /** Answer for a path that exists under another method, or for no route at all. */
  fallback: (call: Call, methodMismatch: boolean) => Reply = (_c, mismatch) =>
    mismatch
      ? { status: 405, body: { error: 'method not allowed' } }
      : { status: 404, body: { error: 'route not found' } };

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 5000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(port, host, resolve);
    });
    const addr = this.server.address() as AddressInfo;
    this.url = `http://${host}:${addr.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  clearLog(): void {
    this.seen.length = 0;
    this.aborted = 0;
  }

  /** The next `times` requests meet `fault` instead of (or before) their normal answer. */
  /** `method`: only requests with this method meet the fault (a write's before-image read passes by). */
  inject(fault: Fault, times = 1, method?: string): void {
    for (let i = 0; i < times; i++) this.faults.push(method ? { ...fault, method } : fault);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) {
        res.writeHead(413).end();
        return;
      }
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q < 0 ? rawUrl : rawUrl.slice(0, q);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    const method = req.method ?? 'GET';
    this.seen.push({ method, path: rawUrl, headers, body });
    const next = this.faults[0];
    const fault = next && (!next.method || next.method === method) ? this.faults.shift() : undefined;
    if (fault && (await this.apply(fault, req, res))) return;
    const call: Call = {
      method,
      path,
      query: new URLSearchParams(q < 0 ? '' : rawUrl.slice(q + 1)),
      headers,
      body,
      params: {},
    };
    let reply: Reply;
    try {
      reply = await this.dispatch(call);
    } catch (err) {
      reply = { status: 500, body: { error: `emulator failure: ${(err as Error).message}` } };
    }
    if (res.destroyed) return;
    this.decorate?.(call, reply);
    const out =
      reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    const type =
      typeof reply.body === 'string' || reply.body === undefined
        ? 'text/plain; charset=utf-8'
        : 'application/json; charset=utf-8';
    res.writeHead(reply.status, { 'content-type': type, ...reply.headers });
    res.end(out);
  }

  /** Plays a fault; true when it answered (or dropped) the request itself. */
  private async apply(fault: Fault, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'raw':
        res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8', ...fault.headers });
        res.end(fault.body);
        return true;
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"partial": "bo');
        setTimeout(() => req.socket.destroy(), 10);
        return true;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        for (let sent = 0; sent < fault.bytes && !res.destroyed; sent += chunk.length) {
          if (!res.write(chunk)) await new Promise((r) => res.once('drain', r).once('close', r));
        }
        res.end();
        return true;
      }
      case 'delay': {
        const gone = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), fault.ms);
          res.once('close', () => {
            clearTimeout(timer);
            resolve(!res.writableFinished);
          });
        });
        if (gone) {
          this.aborted++;
          return true;
        }
        return false;
      }
    }
  }

  private async dispatch(call: Call): Promise<Reply> {
    for (const hook of this.hooks) {
      const r = await hook(call);
      if (r) return r;
    }
    const parts = call.path.split('/').filter(Boolean);
    let mismatch = false;
    for (const route of this.routes) {
      const params = match(route.parts, parts);
      if (!params) continue;
      if (route.method !== call.method) {
        mismatch = true;
        continue;
      }
      call.params = params;
      return route.handler(call);
    }
    return this.fallback(call, mismatch);
  }
}

function match(pattern: string[], parts: string[]): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i] as string;
    const v = parts[i] as string;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(v);
      } catch {
        return undefined;
      }
    } else if (p !== v) return undefined;
  }
  return params;
}

/** Parses a JSON body; `undefined` when it is not JSON. */
export function jsonBody(call: Call): unknown {
  try {
    return call.body ? JSON.parse(call.body) : undefined;
  } catch {
    return undefined;
  }
}
