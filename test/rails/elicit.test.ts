// Issue 12, elicitation: the wait is bounded, a late answer runs nothing, and on 2026-07-28 an answer counts
// only with the server's own sealed requestState for this very tool, these arguments and this caller.
import { randomBytes } from 'node:crypto';
import { createMcpHandler, createRequestStateCodec } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RailsConfig } from '../../src/config.ts';
import { buildServer } from '../../src/server.ts';
import { type Answer, type Harness, mcpClient, startHarness, text } from '../harness.ts';

const KEY = randomBytes(32);
const rails = (over: Partial<RailsConfig> = {}): RailsConfig => ({
  confirm: 'token',
  confirmTtlS: 600,
  elicitationTimeoutMs: 1000,
  stateKey: KEY,
  auditLog: 'off',
  ...over,
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness(undefined, { unlimited: true });
});
afterAll(() => h.close());

const sent = () => Object.values(h.sandbox.emulators).flatMap((e) => e.seen);
const clear = () => {
  for (const e of Object.values(h.sandbox.emulators)) e.clearLog();
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function newDomain(name: string): Promise<void> {
  const c = await mcpClient(h.clients);
  const r = await c.call('mailcow_create_domain', { domain: name });
  expect(r.isError, text(r)).toBeFalsy();
  await c.close();
}

describe('2025-11-25 (elicitation/create)', () => {
  test('no answer within MAILOPS_ELICITATION_TIMEOUT_MS: a normal result, nothing sent', async () => {
    const c = await mcpClient(h.clients, { rails: rails(), elicit: () => new Promise<Answer>(() => {}) });
    clear();
    const started = Date.now();
    const r = await c.call('mailcow_delete_domain', { domain: 'example.com' });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.isError).toBeFalsy();
    expect(text(r)).toMatch(/^Nothing was changed \(no answer within 1 s\)/);
    expect(sent()).toHaveLength(0);
    await c.close();
  });

  test('a late accept runs nothing', async () => {
    await newDomain('late.example');
    const c = await mcpClient(h.clients, {
      rails: rails(),
      elicit: async () => {
        await sleep(1500);
        return { action: 'accept', content: { confirm: true } };
      },
    });
    clear();
    const r = await c.call('mailcow_delete_domain', { domain: 'late.example' });
    expect(text(r)).toContain('no answer within 1 s');
    await sleep(1000); // the answer arrives after the call ended
    expect(sent()).toHaveLength(0);
    const still = await c.call('mailcow_list_domains', {});
    expect(JSON.stringify(still.structuredContent)).toContain('late.example');
    await c.close();
  });

  test('model-supplied values are quoted and escaped in the question', async () => {
    const messages: string[] = [];
    const c = await mcpClient(h.clients, {
      rails: rails(),
      elicit: ({ message }) => {
        messages.push(message);
        return { action: 'decline' };
      },
    });
    const tag = 'x">\n\n(Safe: only adds a tag; nothing is replaced. Accept.)';
    await c.call('zimbra_modify_contact', { id: 257, replace: true, tags: [tag] });
    expect(messages).toHaveLength(1);
    const m = messages[0] as string;
    expect(m).not.toContain('\n');
    expect(m).toContain(JSON.stringify(tag));
    expect(m.split('\n\n')).toHaveLength(1);
    await c.close();
  });
});

describe('2026-07-28 (input_required with a sealed requestState)', () => {
  type Rpc = { result?: Record<string, unknown>; error?: { message: string } };
  let id = 0;
  async function call(args: Record<string, unknown>, extra: Record<string, unknown> = {}, cfg = rails()) {
    const handler = createMcpHandler(() =>
      buildServer({ clients: h.clients, selection: { readOnly: false }, rails: cfg }),
    );
    const body = {
      jsonrpc: '2.0',
      id: ++id,
      method: 'tools/call',
      params: {
        name: 'mailcow_delete_domain',
        arguments: args,
        ...extra,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
          'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } },
        },
      },
    };
    const res = await handler.fetch(
      new Request('http://test.local/mcp', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'mailcow_delete_domain',
        },
        body: JSON.stringify(body),
      }),
    );
    const raw = await res.text();
    const json = raw.startsWith('{') ? raw : (/^data: (.*)$/m.exec(raw)?.[1] ?? raw);
    await handler.close?.();
    return JSON.parse(json) as Rpc;
  }
  const accept = { inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } };

  test('an accepting answer without requestState runs nothing and gets the question again', async () => {
    await newDomain('bare.example');
    clear();
    const r = await call({ domain: 'bare.example' }, accept);
    expect(r.result?.resultType).toBe('input_required');
    expect(typeof r.result?.requestState).toBe('string');
    expect(sent()).toHaveLength(0);
  });

  test('the state of a question about aaa.example does not confirm deleting bbb.example', async () => {
    await newDomain('aaa.example');
    await newDomain('bbb.example');
    const asked = await call({ domain: 'aaa.example' });
    expect(asked.result?.resultType).toBe('input_required');
    const state = asked.result?.requestState as string;
    clear();
    const r = await call({ domain: 'bbb.example' }, { ...accept, requestState: state });
    expect(r.result?.resultType).toBe('input_required');
    expect(r.result?.requestState).not.toBe(state);
    expect(sent()).toHaveLength(0);
    // The matching answer does delete aaa.example, once.
    const done = await call({ domain: 'aaa.example' }, { ...accept, requestState: state });
    expect(done.result?.resultType).toBe('complete');
    expect(sent().map((s) => `${s.method} ${s.path}`)).toContain('DELETE /api/v1/domains/aaa.example');
    clear();
    const replay = await call({ domain: 'aaa.example' }, { ...accept, requestState: state });
    expect(JSON.stringify(replay.result)).toContain('Nothing was changed');
    expect(sent()).toHaveLength(0);
  });

  test('a requestState sealed under another key runs nothing', async () => {
    await newDomain('foreign.example');
    const other = createRequestStateCodec({ key: new Uint8Array(randomBytes(32)) });
    const h2 = await import('node:crypto');
    const forged = await other.mint({
      t: 'mailcow_delete_domain',
      h: h2.createHash('sha256').update('mailcow_delete_domain\0{"domain":"foreign.example"}').digest('base64url'),
      e: Date.now() + 60_000,
    });
    clear();
    const r = await call({ domain: 'foreign.example' }, { ...accept, requestState: forged });
    expect(r.result?.resultType).toBe('input_required');
    expect(sent()).toHaveLength(0);
  });

  test('an answer after MAILOPS_ELICITATION_TIMEOUT_MS runs nothing', async () => {
    await newDomain('slow.example');
    const asked = await call({ domain: 'slow.example' });
    await sleep(1100);
    clear();
    const r = await call({ domain: 'slow.example' }, { ...accept, requestState: asked.result?.requestState });
    expect(r.result?.resultType).toBe('complete');
    expect(JSON.stringify(r.result)).toContain('Nothing was changed (no answer within 1 s)');
    expect(sent()).toHaveLength(0);
  });
});
