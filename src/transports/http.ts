import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  hostHeaderValidation,
  NodeStreamableHTTPServerTransport,
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
import { bearer } from '../auth/bearer.ts';
import { oauthGate, subjectOf } from '../auth/http.ts';
import { type Config, isLoopback, type Selection } from '../config.ts';
import { log } from '../log.ts';
import { carriedSelection, carrySelection } from '../rails/narrow.ts';
import { buildServer, fleetOf, type ServerDeps, toolServer } from '../server.ts';
import { heads } from '../tools/heads.ts';
import { headerSelection, narrowest, SelectionError } from '../tools/select.ts';
import { MAX_DEPTH, tooDeep } from './depth.ts';

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

/**
 * Whether a request's Origin may call: no Origin (not a browser), a localhost origin on any port, or one
 * of the configured origins compared whole (scheme, host and port). A configured `scheme://*` admits
 * any origin of a non-web scheme (`vscode-webview://*`).
 */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (LOCAL_NAMES.includes(u.hostname)) return true;
  if (u.origin !== 'null' && allowed.includes(u.origin)) return true;
  const web = u.protocol === 'http:' || u.protocol === 'https:';
  return !web && allowed.includes(`${u.protocol}//*`);
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive (RFC 9110 §11.1). */
/** An oversized upload is read and dropped up to these bounds before the 413, so the client sees it. */
const DRAIN_LIMIT = 64 * 1024 * 1024;
const DRAIN_MS = 5000;

/**
 * The request body, or `undefined` when it is larger than `max`. A body within the limit is read for as
 * long as the client takes (the server's request timeout bounds it); only an oversized body is drained,
 * within bounds, before this resolves: answering while the client still uploads would reach it as a reset.
 */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const chunks: Buffer[] = [];
    const tooLarge = () => {
      clearTimeout(timer);
      resolve(undefined);
    };
    const overflow = () => {
      chunks.length = 0;
      timer = setTimeout(tooLarge, DRAIN_MS);
    };
    if (Number.isFinite(declared) && declared > max) overflow();
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (!timer && size > max) overflow();
      if (timer) {
        if (size > DRAIN_LIMIT) tooLarge();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (timer) return tooLarge();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

type HostCheck = (req: IncomingMessage, res: ServerResponse) => boolean;

/** Host headers already admitted pass without another URL parse (clients send the same one every time). */
function knownHosts(check: HostCheck): HostCheck {
  const admitted = new Set<string>();
  return (req, res) => {
    const host = req.headers.host;
    if (host !== undefined && admitted.has(host)) return true;
    const ok = check(req, res);
    if (ok && host !== undefined) {
      if (admitted.size >= 64) admitted.clear();
      admitted.add(host);
    }
    return ok;
  };
}

const narrowsNothing = (s: Selection) => !s.readOnly && !s.toolsets && !s.tools && !s.exclude;

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
  const fleet = fleetOf(deps);
  const oauth = cfg.oauth
    ? oauthGate(cfg.oauth, heads, Object.keys(fleet), (b) => (fleet[b as keyof typeof fleet] ?? []).map((i) => i.name))
    : undefined;
  const modern = createMcpHandler(
    // The selection was read (and validated) from the distinct header lines before dispatch.
    (ctx) => {
      const selection = carriedSelection(ctx.requestInfo?.headers) ?? { readOnly: false };
      const method = ctx.requestInfo?.headers.get('mcp-method');
      // Most requests are tool calls: their server needs no prompts and resources, which cost as much to register.
      return method === 'tools/call' || method === 'tools/list'
        ? toolServer(deps, selection)
        : buildServer(deps, selection);
    },
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
    : knownHosts(
        hostHeaderValidation(
          isLoopback(cfg.host)
            ? LOCAL_NAMES
            : [...LOCAL_NAMES, cfg.host.includes(':') && !cfg.host.startsWith('[') ? `[${cfg.host}]` : cfg.host],
        ),
      );
  const expected = cfg.token ? digest(cfg.token) : undefined;

  const endSession = async (id: string) => {
    const s = sessions.get(id);
    if (!s) return;
    sessions.delete(id);
    await s.transport.close().catch(() => {});
    await s.server.close().catch(() => {});
  };

  /** At the cap, the least recently used idle session is closed to make room; false when all are busy. */
  const makeRoom = async (): Promise<boolean> => {
    if (sessions.size < cfg.maxSessions) return true;
    let lru: [string, Session] | undefined;
    for (const e of sessions) if (e[1].active === 0 && (!lru || e[1].lastSeen < lru[1].lastSeen)) lru = e;
    if (!lru) return false;
    log.info('session cap reached: closing the least recently used idle session');
    await endSession(lru[0]);
    return sessions.size < cfg.maxSessions;
  };

  const openSession = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    selection: Selection,
    auth?: AuthInfo,
  ) => {
    if (!(await makeRoom())) {
      rpcError(res, 503, -32000, 'Too many open sessions, all busy; retry later', { 'retry-after': '5' });
      return;
    }
    // Opened with this request's selection; each later request can narrow it further (never widen).
    const server = buildServer(deps, selection);
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
    if (!hostOk(req, res)) return;
    if (!originAllowed(req.headers.origin, cfg.allowedOrigins)) {
      return rpcError(res, 403, -32000, `Forbidden: Origin ${req.headers.origin} is not allowed`);
    }
    let auth: AuthInfo | undefined;
    if (oauth) {
      auth = await oauth.authenticate(req, res);
      if (!auth) return;
      // The SDK hands `req.auth` to every handler as `ctx.http.authInfo`.
      (req as IncomingMessage & { auth?: AuthInfo }).auth = auth;
    } else if (expected) {
      const got = bearer(req.headers.authorization) ?? '';
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
      if (tooDeep(raw)) {
        return rpcError(res, 400, -32600, `Invalid Request: JSON nested deeper than ${MAX_DEPTH} levels`);
      }
      try {
        body = JSON.parse(raw);
      } catch {
        return rpcError(res, 400, -32700, 'Parse error: the body is not JSON');
      }
      if (!isJsonRpc(body)) return rpcError(res, 400, -32600, 'Invalid Request: not a JSON-RPC message');
      if (oauth && auth && !oauth.permitsCalls(auth, body, res)) return;
    }
    let selection: Selection;
    try {
      // `headersDistinct` is built on first use: only when a selection header is there at all.
      const asked = headerSelection((n) => (req.headers[n] === undefined ? undefined : req.headersDistinct[n]));
      // Scopes narrow further whatever the headers (and the server's own selection) allow; never widen.
      selection = oauth && auth ? narrowest(asked, oauth.narrowing(auth)) : asked;
    } catch (err) {
      if (err instanceof SelectionError) return rpcError(res, 400, -32600, `Bad Request: ${err.message}`);
      throw err;
    }
    carrySelection(req, narrowsNothing(selection) ? undefined : selection);
    return dispatch(req, res, body, selection, auth);
  };

  const dispatch = async (
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    selection: Selection,
    auth?: AuthInfo,
  ) => {
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
    if (req.method === 'POST' && isInitializeRequest(body)) return openSession(req, res, body, selection, auth);
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
