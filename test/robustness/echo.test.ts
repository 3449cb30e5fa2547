// Issue 11, item 1: no secret leaves the process whatever a backend echoes. Every tool of the catalog runs
// against sandbox emulators turned hostile: they echo the credential headers they receive (Authorization,
// X-API-Key, X-Api-Signature, the Zimbra cookie), the request body (with the call's passwords, JSON-, form-
// or XML-encoded) and derived forms (base64, URL-, XML-, JSON-escaped) into every answer, in free-text fields,
// in secret-named fields, in error bodies and in 2xx error answers. Text blocks, structuredContent and log
// lines are searched for every secret in every form.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildClients, type Clients } from '../../src/backends/index.ts';
import type { BackendConfigs } from '../../src/config.ts';
import { setLogLevel, setLogSink } from '../../src/log.ts';
import type { Call, Emulator, Reply } from '../../src/sandbox/emulator.ts';
import { type Sandbox, startSandboxes } from '../../src/sandbox/index.ts';
import type { ZimbraState } from '../../src/sandbox/zimbra/state.ts';
import type { AnyTool } from '../../src/tools/define.ts';
import { allTools } from '../../src/tools/index.ts';
import { mcpClient, type ToolResult } from '../harness.ts';
import { validArgs } from './args.ts';

// Distinctive, and full of the characters that escaping changes (where the emulators accept them).
const KEYS = {
  mailcow: `MC&Key<7c>"q'/+=%20;x`,
  mailcowNative: 'MCNATIVE-7c1e9a-4b2d-KEY',
  rackspaceUser: 'RS-USER-3b8f21',
  rackspaceSecret: `RS&Secret<d0>"'/+=%`,
  zimbra: `ZM&Pass<5a>"'/+=%é`,
  zammad: `ZD&Tok<8e>'/+=%`,
  zammadOauth: 'ZD-OAUTH-6c2e1f',
  zammadPassword: `ZD&Basic<pw>"'/+=%`,
};
const ARG_SECRETS: Record<string, string> = {
  password: `Arg&Pw<61>"'/+=%é`,
  password1: `Arg&Pw1<24>"'/+=%`,
  activationPassword: `Arg&Act<93>"'/+=%`,
};
const BASIC_USER = 'admin@example.com';

const json = (s: string) => JSON.stringify(s).slice(1, -1);
const xml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const b64 = (s: string) => Buffer.from(s).toString('base64').replace(/=+$/, '');
/** The forms a backend may send a secret back in (and the test searches for). */
const formsOf = (s: string) => [
  s,
  json(s),
  json(json(s)),
  xml(s),
  encodeURIComponent(s),
  new URLSearchParams({ s }).toString().slice(2),
  b64(s),
];

let sandbox: Sandbox;
const lines: string[] = [];
const outputs: string[] = [];
const structured: string[] = [];
const minted: string[] = [];
const stats = { calls: 0, cases: 0 };
/** Secret arguments sent so far: a backend can echo (or store and show later) only what it was sent. */
const sentArgs = new Set<string>();

/** What a hostile backend sends back: everything credential-like it received, and derived forms. */
function echoOf(call: Call): string {
  const h = call.headers;
  const parts = [h.authorization, h['x-api-key'], h['x-api-signature'], h.cookie, call.body].filter((x): x is string =>
    Boolean(x),
  );
  const basic = /^Basic (.+)$/.exec(h.authorization ?? '')?.[1];
  if (basic) parts.push(basic, Buffer.from(basic, 'base64').toString('utf8'));
  const sig = h['x-api-signature']?.split(':')[2];
  if (sig) parts.push(sig);
  for (const s of [...Object.values(KEYS), ...sentArgs]) parts.push(...formsOf(s).slice(1));
  return parts.join(' | ');
}

const SECRET_NAMES = [
  'password',
  'passwd',
  'pass',
  'api-key',
  'x_api_key',
  'client_secret',
  'access_token',
  'refresh_token',
  'private_key',
  'Authorization',
  'token',
];
const FREE_TEXT =
  /^(name|note|description|title|displayName|firstname|lastname|body|subject|comment|msg|message|error|error_human|notes)$/;

type Mode = 'fields' | 'strings';

