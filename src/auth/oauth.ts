import type { AuthInfo } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, errors, type JWTPayload, jwtVerify } from 'jose';

/** Catalog §7: the settings of OAuth resource-server mode. */
export interface OAuthConfig {
  /** The authorization server's issuer identifier. */
  issuer: string;
  /** This server's public base URL; the resource identifier is this + `/mcp`. */
  publicUrl: string;
  /** Expected `aud`; defaults to the resource identifier. */
  audience?: string;
}

/** Asymmetric algorithms only: a shared-secret (HS*) or `none` token is never accepted. */
export const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const LEEWAY_S = 60;
/** An unknown `kid` refetches the issuer's keys, at most once a minute. */
const JWKS_COOLDOWN_MS = 60_000;
const JWKS_MAX_AGE_MS = 10 * 60_000;

/** The token was refused: 401. */
export class TokenError extends Error {
  override name = 'TokenError';
}

/** The issuer's metadata or keys cannot be had: no token can be checked, 503. */
export class IssuerError extends Error {
  override name = 'IssuerError';
}

interface IssuerMetadata {
  issuer: string;
  jwks_uri: string;
}

/** RFC 8414 §3 (path inserted after the host) first, then OpenID Connect Discovery (path appended). */
export function discoveryUrls(issuer: string): string[] {
  const u = new URL(issuer);
  const path = u.pathname.replace(/\/+$/, '');
  return [
    `${u.origin}/.well-known/oauth-authorization-server${path}`,
    `${u.origin}${path}/.well-known/openid-configuration`,
  ];
}

export interface ResourceServer {
  /** The resource identifier: `MAILOPS_PUBLIC_URL` + `/mcp`. */
  readonly resource: string;
  /** Where the RFC 9728 document is published, as named in every challenge. */
  readonly metadataUrl: string;
  /** The local paths that serve the document. */
  readonly metadataPaths: readonly string[];
  metadata(scopes: readonly string[]): Record<string, unknown>;
  /** A verified access token as the SDK's `AuthInfo` (`extra.sub` holds the subject), or a TokenError. */
  verify(token: string): Promise<AuthInfo>;
  /** `WWW-Authenticate` for a missing or invalid token. */
  challenge(scope: string, error?: string): string;
  /** `WWW-Authenticate` for a token without the scope a call needs. */
  insufficient(scope: string): string;
}

export function resourceServer(cfg: OAuthConfig, fetchImpl: typeof fetch = fetch): ResourceServer {
  const base = cfg.publicUrl.replace(/\/+$/, '');
  const resource = `${base}/mcp`;
  const audience = cfg.audience ?? resource;
  const resUrl = new URL(resource);
  const wellKnown = '/.well-known/oauth-protected-resource';
  const metadataUrl = `${resUrl.origin}${wellKnown}${resUrl.pathname}`;
  const metadataPaths = [...new Set([`${wellKnown}/mcp`, wellKnown, `${wellKnown}${resUrl.pathname}`])];

  let keys: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;
  const loadKeys = () => {
    keys ??= discover(cfg.issuer, fetchImpl).then((m) =>
      createRemoteJWKSet(new URL(m.jwks_uri), {
        cooldownDuration: JWKS_COOLDOWN_MS,
        cacheMaxAge: JWKS_MAX_AGE_MS,
      }),
    );
    // A failed discovery is tried again on the next request, not cached.
    keys.catch(() => {
      keys = undefined;
    });
    return keys;
  };

  const quote = (s: string) => s.replace(/["\\]/g, '');
  return {
    resource,
    metadataUrl,
    metadataPaths,
    metadata: (scopes) => ({
      resource,
      authorization_servers: [cfg.issuer],
      scopes_supported: scopes,
      bearer_methods_supported: ['header'],
      resource_name: 'mailops-mcp',
    }),
    async verify(token) {
      const jwks = await loadKeys();
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, jwks, {
          issuer: cfg.issuer,
          audience,
          algorithms: ALGORITHMS,
          clockTolerance: LEEWAY_S,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (err) {
        throw new TokenError(reason(err));
      }
      const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
      const clientId = String(payload.client_id ?? payload.azp ?? '');
      return {
        token,
        clientId,
        scopes,
        expiresAt: payload.exp,
        resource: resUrl,
        extra: { sub: payload.sub },
      };
    },
    challenge: (scope, error) =>
      `Bearer resource_metadata="${metadataUrl}", scope="${quote(scope)}"${error ? `, error="${error}"` : ''}`,
    insufficient: (scope) =>
      `Bearer error="insufficient_scope", scope="${quote(scope)}", resource_metadata="${metadataUrl}"`,
  };
}

async function discover(issuer: string, fetchImpl: typeof fetch): Promise<IssuerMetadata> {
  const tried: string[] = [];
  for (const url of discoveryUrls(issuer)) {
    try {
      const res = await fetchImpl(url, { headers: { accept: 'application/json' }, redirect: 'error' });
      if (!res.ok) {
        tried.push(`${url}: ${res.status}`);
        continue;
      }
      const m = (await res.json()) as Partial<IssuerMetadata>;
      // RFC 8414 §3.3: the document must name the issuer it was fetched for.
      if (m.issuer !== issuer) throw new IssuerError(`${url} names issuer ${JSON.stringify(m.issuer)}, not ${issuer}`);
      if (typeof m.jwks_uri !== 'string') throw new IssuerError(`${url} has no jwks_uri`);
      return m as IssuerMetadata;
    } catch (err) {
      if (err instanceof IssuerError) throw err;
      tried.push(`${url}: ${(err as Error).message}`);
    }
  }
  throw new IssuerError(`cannot read the authorization server's metadata (${tried.join('; ')})`);
}

/** Why a token was refused, in words that name no secret. */
function reason(err: unknown): string {
  if (err instanceof errors.JWTExpired) return 'the token has expired';
  if (err instanceof errors.JWTClaimValidationFailed) return `the token's ${err.claim} claim is not accepted`;
  if (err instanceof errors.JWKSNoMatchingKey) return 'the token was signed by a key the issuer does not publish';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'the token uses an algorithm that is not allowed';
  if (err instanceof errors.JWTInvalid || err instanceof errors.JWSInvalid) return 'the token is not a valid JWT';
  return 'the token could not be verified';
}
