// Bar 4: with distinctive secrets for every backend, the whole catalog and the fault cases leak no
// secret, password argument or activation password into results, errors, previews, logs or tools/list.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { setLogLevel, setLogSink } from '../../src/log.ts';
import type { ZimbraState } from '../../src/sandbox/zimbra/state.ts';
import { allTools } from '../../src/tools/index.ts';
import { type Harness, mcpClient, startHarness } from '../harness.ts';
import { validArgs } from './args.ts';

const KEYS = {
  mailcow: 'MC-SECRET-KEY-7c1e9a',
  rackspaceUser: 'RS-USER-KEY-3b8f21',
  rackspaceSecret: 'RS-SECRET-KEY-d04e77',
  zimbra: 'ZM-PASSWORD-5a9c3e',
  zammad: 'ZD-TOKEN-8e2b6f',
};
const ARG_SECRETS = {
  password: 'Arg-Password-61f0',
  password1: 'Arg-Password1-24aa',
  activationPassword: 'Arg-Activation-93cd',
};

/** Every spelling the hostile run found coming through, and the usual ones. */
const SPELLINGS = [
  'password',
  'passwd',
  'pass',
  'pwd',
  'api-key',
  'api_key',
  'x_api_key',
  'X-API-Key',
  'client_secret',
  'secret',
  'token',
  'access_token',
  'refresh_token',
  'auth_token',
  'private_key',
  'authorization',
  'cookie',
];
const formsOf = (v: string) => [
  v,
  JSON.stringify(v).slice(1, -1),
  v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
  encodeURIComponent(v),
  new URLSearchParams({ v }).toString().slice(2),
  Buffer.from(v).toString('base64').replace(/=+$/, ''),
];

let h: Harness;
const lines: string[] = [];
const outputs: string[] = [];
/** Zimbra auth tokens are minted at login: collect each one the sandbox issues. */
const zimbraTokens: string[] = [];

beforeAll(async () => {
  h = await startHarness({ timeoutMs: 800, maxRetryWaitMs: 0 }, { keys: KEYS, unlimited: true });
  const state = (h.sandbox.emulators.zimbra as unknown as { state: ZimbraState }).state;
  const login = state.login.bind(state);
  state.login = (name, password) => {
    const issued = login(name, password);
    zimbraTokens.push(issued.token);
    return issued;
  };
  setLogLevel('debug');
  setLogSink((l) => lines.push(l));
});
afterAll(async () => {
  setLogLevel('silent');
  await h.close();
});

function withSecretArgs(args: Record<string, unknown>): Record<string, unknown> {
  const out = { ...args };
  for (const [k, v] of Object.entries(ARG_SECRETS)) if (k in out) out[k] = v;
  return out;
}

