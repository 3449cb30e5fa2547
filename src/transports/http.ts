import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  hostHeaderValidation,
  NodeStreamableHTTPServerTransport,
  originValidation,
  toNodeHandler,
  toWebRequest,
} from '@modelcontextprotocol/node';
import {
  type AuthInfo,
  createMcpHandler,
  isInitializeRequest,
  isLegacyRequest,
  type McpServer,
} from '@modelcontextprotocol/server';
import { oauthGate, subjectOf } from '../auth/http.ts';
import { type Config, isLoopback } from '../config.ts';
import { log } from '../log.ts';
import { buildServer, type ServerDeps } from '../server.ts';
import { allTools } from '../tools/index.ts';
import { headerSelection } from '../tools/select.ts';

const LOCAL_NAMES = ['localhost', '127.0.0.1', '[::1]'];

interface Session {
  transport: NodeStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
  /** Requests still being answered (an open SSE stream counts): a busy session is never idle. */
  active: number;
  /** The OAuth subject that opened it: nobody else may use it. */
  subject?: string;
}

export interface HttpHandle {
  url: string;
  sessionCount(): number;
  close(): Promise<void>;
}

function rpcError(
  res: ServerResponse,
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }));
}

const digest = (s: string) => createHash('sha256').update(s).digest();

function originNames(allowed: string[]): string[] {
  return allowed.map((o) => {
    if (/^[a-z][a-z0-9+.-]*:\/\/\*$/i.test(o)) return o;
    try {
      return new URL(o).hostname;
    } catch {
      return o;
    }
  });
}

/** An oversized upload is read and dropped up to these bounds before the 413, so the client sees it. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
const DRAIN_MS = 5000;

/**
 * The request body, or `undefined` when it is larger than `max`. An oversized body is drained (within
 * bounds) before this resolves: answering while the client still uploads would reach it as a reset.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let size = 0;
    let over = Number.isFinite(declared) && declared > max;
    const chunks: Buffer[] = [];
    const tooLarge = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    const timer = setTimeout(tooLarge, DRAIN_MS);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!over && size > max) {
        over = true;
        chunks.length = 0;
      }
      if (over) {
        if (size > DRAIN_LIMIT) tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return tooLarge();
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** A JSON-RPC message, or a non-empty batch of them (clients of 2025-03-26 and before may batch). */
function isJsonRpc(body: unknown): boolean {
  const one = (m: unknown) =>
    typeof m === 'object' && m !== null && !Array.isArray(m) && (m as { jsonrpc?: unknown }).jsonrpc === '2.0';
  return Array.isArray(body) ? body.length > 0 && body.every(one) : one(body);
}

/**
 * Streamable HTTP at /mcp: 2026-07-28 requests go to the per-request handler; 2025-11-25 clients get
 * a session (so that elicitation reaches them), freed after an idle timeout.
 */
