// Issue 11: each leak and unclear error seen in the hostile run, as one test through the MCP boundary
// (text block, structuredContent and stderr log lines), against the sandbox emulators over loopback.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { buildClients, type Clients } from '../../src/backends/index.ts';
import { ZimbraSoap } from '../../src/backends/zimbra/soap.ts';
import { setLogLevel, setLogSink } from '../../src/log.ts';
import type { Emulator } from '../../src/sandbox/emulator.ts';
import { type Sandbox, startSandboxes } from '../../src/sandbox/index.ts';
import type { ZimbraState } from '../../src/sandbox/zimbra/state.ts';
import { mcpClient, type ToolResult, text } from '../harness.ts';

const KEYS = {
  mailcow: 'MC-leak-key-4f1a9b',
  mailcowNative: 'MCLEAK-NATIVE-KEY-77aa',
  rackspaceUser: 'RS-leak-user-5c2d',
  rackspaceSecret: 'Rs&Pass=leak<9>',
  zimbra: 'Zm&Pass<leak>"1',
  zammadPassword: 'Zd-leak-basic-pw-31',
};
const USER = 'admin@example.com';
const BASIC = Buffer.from(`${USER}:${KEYS.zammadPassword}`).toString('base64');
const OPTS = { timeoutMs: 3000, maxRetryWaitMs: 0 };

let sb: Sandbox;
let native: Sandbox;
let clients: Partial<Clients>;
let nativeClients: Partial<Clients>;
const lines: string[] = [];
const minted: string[] = [];

beforeAll(async () => {
  sb = await startSandboxes('127.0.0.1', { keys: KEYS, unlimited: true });
  native = await startSandboxes('127.0.0.1', { keys: KEYS, unlimited: true, mailcowStyle: 'native' });
  const state = (sb.emulators.zimbra as unknown as { state: ZimbraState }).state;
  const login = state.login.bind(state);
  state.login = (name, password) => {
    const issued = login(name, password);
    minted.push(issued.token);
    return issued;
  };
  clients = buildClients(
    {
      ...sb.configs,
      zammad: { url: sb.configs.zammad!.url, auth: { kind: 'basic', username: USER, password: KEYS.zammadPassword } },
    },
    OPTS,
  );
  nativeClients = buildClients({ mailcow: native.configs.mailcow }, OPTS);
  setLogLevel('debug');
  setLogSink((l) => lines.push(l));
});
afterAll(async () => {
  setLogLevel('silent');
  await sb?.close();
  await native?.close();
});
beforeEach(() => {
  lines.length = 0;
  for (const s of [sb, native])
    for (const e of Object.values(s.emulators)) {
      e.clearFaults();
      e.decorate = undefined;
    }
});

const emu = (b: string, s = () => sb) => s().emulators[b] as Emulator;

async function call(name: string, args: Record<string, unknown> = {}, c = clients): Promise<ToolResult> {
  const m = await mcpClient(c, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
  try {
    return await m.call(name, args);
  } finally {
    await m.close();
  }
}

/** Nothing of `secrets` in the text, the structured content or any log line of the call. */
function clean(r: ToolResult, secrets: string[]): void {
  const all = [text(r), JSON.stringify(r.structuredContent ?? {}), ...lines].join('\n');
  for (const s of secrets) expect(all.includes(s), `leaked ${s} in ${all.slice(0, 400)}`).toBe(false);
}

describe('Zammad Basic credentials', () => {
  test('a 401 body echoing Authorization: not in the result nor the log', async () => {
    emu('zammad').decorate = (c, reply) => {
      reply.status = 401;
      reply.body = { error: `Invalid credentials ${c.headers.authorization}` };
    };
    const r = await call('zammad_get_current_user');
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^zammad 401: Invalid credentials \[redacted\]/);
    clean(r, [BASIC, `${USER}:${KEYS.zammadPassword}`, KEYS.zammadPassword]);
    expect(lines.join('\n')).toContain('zammad 401');
  });
  test("a user's note echoing Authorization, base64 and decoded", async () => {
    emu('zammad').decorate = (c, reply) => {
      const auth = c.headers.authorization ?? '';
      const plain = Buffer.from(auth.slice(6), 'base64').toString();
      if (reply.body && typeof reply.body === 'object')
        Object.assign(reply.body, { note: `seen ${auth} / ${plain}`, firstname: auth.slice(6) });
    };
    const r = await call('zammad_get_current_user', { full: true });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent?.note).toBe('seen [redacted] / [redacted]');
    clean(r, [BASIC, `${USER}:${KEYS.zammadPassword}`, KEYS.zammadPassword]);
  });
});

