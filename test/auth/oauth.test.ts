// OAuth resource-server mode (catalog §7) against a real OpenID provider: oidc-provider issues JWT access tokens
// for the resource through client credentials with resource indicators. The server runs in this process over
// real loopback HTTP, so the emulators' logs show that nothing is sent beyond a token's scope.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { IssuerError, resourceServer, TokenError } from '../../src/auth/oauth.ts';
import { loadConfig } from '../../src/config.ts';
import { type HttpHandle, startHttp } from '../../src/transports/http.ts';
import { type Harness, startHarness } from '../harness.ts';
import { startProvider, type TestClient, type TestProvider } from './provider.ts';

const PUBLIC_URL = 'http://127.0.0.1:8765';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const METADATA = `${PUBLIC_URL}/.well-known/oauth-protected-resource/mcp`;

const helpdeskBot: TestClient = {
  id: 'helpdesk-bot',
  secret: 'helpdesk-bot-secret-0001',
  scope: 'mailops:zammad:write',
};
const reader: TestClient = { id: 'reader', secret: 'reader-secret-000000001', scope: 'mailops:read' };
const admin: TestClient = { id: 'admin', secret: 'admin-secret-0000000001', scope: 'mailops:admin' };

let idp: TestProvider;
let other: TestProvider;
let h: Harness;
let http: HttpHandle;

beforeAll(async () => {
  idp = await startProvider([helpdeskBot, reader, admin]);
  other = await startProvider([admin]);
  h = await startHarness();
  const cfg = loadConfig(['--http', '--port', '0'], {
    MAILOPS_OAUTH_ISSUER: idp.issuer,
    MAILOPS_PUBLIC_URL: PUBLIC_URL,
  });
  http = await startHttp({ clients: h.clients, selection: { readOnly: false } }, cfg.http);
});
afterAll(async () => {
  await http?.close();
  await h?.close();
  await idp?.close();
  await other?.close();
});

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

async function post(body: unknown, token?: string, headers: Record<string, string> = {}) {
  const res = await fetch(http.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', text: await res.text() };
}

async function connect(token: string) {
  const c = new Client({ name: 'oauth-test', version: '1.0.0' }, { versionNegotiation: { mode: 'legacy' } });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(http.url), {
      requestInit: { headers: { authorization: `Bearer ${token}` } },
    }),
  );
  return c;
}

describe('protected resource metadata (RFC 9728)', () => {
  test.each(['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource'])(
    '%s names the resource, the issuer, the scopes and header bearer tokens',
    async (path) => {
      const res = await fetch(new URL(path, http.url));
      expect(res.status).toBe(200);
      const doc = (await res.json()) as Record<string, unknown>;
      expect(doc.resource).toBe(RESOURCE);
      expect(doc.authorization_servers).toEqual([idp.issuer]);
      expect(doc.bearer_methods_supported).toEqual(['header']);
      expect(doc.scopes_supported).toEqual(
        expect.arrayContaining(['mailops:read', 'mailops:write', 'mailops:admin', 'mailops:zammad:write']),
      );
    },
  );
});

describe('tokens', () => {
  test('no token: 401 with the metadata URL and the scope needed', async () => {
    const r = await post(INIT);
    expect(r.status).toBe(401);
    expect(r.challenge).toBe(`Bearer resource_metadata="${METADATA}", scope="mailops:read"`);
  });

  test('a token from the provider for this resource is accepted', async () => {
    const token = await idp.token(reader, RESOURCE);
    expect((await post(INIT, token)).status).toBe(200);
  });

  test('a token issued for another resource is refused', async () => {
    const token = await idp.token(admin, 'https://other.example/mcp');
    const r = await post(INIT, token);
    expect(r.status).toBe(401);
    expect(r.challenge).toContain('error="invalid_token"');
    expect(r.text).toContain('aud');
  });

  test('a token from another issuer is refused', async () => {
    const token = await other.token(admin, RESOURCE);
    const r = await post(INIT, token);
    expect(r.status).toBe(401);
  });

  async function forge(claims: Record<string, unknown>, opts: { key?: 'provider' | 'stranger'; kid?: string } = {}) {
    const now = Math.floor(Date.now() / 1000);
    const jwk =
      opts.key === 'stranger'
        ? await exportJWK((await generateKeyPair('RS256', { extractable: true })).privateKey)
        : idp.privateJwk;
    const key = await importJWK({ ...jwk, alg: 'RS256' }, 'RS256');
    const defaults = { iss: idp.issuer, aud: RESOURCE, sub: 'admin', iat: now - 10, exp: now + 300 };
    return new SignJWT({ scope: 'mailops:admin', client_id: 'admin', ...defaults, ...claims })
      .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: opts.kid ?? idp.privateJwk.kid })
      .sign(key);
  }

  test('the provider key signs a valid token (the forging helper is sound)', async () => {
    expect((await post(INIT, await forge({}))).status).toBe(200);
  });

  test('an expired token is refused (beyond 60 s of leeway), one within the leeway passes', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(INIT, await forge({ exp: now - 120 }))).status).toBe(401);
    expect((await post(INIT, await forge({ exp: now - 30 }))).status).toBe(200);
  });

  test('a token not yet valid is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await post(INIT, await forge({ nbf: now + 600 }))).status).toBe(401);
  });

  test('an unknown key id is refused', async () => {
    expect((await post(INIT, await forge({}, { key: 'stranger', kid: 'nobody-knows-me' }))).status).toBe(401);
  });

  test('a token signed by another key under the provider key id is refused', async () => {
    expect((await post(INIT, await forge({}, { key: 'stranger' }))).status).toBe(401);
  });

  test('alg none is refused', async () => {
    const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const none = `${enc({ alg: 'none', typ: 'at+jwt' })}.${enc({ iss: idp.issuer, aud: RESOURCE, sub: 'admin', exp: now + 300, scope: 'mailops:admin' })}.`;
    expect((await post(INIT, none)).status).toBe(401);
  });

  test('a token with the wrong issuer claim is refused', async () => {
    expect((await post(INIT, await forge({ iss: 'https://evil.example' }))).status).toBe(401);
  });

  test('a lower-case bearer scheme is accepted', async () => {
    const token = await idp.token(reader, RESOURCE);
    const res = await fetch(http.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `bearer ${token}`,
      },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(200);
  });
});