/** Adds the echo to free-text fields (or every string) and as secret-named fields, at every depth. */
function spike(v: unknown, e: string, mode: Mode, depth = 0): unknown {
  if (depth > 20) return v;
  if (Array.isArray(v)) return v.map((x) => spike(x, e, mode, depth + 1));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] =
        typeof x === 'string' && (mode === 'strings' || FREE_TEXT.test(k)) ? `${x} ${e}` : spike(x, e, mode, depth + 1);
    }
    out.echo_note = e;
    for (const n of SECRET_NAMES) out[n] = e;
    return out;
  }
  return v;
}

function spikeXml(body: string, e: string, mode: Mode): string {
  const x = xml(e);
  const extra = `<a n="passwd">${x}</a><a n="notes">${x}</a><a n="x_api_key">${x}</a>`;
  let out = body
    .replace(/(<a\b[^>]*>)([^<]*)(<\/a>)/g, `$1$2 ${x}$3`)
    .replace(/(<cn\b[^>]*?)\/>/g, `$1>${extra}</cn>`)
    .replace(/(<cn\b[^>]*[^/]>)/g, `$1${extra}`)
    .replace(/(<soap:Text\b[^>]*>)/g, `$1${x} `);
  if (mode === 'strings') out = out.replace(/(\s(?:email|name|n|op|l)=")([^"]*)"/g, `$1$2 ${x}"`);
  return out;
}

function hostile(emu: Emulator, mode: () => Mode | undefined): void {
  emu.decorate = (call: Call, reply: Reply) => {
    const m = mode();
    if (!m) return;
    const e = echoOf(call);
    if (typeof reply.body === 'string') {
      if (reply.body.trimStart().startsWith('<')) reply.body = spikeXml(reply.body, e, m);
      else reply.body = `${reply.body} ${e}`;
    } else if (reply.body !== undefined) reply.body = spike(reply.body, e, m);
    else reply.body = { msg: e };
  };
}

let mode: Mode | undefined;

beforeAll(async () => {
  sandbox = await startSandboxes('127.0.0.1', { keys: KEYS, unlimited: true });
  for (const emu of Object.values(sandbox.emulators)) hostile(emu, () => mode);
  const state = (sandbox.emulators.zimbra as unknown as { state: ZimbraState }).state;
  const login = state.login.bind(state);
  state.login = (name, password) => {
    const issued = login(name, password);
    minted.push(issued.token);
    return issued;
  };
  setLogLevel('debug');
  setLogSink((l) => lines.push(l));
});
afterAll(async () => {
  setLogLevel('silent');
  await sandbox?.close();
});

function argsFor(t: AnyTool): Record<string, unknown> {
  const args = validArgs(t);
  for (const [field, value] of Object.entries(ARG_SECRETS)) {
    if ((t.input.shape as Record<string, unknown>)[field] !== undefined) {
      args[field] = value;
      sentArgs.add(value);
    }
  }
  return args;
}

function record(r: ToolResult): void {
  stats.calls++;
  outputs.push(JSON.stringify(r.content));
  if (r.structuredContent) structured.push(JSON.stringify(r.structuredContent));
}

/** Error answers a hostile backend may give, each quoting the echo. */
function errorFaults(backend: string, e: string) {
  const body =
    backend === 'zimbra'
      ? `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>invalid ${xml(e)}</soap:Text></soap:Reason><soap:Detail><Error xmlns="urn:zimbra"><Code>service.INVALID_REQUEST</Code></Error></soap:Detail></soap:Fault></soap:Body></soap:Envelope>`
      : JSON.stringify({
          type: 'error',
          msg: ['password_complexity', e],
          error: `bad ${e}`,
          error_human: `bad ${e}`,
          badRequestFault: { message: `bad ${e}` },
        });
  return [400, 401, 500].map((status) => ({ kind: 'raw' as const, status, body, headers: { 'x-error-message': 'x' } }));
}

async function runCatalog(name: string, clients: Partial<Clients>, toolset: string): Promise<void> {
  const c = await mcpClient(clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
  const tools = allTools.filter((t) => t.toolset === toolset);
  const emu = sandbox.emulators[toolset] as Emulator;
  for (const m of ['fields', 'strings'] as const) {
    mode = m;
    stats.cases++;
    for (const t of tools) record(await c.call(t.name, argsFor(t)));
  }
  mode = undefined;
  // Error answers and 2xx error answers quoting the echo; the echo is what a request of this tool carries.
  stats.cases++;
  for (const t of tools) {
    const args = argsFor(t);
    const e = [
      ...[...sentArgs].flatMap(formsOf),
      ...Object.values(KEYS).flatMap(formsOf),
      ...minted.flatMap(formsOf),
    ].join(' ');
    for (const f of errorFaults(toolset, e)) {
      emu.inject(f);
      record(await c.call(t.name, args));
      emu.clearFaults();
    }
    if (toolset !== 'zimbra') {
      emu.inject({
        kind: 'raw',
        status: 200,
        body: JSON.stringify([{ type: 'danger', msg: ['password_complexity', e] }]),
      });
      record(await c.call(t.name, args));
      emu.inject({ kind: 'raw', status: 200, body: JSON.stringify({ type: 'error', msg: `bad password ${e}` }) });
      record(await c.call(t.name, args));
      emu.clearFaults();
    }
  }
  await c.close();
  expect(stats.calls, name).toBeGreaterThan(0);
}

test('the whole catalog against echoing backends leaks no secret in any form', { timeout: 300_000 }, async () => {
  const cfg = sandbox.configs;
  const opts = { timeoutMs: 2000, maxRetryWaitMs: 0 };
  const variants: Array<[string, string, BackendConfigs]> = [
    ['mailcow rest', 'mailcow', { mailcow: cfg.mailcow }],
    ['rackspace', 'rackspace', { rackspace: cfg.rackspace }],
    ['zimbra', 'zimbra', { zimbra: cfg.zimbra }],
    ['zammad token', 'zammad', { zammad: cfg.zammad }],
    [
      'zammad basic',
      'zammad',
      {
        zammad: { url: cfg.zammad!.url, auth: { kind: 'basic', username: BASIC_USER, password: KEYS.zammadPassword } },
      },
    ],
    [
      'zammad bearer',
      'zammad',
      { zammad: { url: cfg.zammad!.url, auth: { kind: 'bearer', token: KEYS.zammadOauth } } },
    ],
  ];
  // mailcow's native API style, on its own emulator. Every client is built first, as one process
  // configured for every backend would be: each secret is known before any backend can echo it.
  const native = await startSandboxes('127.0.0.1', { keys: KEYS, unlimited: true, mailcowStyle: 'native' });
  hostile(native.emulators.mailcow as Emulator, () => mode);
  const built = variants.map(([name, toolset, configs]) => [name, toolset, buildClients(configs, opts)] as const);
  const nativeClients = buildClients({ mailcow: native.configs.mailcow }, opts);
  try {
    for (const [name, toolset, clients] of built) await runCatalog(name, clients, toolset);
    const saved = sandbox.emulators.mailcow;
    sandbox.emulators.mailcow = native.emulators.mailcow as Emulator;
    await runCatalog('mailcow native', nativeClients, 'mailcow');
    sandbox.emulators.mailcow = saved as Emulator;
  } finally {
    await native.close();
  }

  const wire = [sandbox, native]
    .flatMap((s) => Object.values(s.emulators))
    .flatMap((e) => e.seen.map((s) => s.headers))
    .map((h) => h['x-api-signature']?.split(':')[2])
    .filter((x): x is string => Boolean(x));
  const basic = `${BASIC_USER}:${KEYS.zammadPassword}`;
  const secrets = [
    ...Object.values(KEYS),
    ...Object.values(ARG_SECRETS),
    basic,
    b64(basic),
    ...minted,
    ...wire.slice(-50),
  ];
  const everything = [...outputs, ...structured, ...lines].join('\n');
  const found: string[] = [];
  for (const s of secrets) for (const f of formsOf(s)) if (f.length >= 6 && everything.includes(f)) found.push(f);
  console.log(
    `robustness/echo: ${stats.calls} calls, ${stats.cases} echoing-backend cases, ${outputs.length + structured.length} results and ${lines.length} log lines searched for ${secrets.length} secrets in ${formsOf('x').length} forms; found ${found.length}`,
  );
  if (found.length) {
    const f = found[0] as string;
    const where = [...outputs, ...structured, ...lines].filter((o) => o.includes(f)).slice(0, 3);
    console.log(
      'LEAK',
      f,
      where.map((w) => w.slice(Math.max(0, w.indexOf(f) - 300), w.indexOf(f) + 100)),
    );
  }
  expect(found).toEqual([]);
  // The echoes were really there: redacted in structured data as well as in text, and minted tokens seen.
  expect(minted.length).toBeGreaterThan(0);
  expect(wire.length).toBeGreaterThan(0);
  expect(structured.join('\n')).toContain('[redacted]');
  expect(outputs.filter((o) => o.includes('[redacted]')).length).toBeGreaterThan(stats.calls / 2);
  expect(lines.join('\n')).toContain('[redacted]');
});
