import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Selection } from '../config.ts';
import { log } from '../log.ts';
import type { ToolHead } from '../tools/heads.ts';
import { bearer } from './bearer.ts';
import { type OAuthConfig, type ResourceServer, resourceServer, TokenError } from './oauth.ts';
import { allows, type Grant, neededScope, parseGrant, supportedScopes } from './scopes.ts';

/** The instance names each backend has (a backend without instances files has one, `default`). */
export type InstancesOf = (toolset: string) => readonly string[];

/** OAuth resource-server mode at the HTTP boundary: metadata, bearer verification, scope checks. */
export interface OAuthGate {
  readonly rs: ResourceServer;
  /** Answers the RFC 9728 document; true when the request was one for it. */
  serveMetadata(req: IncomingMessage, res: ServerResponse, path: string): boolean;
  /** The verified caller, or `undefined` after answering 401 (or 503 when the issuer is unreachable). */
  authenticate(req: IncomingMessage, res: ServerResponse): Promise<AuthInfo | undefined>;
  /** False after answering 403 `insufficient_scope` for a `tools/call` beyond the token's scope. */
  permitsCalls(auth: AuthInfo, body: unknown, res: ServerResponse): boolean;
  /** The tools a token may see, as a narrowing layer (scopes never widen the selection). */
  narrowing(auth: AuthInfo): Selection;
}

/** RFC 6750 §2.1 b64token: anything else is no access token at all. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MIN_SCOPE = 'mailops:read';

export function oauthGate(
  cfg: OAuthConfig,
  tools: readonly ToolHead[],
  toolsets: readonly string[],
  instancesOf: InstancesOf,
): OAuthGate {
  const rs = resourceServer(cfg);
  const doc = JSON.stringify(rs.metadata(supportedScopes(toolsets)));
  const byName = new Map(tools.map((t) => [t.name, t]));

  const deny = (res: ServerResponse, status: number, challenge: string, message: string) => {
    if (res.headersSent) return;
    res.writeHead(status, { 'content-type': 'application/json', 'www-authenticate': challenge });
    res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message }, id: null }));
  };

  const grantOf = (auth: AuthInfo): Grant => parseGrant(auth.scopes);

  return {
    rs,
    serveMetadata(req, res, path) {
      if (!rs.metadataPaths.includes(path)) return false;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET' }).end();
        return true;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'cache-control': 'max-age=3600',
        'access-control-allow-origin': '*',
      });
      res.end(req.method === 'HEAD' ? undefined : doc);
      return true;
    },
    async authenticate(req, res) {
      const token = bearer(req.headers.authorization);
      if (!token || !B64TOKEN.test(token)) {
        deny(res, 401, rs.challenge(MIN_SCOPE), 'Unauthorized: an OAuth access token for this server is required');
        return undefined;
      }
      try {
        return await rs.verify(token);
      } catch (err) {
        if (err instanceof TokenError) {
          log.info('access token refused', { reason: err.message });
          deny(res, 401, rs.challenge(MIN_SCOPE, 'invalid_token'), `Unauthorized: ${err.message}`);
          return undefined;
        }
        log.error('cannot verify access tokens', { error: (err as Error).message });
        if (!res.headersSent) {
          res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '10' });
          res.end(
            JSON.stringify({
              jsonrpc: '2.0',
              error: { code: -32000, message: 'The authorization server cannot be reached; retry later' },
              id: null,
            }),
          );
        }
        return undefined;
      }
    },
    permitsCalls(auth, body, res) {
      const grant = grantOf(auth);
      for (const msg of Array.isArray(body) ? body : [body]) {
        const m = msg as { method?: unknown; params?: { name?: unknown; arguments?: { instance?: unknown } } };
        if (m?.method !== 'tools/call' || typeof m.params?.name !== 'string') continue;
        const t = byName.get(m.params.name);
        if (!t) continue;
        const names = instancesOf(t.toolset);
        const asked = m.params.arguments?.instance;
        const instance = typeof asked === 'string' ? asked : names.length === 1 ? names[0] : undefined;
        if (instance === undefined ? names.some((i) => allows(grant, t, i)) : allows(grant, t, instance)) continue;
        const scope = neededScope(t, names.length > 1 ? instance : undefined);
        deny(res, 403, rs.insufficient(scope), `Forbidden: ${t.name} needs the scope ${scope}`);
        return false;
      }
      return true;
    },
    narrowing(auth) {
      const grant = grantOf(auth);
      return {
        readOnly: false,
        tools: tools.filter((t) => instancesOf(t.toolset).some((i) => allows(grant, t, i))).map((t) => t.name),
      };
    },
  };
}

/** The caller a verified token names, for audit records and confirmation binding. */
export function subjectOf(auth: AuthInfo | undefined): { sub: string; clientId: string } | undefined {
  const sub = auth?.extra?.sub;
  return typeof sub === 'string' ? { sub, clientId: auth?.clientId ?? '' } : undefined;
}