describe('structuredContent echoing credentials', () => {
  test('the mailcow key in a record field', async () => {
    emu('mailcow').decorate = (c, reply) => {
      if (Array.isArray(reply.body))
        for (const d of reply.body) Object.assign(d, { description: `key ${c.headers.authorization}` });
    };
    const r = await call('mailcow_list_domains');
    expect(JSON.stringify(r.structuredContent)).toContain('key [redacted]');
    clean(r, [KEYS.mailcow]);
  });
  test('the minted Zimbra token in a contact attribute', async () => {
    emu('zimbra').decorate = (c, reply) => {
      const token = /ZM_AUTH_TOKEN=([^;\s]+)/.exec(c.headers.cookie ?? '')?.[1] ?? '';
      if (typeof reply.body === 'string')
        reply.body = reply.body.replace(/(<cn\b[^>]*?)(\/?)>/g, (_m, open, slash) =>
          slash ? `${open}><a n="notes">t ${token}</a></cn>` : `${open}><a n="notes">t ${token}</a>`,
        );
    };
    const r = await call('zimbra_search_contacts', { query: 'a' });
    expect(r.isError, text(r)).toBeFalsy();
    expect(minted.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.structuredContent)).toContain('t [redacted]');
    clean(r, minted);
  });
  test('the Rackspace X-Api-Signature and its hash', async () => {
    const seen: string[] = [];
    emu('rackspace').decorate = (c, reply) => {
      const sig = c.headers['x-api-signature'] ?? '';
      seen.push(sig, sig.split(':')[2] ?? '');
      if (reply.body && typeof reply.body === 'object')
        Object.assign(reply.body, { notes: `sig ${sig}`, company: sig.split(':')[2] });
    };
    const r = await call('rackspace_get_exchange_mailbox', { domain: 'example.com', mailbox: 'alex.smith' });
    expect(r.isError, text(r)).toBeFalsy();
    expect(JSON.stringify(r.structuredContent)).toContain('[redacted]');
    clean(r, [...seen.filter((s) => s.length > 4), KEYS.rackspaceUser]);
  });
});

describe('secret arguments echoed in 2xx answers', () => {
  const pw = 'Leak-Mbx-pw-8c1';
  test('mailcow native: 200 [{"type":"danger","msg":["password_complexity","<pw>"]}]', async () => {
    emu('mailcow', () => native).inject({
      kind: 'raw',
      status: 200,
      body: JSON.stringify([{ type: 'danger', msg: ['password_complexity', pw] }]),
      headers: { 'content-type': 'application/json' },
    });
    const r = await call(
      'mailcow_create_mailbox',
      { domain: 'example.com', local_part: 'leak', name: 'L', password: pw },
      nativeClients,
    );
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('password_complexity');
    clean(r, [pw]);
  });
  test('mailcow REST: 200 {"type":"error","msg":"bad password <pw>"}', async () => {
    emu('mailcow').inject({
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ type: 'error', msg: `bad password ${pw}` }),
      headers: { 'content-type': 'application/json' },
    });
    const r = await call('mailcow_create_mailbox', {
      domain: 'example.com',
      local_part: 'leak2',
      name: 'L',
      password: pw,
    });
    clean(r, [pw]);
  });
  test('an unexpected answer quoting password1', async () => {
    const p1 = 'Leak-Sync-pw1-4e2';
    emu('mailcow').inject({
      kind: 'raw',
      status: 200,
      body: JSON.stringify({ surprise: { text: `job for ${p1}` }, list: [p1] }),
      headers: { 'content-type': 'application/json' },
    });
    const r = await call('mailcow_create_sync_job', {
      username: 'info@example.com',
      host1: 'imap.example.net',
      user1: 'u',
      password1: p1,
    });
    clean(r, [p1]);
  });
});

describe('escaped forms of configured secrets', () => {
  test('XML-escaped Zimbra password in a fault', async () => {
    const x = 'Zm&amp;Pass&lt;leak&gt;&quot;1';
    emu('zimbra').inject({
      kind: 'raw',
      status: 500,
      body: `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>bad password &amp;lt; ${x.replace(/&/g, '&amp;')} / ${x}</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>`,
    });
    const r = await call('zimbra_search_contacts', { query: 'a' });
    expect(r.isError).toBe(true);
    clean(r, [KEYS.zimbra, x]);
  });
  test('JSON-escaped and URL/form-encoded Rackspace secret key', async () => {
    const forms = [
      JSON.stringify(KEYS.rackspaceSecret).slice(1, -1),
      encodeURIComponent(KEYS.rackspaceSecret),
      new URLSearchParams({ s: KEYS.rackspaceSecret }).toString().slice(2),
    ];
    expect(forms).toContain('Rs%26Pass%3Dleak%3C9%3E');
    emu('rackspace').inject({
      kind: 'raw',
      status: 400,
      body: JSON.stringify({ badRequestFault: { message: `bad ${forms.join(' ')}` } }),
    });
    const r = await call('rackspace_get_exchange_mailbox', { domain: 'example.com', mailbox: 'alex.smith' });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('[redacted]');
    clean(r, [KEYS.rackspaceSecret, ...forms]);
  });
});