test('no secret leaves the process, whatever happens', async () => {
  const plain = await mcpClient(h.clients);
  const confirming = await mcpClient(h.clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
  outputs.push(JSON.stringify(await plain.client.listTools()));

  // Every tool: its preview (unconfirmed), then the real call.
  for (const t of allTools) {
    const args = withSecretArgs(validArgs(t));
    for (const field of Object.keys(ARG_SECRETS)) {
      const props = (t.input.shape as Record<string, unknown>)[field];
      if (props !== undefined) args[field] = ARG_SECRETS[field as keyof typeof ARG_SECRETS];
    }
    outputs.push(JSON.stringify(await plain.call(t.name, args)));
    if (t.hints.destructive) outputs.push(JSON.stringify(await confirming.call(t.name, args)));
  }

  // Backends that echo the credentials and the request's own passwords back in their errors.
  const echoing: Array<[string, string, Record<string, unknown>]> = [
    [
      'mailcow',
      'mailcow_create_mailbox',
      { domain: 'example.com', local_part: 'echo', name: 'E', password: ARG_SECRETS.password },
    ],
    [
      'mailcow',
      'mailcow_create_sync_job',
      { username: 'info@example.com', host1: 'h.example', user1: 'u', password1: ARG_SECRETS.password1 },
    ],
    [
      'rackspace',
      'rackspace_add_blackberry_service',
      { domain: 'example.com', mailbox: 'alex.smith', activationPassword: ARG_SECRETS.activationPassword },
    ],
    ['zammad', 'zammad_list_groups', {}],
    ['zimbra', 'zimbra_search_contacts', { query: 'x' }],
  ];
  let echoes = 0;
  for (const [backend, tool, args] of echoing) {
    const own = Object.keys(ARG_SECRETS)
      .filter((k) => k in args)
      .map((k) => String(args[k]));
    // Raw and derived forms: base64, JSON-, XML- and URL/form-encoded.
    const echo = [...Object.values(KEYS), ...own].flatMap(formsOf).join(' ');
    const named = Object.fromEntries(SPELLINGS.map((n) => [n, echo]));
    const bodies: Array<[number, string]> = [
      [400, JSON.stringify({ type: 'error', msg: `rejected: ${echo}`, error: `bad ${echo}` })],
      [500, JSON.stringify({ type: 'error', msg: `rejected: ${echo}`, error: `bad ${echo}` })],
      // Echoed arguments in 2xx answers, as mailcow's two styles and an unexpected answer give them.
      [200, JSON.stringify([{ type: 'danger', msg: ['password_complexity', echo] }])],
      [200, JSON.stringify({ type: 'error', msg: `bad password ${echo}` })],
      [200, JSON.stringify({ unexpected: { quote: echo, ...named }, items: [{ note: echo, ...named }] })],
    ];
    for (const [status, body] of bodies) {
      h.sandbox.emulators[backend]!.inject({
        kind: 'raw',
        status,
        body,
        headers: { 'content-type': 'application/json' },
      });
      outputs.push(JSON.stringify(await plain.call(tool, args)));
      h.sandbox.emulators[backend]!.clearFaults();
      echoes++;
    }
  }
  // Secret-named fields in a record that reaches structuredContent, at depth, in every spelling.
  h.sandbox.emulators.mailcow!.decorate = (_c, reply) => {
    if (Array.isArray(reply.body))
      for (const d of reply.body)
        Object.assign(d, { nested: { deeper: Object.fromEntries(SPELLINGS.map((n) => [n, `v-${n}`])) } });
  };
  const named = await plain.call('mailcow_list_domains');
  h.sandbox.emulators.mailcow!.decorate = undefined;
  outputs.push(JSON.stringify(named));
  expect(named.isError).toBeFalsy();
  for (const n of SPELLINGS) expect(JSON.stringify(named), n).not.toContain(`v-${n}`);

  // Wrong credentials: the refusal is reported, the credential is not.
  const wrong = { ...h.sandbox.configs, mailcow: { ...h.sandbox.configs.mailcow!, apiKey: `${KEYS.mailcow}-X` } };
  const { buildClients } = await import('../../src/backends/index.ts');
  const bad = await mcpClient(buildClients(wrong, { timeoutMs: 800, maxRetryWaitMs: 0 }));
  outputs.push(JSON.stringify(await bad.call('mailcow_list_domains')));
  await bad.close();
  await plain.close();
  await confirming.close();

  const everything = [...outputs, ...lines].join('\n');
  expect(outputs.length).toBeGreaterThan(allTools.length);
  expect(lines.length).toBeGreaterThan(50);
  expect(zimbraTokens.length).toBeGreaterThan(0);
  let forms = 0;
  for (const secret of [...Object.values(KEYS), `${KEYS.mailcow}-X`, ...Object.values(ARG_SECRETS), ...zimbraTokens]) {
    for (const f of formsOf(secret)) {
      forms++;
      expect(everything.includes(f), `leaked ${f}`).toBe(false);
    }
  }
  expect(echoes).toBe(25);
  // They were really in play: on the wire, and echoed by the faults.
  const wire = Object.values(h.sandbox.emulators)
    .flatMap((e) => e.seen.map((s) => `${JSON.stringify(s.headers)} ${s.body}`))
    .join('\n');
  for (const secret of [
    KEYS.mailcow,
    KEYS.zammad,
    ARG_SECRETS.password,
    ARG_SECRETS.password1,
    ARG_SECRETS.activationPassword,
  ]) {
    expect(wire.includes(secret), `${secret} was never sent`).toBe(true);
  }
  console.log(
    `robustness/secrets: ${outputs.length} results (text and structuredContent) and ${lines.length} log lines checked for ${forms} secret forms; ${echoes} echoing answers`,
  );
});