export async function startHttp(deps: ServerDeps, cfg: Config['http']): Promise<HttpHandle> {
  const onerror = (err: Error) => log.warn('http transport error', { error: err.message });
  const oauth = cfg.oauth ? oauthGate(cfg.oauth, allTools, Object.keys(deps.clients), () => ['default']) : undefined;
  const scoped = (auth: AuthInfo | undefined) => (oauth && auth ? [oauth.narrowing(auth)] : []);
  const modern = createMcpHandler(
    (ctx) =>
      buildServer(
        deps,
        headerSelection((n) => ctx.requestInfo?.headers.get(n)),
        ...scoped(ctx.authInfo),
      ),
    {
      legacy: 'reject',
      maxRequestBodySize: cfg.maxBodyBytes,
      onerror,
    },
  );
  const modernNode = toNodeHandler(modern, { maxRequestBodySize: cfg.maxBodyBytes, onerror });
  const sessions = new Map<string, Session>();
  const wildcard = cfg.host === '0.0.0.0' || cfg.host === '::' || cfg.host === '[::]';
  const hostOk = wildcard
    ? () => true
    : hostHeaderValidation(
        isLoopback(cfg.host)
          ? LOCAL_NAMES
          : [...LOCAL_NAMES, cfg.host.includes(':') && !cfg.host.startsWith('[') ? `[${cfg.host}]` : cfg.host],
      );
  const originOk = originValidation([...LOCAL_NAMES, ...originNames(cfg.allowedOrigins)]);
  const expected = cfg.token ? digest(`Bearer ${cfg.token}`) : undefined;

  const endSession = async (id: string) => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  };

  const openSession = async (req: IncomingMessage, res: ServerResponse, body: unknown, auth?: AuthInfo) => {
    if (sessions.size >= cfg.maxSessions) {
      rpcError(res, 503, -32000, 'Too many open sessions; retry later', { 'retry-after': '5' });
      return;
    }
    const server = buildServer(
      deps,
      headerSelection((n) => req.headers[n] as string | undefined),
      ...scoped(auth),
    );
    const transport: NodeStreamableHTTPServerTransport = new NodeStreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastSeen: Date.now(), active: 1, subject: subjectOf(auth)?.sub });
      },
      onsessionclosed: (id) => void endSession(id),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    // The session is registered while this initialize request is answered, counting it as active.
    res.once('close', () => {
      const s = transport.sessionId ? sessions.get(transport.sessionId) : undefined;
      if (s) {
        s.active--;
        s.lastSeen = Date.now();
      }
    });
    await transport.handleRequest(req, res, body);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (oauth?.serveMetadata(req, res, path)) return;
    if (path !== '/mcp') return rpcError(res, 404, -32601, 'Not found: the MCP endpoint is /mcp');
    if (!hostOk(req, res) || !originOk(req, res)) return;
    let auth: AuthInfo | undefined;
    if (oauth) {
      auth = await oauth.authenticate(req, res);
      if (!auth) return;
      // The SDK hands `req.auth` to every handler as `ctx.http.authInfo`.
      (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    } else if (expected) {
      const got = req.headers.authorization ?? '';
      if (!timingSafeEqual(digest(got), expected)) {
        return rpcError(res, 401, -32001, 'Unauthorized: missing or wrong bearer token', {
          'www-authenticate': 'Bearer realm="mailops-mcp", error="invalid_token"',
        });
      }
    }
    let body: unknown;
    if (req.method === 'POST') {
      const raw = await readBody(req, cfg.maxBodyBytes);
      if (raw === undefined) {
        res.setHeader('connection', 'close');
        return rpcError(res, 413, -32600, `Request body larger than ${cfg.maxBodyBytes} bytes`);
      }
      try {
        body = JSON.parse(raw);
      } catch {
        return rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
      }
      if (!isJsonRpc(body)) return rpcError(res, 400, -32600, 'Invalid Request: not a JSON-RPC message');
      if (oauth && auth && !oauth.permitsCalls(auth, body, res)) return;
    }
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string' && sid) {
      const s = sessions.get(sid);
      if (!s) return rpcError(res, 404, -32001, 'Session not found: initialize again');
      if (oauth && s.subject !== subjectOf(auth)?.sub) {
        return rpcError(res, 403, -32001, 'Forbidden: this session belongs to another identity');
      }
      s.active++;
      s.lastSeen = Date.now();
      res.once('close', () => {
        s.active--;
        s.lastSeen = Date.now();
      });
      return s.transport.handleRequest(req, res, body);
    }
    if (req.method === 'POST' && isInitializeRequest(body)) return openSession(req, res, body, auth);
    if (req.method === 'POST' && (await isLegacyRequest(await toWebRequest(req, body), body))) {
      return rpcError(res, 400, -32000, 'Bad Request: no Mcp-Session-Id; initialize first');
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      return rpcError(res, 405, -32000, 'Method not allowed', { allow: 'GET, POST, DELETE' });
    }
    return modernNode(req, res, body);
  };

  const http = createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      log.error('http request failed', { error: err.message });
      rpcError(res, 500, -32603, 'Internal error');
    });
  });
  http.requestTimeout = 5 * 60_000;
  http.headersTimeout = 30_000;

  const sweep = setInterval(
    () => {
      const cutoff = Date.now() - cfg.sessionIdleMs;
      for (const [id, s] of sessions) if (s.active === 0 && s.lastSeen < cutoff) void endSession(id);
    },
    Math.max(50, Math.min(cfg.sessionIdleMs / 2, 60_000)),
  );
  sweep.unref();

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(cfg.port, cfg.host, resolve);
  });
  const addr = http.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  const url = `http://${shownHost}:${addr.port}/mcp`;
  log.info('serving Streamable HTTP', {
    url,
    auth: oauth ? `oauth (${oauth.rs.resource})` : expected ? 'bearer' : 'none',
  });

  return {
    url,
    sessionCount: () => sessions.size,
    close: async () => {
      clearInterval(sweep);
      await Promise.all([...sessions.keys()].map(endSession));
      await modern.close();
      http.closeIdleConnections();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        setTimeout(() => {
          http.closeAllConnections();
          resolve();
        }, 2000).unref();
      });
    },
  };
}