describe('backend text in errors and structured data', () => {
  const nasty = 'Re\u202eport\u2066 x\u200b\u2028y\u0085z\u001b[31m\u0007 end';
  test('an error loses bidi, invisible and control characters', async () => {
    emu('zammad').inject({ kind: 'raw', status: 422, body: JSON.stringify({ error: nasty }) });
    const r = await call('zammad_list_groups');
    expect(text(r)).toBe('zammad 422: Report xyz[31m end');
  });
  test('structured data loses them too', async () => {
    emu('mailcow').decorate = (_c, reply) => {
      if (Array.isArray(reply.body)) for (const d of reply.body) Object.assign(d, { description: nasty });
    };
    const r = await call('mailcow_list_domains');
    const all = JSON.stringify(r);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    expect(all).not.toMatch(/[\u202e\u2066\u200b\u2028\u0085\u001b\u0007]|\\u001b|\\u0007/);
    expect(JSON.stringify(r.structuredContent)).toContain('Report xyz[31m end');
  });
});

describe('deeply nested backend answers', () => {
  const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
  test.each([
    ['mailcow', 'mailcow_list_domains', {}],
    ['zammad', 'zammad_get_current_user', { full: true }],
    ['rackspace', 'rackspace_get_exchange_mailbox', { domain: 'example.com', mailbox: 'alex.smith' }],
  ])('%s: 100,000 levels give a clear tool error', async (backend, tool, args) => {
    emu(backend).inject({
      kind: 'raw',
      status: 200,
      body: deep(100_000),
      headers: { 'content-type': 'application/json' },
    });
    const r = await call(tool, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(new RegExp(`^${backend}: answered with JSON nested deeper than 64 levels`));
    expect(text(r)).not.toMatch(/call stack/i);
  });
  test('an error body 100,000 levels deep', async () => {
    emu('mailcow', () => native).inject({
      kind: 'raw',
      status: 500,
      body: `{"msg":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    });
    const r = await call('mailcow_list_domains', {}, nativeClients);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^mailcow 500/);
    expect(text(r)).not.toMatch(/call stack/i);
  });
  test('Zimbra XML 100,000 levels deep', async () => {
    emu('zimbra').inject({ kind: 'raw', status: 200, body: `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}` });
    const r = await call('zimbra_search_contacts', { query: 'a' });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^zimbra/);
    expect(text(r)).not.toMatch(/call stack/i);
  });
});

describe('redirects', () => {
  test.each([301, 302, 307, 308])('%i becomes a clear error naming where and the variable', async (status) => {
    emu('mailcow').inject({
      kind: 'raw',
      status,
      body: '',
      headers: { location: 'https://user:pw-in-location@login.example.com/sso/start?token=Redirect-secret-1#x' },
    });
    const r = await call('mailcow_list_domains');
    expect(text(r)).toBe(`mailcow ${status}: redirected to https://login.example.com/sso/start; check MAILCOW_URL`);
    clean(r, ['Redirect-secret-1', 'pw-in-location']);
  });
  test('a relative Location is resolved against the backend', async () => {
    emu('zammad').inject({ kind: 'raw', status: 302, body: '', headers: { location: '/auth/sso?x=1' } });
    const r = await call('zammad_list_groups');
    expect(text(r)).toBe(`zammad 302: redirected to ${sb.configs.zammad!.url}/auth/sso; check ZAMMAD_URL`);
  });
});

describe('header values that cannot be sent', () => {
  test.each(['müller', 'Zoë <z@example.com>', '名前', 'a\r\nX-Injected: 1'])(
    'on_behalf_of %j is refused before sending, suggesting the user id',
    async (who) => {
      emu('zammad').clearLog();
      const r = await call('zammad_list_groups', { on_behalf_of: who });
      expect(r.isError).toBe(true);
      if (!who.includes('\n')) expect(text(r)).toMatch(/^Invalid input: on_behalf_of: .*pass the user id/);
      // Line breaks are refused by the schema already; everything else by the client, with the way round.
      expect(text(r)).toMatch(/^Invalid input: on_behalf_of: .*user id|on_behalf_of/);
      expect(emu('zammad').seen).toHaveLength(0);
    },
  );
  test('the generic guard: CR/LF or non-Latin-1 in any header', async () => {
    const z = clients.zammad as unknown as { http: { send: (r: unknown) => Promise<unknown> } };
    emu('zammad').clearLog();
    for (const value of ['a\r\nb', 'a\nb', '\u0100x']) {
      await expect(
        z.http.send({ method: 'GET', path: '/api/v1/groups', headers: { 'x-test': value } }),
      ).rejects.toMatchObject({
        name: 'InputError',
        field: 'x-test header',
        message: expect.stringMatching(/cannot be sent/),
      });
    }
    expect(emu('zammad').seen).toHaveLength(0);
  });
});

test('cancelling one Zimbra call during the shared login never fails another caller', async () => {
  const z = new ZimbraSoap(sb.configs.zimbra as never, { timeoutMs: 3000, maxRetryWaitMs: 0 });
  emu('zimbra').inject({ kind: 'delay', ms: 300 });
  const a = new AbortController();
  const first = z.searchContacts({ query: 'a' }, { signal: a.signal });
  const second = z.searchContacts({ query: 'a' }, {});
  setTimeout(() => a.abort(), 50);
  await expect(first).rejects.toThrow(/cancelled/);
  const page = await second;
  expect(page.items.length).toBeGreaterThan(0);
  await z.close();
});
