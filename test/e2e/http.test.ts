import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BIN, type Era, httpClient, spawnHttp } from './clients.ts';

const TOKEN = 'e2e-http-token-7f3a9c';
const AUTH = { authorization: `Bearer ${TOKEN}` };
type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

let server: Awaited<ReturnType<typeof spawnHttp>>;
beforeAll(async () => {
  server = await spawnHttp(['--sandbox'], {
    MAILOPS_HTTP_TOKEN: TOKEN,
    MAILOPS_HTTP_MAX_BODY_BYTES: '4096',
    MAILOPS_HTTP_SESSION_IDLE_MS: '1500',
  });
});
afterAll(async () => {
  await server?.stop();
});

/** A raw request with full control over Host and Origin (fetch cannot set Host). */
function raw(opts: {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  path?: string;
}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: u.hostname,
        port: u.port,
        path: opts.path ?? u.pathname,
        method: opts.method ?? 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...opts.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(opts.body ?? JSON.stringify(INIT));
  });
}

describe('HTTP transport: the gate in front of /mcp', () => {
  test('no token or a wrong token is 401 with a Bearer challenge', async () => {
    const none = await raw({});
    expect(none.status).toBe(401);
    expect(String(none.headers['www-authenticate'])).toContain('Bearer');
    expect((await raw({ headers: { authorization: 'Bearer nope' } })).status).toBe(401);
    expect(none.body).not.toContain(TOKEN);
  });

  test('a foreign Origin is 403, localhost origins pass', async () => {
    expect((await raw({ headers: { ...AUTH, origin: 'https://evil.example' } })).status).toBe(403);
    expect((await raw({ headers: { ...AUTH, origin: 'null' } })).status).toBe(403);
    expect((await raw({ headers: { ...AUTH, origin: 'http://localhost:5173' } })).status).toBe(200);
  });

  test('a foreign Host is 403 (DNS rebinding)', async () => {
    expect((await raw({ headers: { ...AUTH, host: 'evil.example:3000' } })).status).toBe(403);
  });

  test('a body over the limit is 413, malformed JSON is 400, another path is 404', async () => {
    expect((await raw({ headers: AUTH, body: JSON.stringify({ ...INIT, pad: 'x'.repeat(5000) }) })).status).toBe(413);
    const bad = await raw({ headers: AUTH, body: '{"jsonrpc": "2.0", ' });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.code).toBe(-32700);
    expect((await raw({ headers: AUTH, path: '/other' })).status).toBe(404);
  });

  test('an unknown session is 404 and a legacy request without one is 400', async () => {
    expect(
      (
        await raw({
          headers: { ...AUTH, 'mcp-session-id': 'no-such-session' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
        })
      ).status,
    ).toBe(404);
    const noSession = await raw({
      headers: { ...AUTH, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(noSession.status).toBe(400);
  });
});

const eras: Era[] = ['v1', 'v2-legacy', 'v2-modern'];
describe.each(eras)('HTTP with the %s client', (era) => {
  test('negotiates, lists, calls, and confirms by elicitation', async () => {
    const c = await httpClient(era, server.url, { headers: AUTH, elicit: () => ({ action: 'decline' }) });
    try {
      if (era !== 'v1') expect(c.protocol()).toBe(era === 'v2-modern' ? '2026-07-28' : '2025-11-25');
      expect((await c.listTools()).tools.filter((t) => t.name.startsWith('mailcow_'))).toHaveLength(17);
      const r = (await c.callTool({ name: 'mailcow_get_mailbox', arguments: { email: 'info@example.com' } })) as Result;
      expect(r.structuredContent).toMatchObject({ username: 'info@example.com' });
      const declined = (await c.callTool({
        name: 'mailcow_delete_mailbox',
        arguments: { email: 'jane.roe@example.com', confirm: true },
      })) as Result;
      expect(declined.isError).toBeFalsy();
      expect(declined.content[0]?.text).toContain('Nothing was changed (user chose decline)');
      const still = (await c.callTool({
        name: 'mailcow_get_mailbox',
        arguments: { email: 'jane.roe@example.com' },
      })) as Result;
      expect(still.isError).toBeFalsy();
    } finally {
      await c.close();
    }
  });

  test('X-MCP-Readonly and X-MCP-Tools narrow the tools, and never widen them', async () => {
    const ro = await httpClient(era, server.url, { headers: { ...AUTH, 'x-mcp-readonly': 'true' } });
    try {
      const names = (await ro.listTools()).tools.map((t) => t.name);
      expect(names).toContain('mailcow_list_domains');
      expect(names).not.toContain('mailcow_delete_domain');
      expect(names).not.toContain('mailcow_create_mailbox');
      await expect(
        ro.callTool({ name: 'mailcow_delete_domain', arguments: { domain: 'example.org', confirm: true } }),
      ).rejects.toThrow(/not found/);
    } finally {
      await ro.close();
    }
    const picked = await httpClient(era, server.url, {
      headers: {
        ...AUTH,
        'x-mcp-tools': 'mailcow_list_domains,mailcow_get_mailbox',
        'x-mcp-toolsets': 'mailcow',
      },
    });
    try {
      expect((await picked.listTools()).tools.map((t) => t.name).sort()).toEqual([
        'mailcow_get_mailbox',
        'mailcow_list_domains',
      ]);
    } finally {
      await picked.close();
    }
  });
});

describe('HTTP sessions, start-up and shutdown', () => {
  test('idle sessions are freed after MAILOPS_HTTP_SESSION_IDLE_MS', async () => {
    const init = await raw({ headers: AUTH });
    const sid = String(init.headers['mcp-session-id']);
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const headers = { ...AUTH, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-11-25' };
    expect((await raw({ headers, body: list })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3200));
    expect((await raw({ headers, body: list })).status).toBe(404);
  });

  test('start-up refuses a non-loopback host without a token, naming the variable', () => {
    const r = spawnSync(process.execPath, [BIN, '--http', '--sandbox'], {
      env: { PATH: process.env.PATH, MAILOPS_HTTP_HOST: '0.0.0.0' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('MAILOPS_HTTP_TOKEN is required');
    expect(r.stdout).toBe('');
  });

  test('a malformed backend variable stops start-up with its name', () => {
    const r = spawnSync(process.execPath, [BIN], {
      env: { PATH: process.env.PATH, MAILCOW_URL: 'ftp://x', MAILCOW_API_KEY: 'k' },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('MAILCOW_URL must be an http:// or https:// URL');
  });

  test('SIGTERM shuts the server down cleanly', async () => {
    const s = await spawnHttp(['--sandbox']);
    const code = await s.stop();
    expect(code).toBe(0);
    expect(s.stderr()).toContain('shutting down');
  });
});
