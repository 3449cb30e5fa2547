// Identity everywhere (catalog §7): the OAuth subject is in audit records and binds confirmation tokens; replicas
// sharing MAILOPS_STATE_KEY accept each other's confirmations, replicas with different keys do not.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig, parseRails } from '../../src/config.ts';
import { type HttpHandle, startHttp } from '../../src/transports/http.ts';
import { spawnHttp } from '../e2e/clients.ts';
import { type Harness, startHarness } from '../harness.ts';
import { startProvider, type TestClient, type TestProvider } from './provider.ts';

const PUBLIC_URL = 'http://127.0.0.1:8766';
const RESOURCE = `${PUBLIC_URL}/mcp`;
const alice: TestClient = { id: 'alice-admin', secret: 'alice-admin-secret-00001', scope: 'mailops:admin' };
const bob: TestClient = { id: 'bob-admin', secret: 'bob-admin-secret-0000001', scope: 'mailops:admin' };

type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
const confirmToken = (r: Result) => /confirm: "([^"]+)"/.exec(r.content[0]?.text ?? '')?.[1];

let idp: TestProvider;

async function connect(url: string, token: string) {
  const c = new Client({ name: 'identity-test', version: '2.5.0' }, { versionNegotiation: { mode: 'auto' } });
  await c.connect(
    new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return {
    call: async (name: string, args: Record<string, unknown>) =>
      (await c.callTool({ name, arguments: args })) as unknown as Result,
    close: () => c.close(),
  };
}

beforeAll(async () => {
  idp = await startProvider([alice, bob]);
});
afterAll(async () => {
  await idp?.close();
});

describe('in one server', () => {
  let h: Harness;
  let http: HttpHandle;
  const audit = join(mkdtempSync(join(tmpdir(), 'mailops-oauth-')), 'audit.jsonl');

  beforeAll(async () => {
    h = await startHarness();
    const cfg = loadConfig(['--http', '--port', '0'], {
      MAILOPS_OAUTH_ISSUER: idp.issuer,
      MAILOPS_PUBLIC_URL: PUBLIC_URL,
    });
    const rails = parseRails({ MAILOPS_AUDIT_LOG: audit, MAILOPS_STATE_KEY: 'k'.repeat(40) });
    http = await startHttp({ clients: h.clients, selection: { readOnly: false }, rails }, cfg.http);
  });
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  test('an admin deletes a ticket after confirmation, and the audit record names the subject and client', async () => {
    const a = await connect(http.url, await idp.token(alice, RESOURCE));
    const first = await a.call('zammad_delete_ticket', { id: 1 });
    expect(first.isError).toBe(true);
    const token = confirmToken(first);
    expect(token).toBeTruthy();
    const done = await a.call('zammad_delete_ticket', { id: 1, confirm: token });
    expect(done.isError).toBeFalsy();
    await a.close();
    const records = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { tool: string; outcome: string; caller: Record<string, unknown> });
    const deleted = records.filter((r) => r.tool === 'zammad_delete_ticket');
    expect(deleted.map((r) => r.outcome)).toEqual(['refused', 'done']);
    for (const r of deleted) {
      expect(r.caller).toMatchObject({ transport: 'http', subject: 'alice-admin', client_id: 'alice-admin' });
      expect(JSON.stringify(r)).not.toContain('eyJ');
    }
  });

  test('a confirmation minted for one subject is refused for another, and nothing is sent', async () => {
    const a = await connect(http.url, await idp.token(alice, RESOURCE));
    const b = await connect(http.url, await idp.token(bob, RESOURCE));
    const asked = await a.call('zammad_delete_user', { id: 2 });
    const token = confirmToken(asked);
    expect(token).toBeTruthy();
    const zammad = h.sandbox.emulators.zammad!;
    const sent = zammad.seen.length;
    const stolen = await b.call('zammad_delete_user', { id: 2, confirm: token });
    expect(stolen.isError).toBe(true);
    expect(stolen.content[0]?.text).toMatch(/^Confirmation required:/);
    expect(confirmToken(stolen)).not.toBe(token);
    expect(zammad.seen.slice(sent).filter((s) => s.method === 'DELETE')).toHaveLength(0);
    await a.close();
    await b.close();
  });
});

describe('replicas', () => {
  const KEY = 'shared-state-key-for-both-replicas-0123456789';
  const start = (key: string) =>
    spawnHttp(['--sandbox'], {
      MAILOPS_OAUTH_ISSUER: idp.issuer,
      MAILOPS_PUBLIC_URL: PUBLIC_URL,
      MAILOPS_STATE_KEY: key,
      MAILOPS_AUDIT_LOG: 'off',
    });

  test('a confirmation minted by one process is accepted by another with the same key, refused with another key', async () => {
    const one = await start(KEY);
    const two = await start(KEY);
    const three = await start('another-state-key-entirely-0123456789-abcdef');
    try {
      const token = await idp.token(alice, RESOURCE);
      const a = await connect(one.url, token);
      const asked = await a.call('mailcow_delete_alias', { id: 1 });
      await a.close();
      const minted = confirmToken(asked);
      expect(minted).toBeTruthy();

      const c = await connect(three.url, token);
      const refused = await c.call('mailcow_delete_alias', { id: 1, confirm: minted });
      await c.close();
      expect(refused.isError).toBe(true);
      expect(refused.content[0]?.text).toMatch(/^Confirmation required:/);

      const b = await connect(two.url, token);
      const done = await b.call('mailcow_delete_alias', { id: 1, confirm: minted });
      await b.close();
      expect(done.isError).toBeFalsy();
    } finally {
      await Promise.all([one.stop(), two.stop(), three.stop()]);
    }
  });
});
