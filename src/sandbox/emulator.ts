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
