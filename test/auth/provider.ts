// A real OpenID provider (oidc-provider) on loopback, issuing JWT access tokens for one resource through the
// client-credentials grant with resource indicators (RFC 8707), as an identity provider does for a bot.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

export interface TestClient {
  id: string;
  secret: string;
  scope: string;
}

export interface TestProvider {
  issuer: string;
  /** The provider's signing key, to make tokens the provider would never issue (expired, wrong claims). */
  privateJwk: JWK;
  token(client: TestClient, resource: string, scope?: string): Promise<string>;
  close(): Promise<void>;
}

const SCOPES = [
  'mailops:read',
  'mailops:write',
  'mailops:admin',
  'mailops:zammad:read',
  'mailops:zammad:write',
  'mailops:zammad:admin',
  'mailops:mailcow:write',
];

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startProvider(clients: TestClient[], ttl = 600): Promise<TestProvider> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const privateJwk = {
    ...(await exportJWK(privateKey)),
    kid: `k-${Math.random().toString(36).slice(2)}`,
    alg: 'RS256',
  };
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...privateJwk, use: 'sig' }] },
    clients: clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      grant_types: ['client_credentials'],
      redirect_uris: [],
      response_types: [],
      scope: c.scope,
    })),
    scopes: SCOPES,
    ttl: { ClientCredentials: ttl },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined as unknown as string,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => ({
          scope: SCOPES.join(' '),
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: ttl,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    issuer,
    privateJwk,
    async token(client, resource, scope = client.scope) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource }),
      });
      const body = (await res.json()) as { access_token?: string; error?: string };
      if (!body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