describe('scopes decide what a caller can do', () => {
  test('a helpdesk bot with mailops:zammad:write lists only Zammad tools that do not delete', async () => {
    const c = await connect(await idp.token(helpdeskBot, RESOURCE));
    const { tools } = await c.listTools();
    await c.close();
    expect(tools.length).toBeGreaterThan(0);
    for (const t of tools) {
      expect(t.name.startsWith('zammad_')).toBe(true);
      expect(t.annotations?.destructiveHint).not.toBe(true);
    }
    expect(tools.map((t) => t.name)).toContain('zammad_create_ticket');
    expect(tools.map((t) => t.name)).not.toContain('zammad_delete_ticket');
  });

  test('mailops:read lists only read-only tools of every backend', async () => {
    const c = await connect(await idp.token(reader, RESOURCE));
    const { tools } = await c.listTools();
    await c.close();
    expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    expect(new Set(tools.map((t) => t.name.split('_')[0]))).toEqual(
      new Set(['mailcow', 'rackspace', 'zammad', 'zimbra']),
    );
  });

  test('a call beyond scope is 403 insufficient_scope naming the scope, and nothing is sent', async () => {
    const token = await idp.token(helpdeskBot, RESOURCE);
    const zammad = h.sandbox.emulators.zammad!;
    const mailcow = h.sandbox.emulators.mailcow!;
    const before = zammad.seen.length + mailcow.seen.length;
    const del = await post(
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'zammad_delete_ticket', arguments: { id: 1 } } },
      token,
    );
    expect(del.status).toBe(403);
    expect(del.challenge).toContain('error="insufficient_scope"');
    expect(del.challenge).toContain('scope="mailops:zammad:admin"');
    const other = await post(
      { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'mailcow_list_domains', arguments: {} } },
      token,
    );
    expect(other.status).toBe(403);
    expect(other.challenge).toContain('scope="mailops:mailcow:read"');
    expect(zammad.seen.length + mailcow.seen.length).toBe(before);
  });

  test('within scope the call runs', async () => {
    const c = await connect(await idp.token(helpdeskBot, RESOURCE));
    const r = (await c.callTool({ name: 'zammad_list_ticket_states', arguments: {} })) as { isError?: boolean };
    await c.close();
    expect(r.isError).toBeFalsy();
  });

  test('an admin lists destructive tools', async () => {
    const c = await connect(await idp.token(admin, RESOURCE));
    const { tools } = await c.listTools();
    await c.close();
    expect(tools.map((t) => t.name)).toContain('zammad_delete_ticket');
  });

  test('a session opened by one subject cannot be used by another', async () => {
    const first = await post(INIT, await idp.token(admin, RESOURCE));
    expect(first.status).toBe(200);
    const res = await fetch(http.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(INIT),
    });
    expect(res.status).toBe(401);
  });
});

describe("issuer trouble is not the token's fault", () => {
  test('metadata that names another issuer is an IssuerError (503 at the boundary), a bad token a TokenError', async () => {
    const token = await idp.token(reader, RESOURCE);
    // RFC 8414 §3.3: the issuer is compared exactly; a trailing slash is another issuer.
    const wrong = resourceServer({ issuer: `${idp.issuer}/`, publicUrl: PUBLIC_URL });
    await expect(wrong.verify(token)).rejects.toBeInstanceOf(IssuerError);
    const right = resourceServer({ issuer: idp.issuer, publicUrl: PUBLIC_URL });
    await expect(right.verify(`${token}x`)).rejects.toBeInstanceOf(TokenError);
  });
});

describe('configuration', () => {
  test('MAILOPS_HTTP_TOKEN and OAuth are exclusive', () => {
    expect(() =>
      loadConfig(['--http'], {
        MAILOPS_OAUTH_ISSUER: 'https://id.example.com',
        MAILOPS_PUBLIC_URL: 'https://mcp.example.com',
        MAILOPS_HTTP_TOKEN: 'x'.repeat(32),
      }),
    ).toThrow(/MAILOPS_HTTP_TOKEN.*MAILOPS_OAUTH_ISSUER/);
  });

  test('issuer without public URL, and http off loopback, stop start-up naming the variable', () => {
    expect(() => loadConfig(['--http'], { MAILOPS_OAUTH_ISSUER: 'https://id.example.com' })).toThrow(
      /MAILOPS_PUBLIC_URL/,
    );
    expect(() =>
      loadConfig(['--http'], {
        MAILOPS_OAUTH_ISSUER: 'http://id.example.com',
        MAILOPS_PUBLIC_URL: 'https://mcp.example.com',
      }),
    ).toThrow(/MAILOPS_OAUTH_ISSUER must be an https/);
  });

  test('OAuth counts as authentication off loopback', () => {
    const cfg = loadConfig(['--http', '--host', '0.0.0.0'], {
      MAILOPS_OAUTH_ISSUER: 'https://id.example.com',
      MAILOPS_PUBLIC_URL: 'https://mcp.example.com',
    });
    expect(cfg.http.oauth?.issuer).toBe('https://id.example.com');
  });
});
