import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { BackendConfigs, Env, MailcowConfig, RackspaceConfig, ZammadConfig, ZimbraConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { isDomain } from '../tools/params.ts';
import { DEFAULT_INSTANCE, type Policy } from './index.ts';

/** Catalog §6 instance names. */
export const NAME_RE = /^[a-z][a-z0-9_-]{0,31}$/;
export interface Instance<C> {
  name: string;
  config: C;
  policy: Policy;
}

export type Backend = keyof BackendConfigs;
export type Fleet = { [K in Backend]?: Instance<NonNullable<BackendConfigs[K]>>[] };

export interface ParseContext {
  env: Env;
  /** Directory relative `{file: …}` paths start from. */
  base: string;
  /** Tool names of each backend, to check `tools` and `exclude_tools`. */
  toolNames: Record<Backend, readonly string[]>;
  /** On the sandbox every URL and credential is replaced, so `{env}` and `{file}` are checked but not read. */
  sandbox?: boolean;
}

export interface Parsed {
  fleet: Fleet;
  /** Paths of settings given as plain strings that are secrets. */
  inlineSecrets: string[];
}

const BACKENDS: Backend[] = ['mailcow', 'rackspace', 'zammad', 'zimbra'];
const COMMON = ['read_only', 'tools', 'exclude_tools'];
const SETTINGS: Record<Backend, string[]> = {
  mailcow: ['url', 'api_key', 'api_style', 'domains'],
  zammad: ['url', 'token', 'oauth_token', 'username', 'password'],
  zimbra: ['url', 'username', 'password', 'auth_token'],
  rackspace: ['url', 'user_key', 'secret_key', 'customer_id', 'domains'],
};
/** Settings whose plain-string form counts as a secret written into the file. */
const SECRETS = new Set(['api_key', 'token', 'oauth_token', 'password', 'auth_token', 'user_key', 'secret_key']);
/** Settings that may also be given as `{env}` or `{file}`. */
const INDIRECT = new Set([...SECRETS, 'username', 'customer_id']);

const fail = (path: string, msg: string): never => {
  throw new ConfigError(`${path}: ${msg}`);
};
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The YAML library (bundled, it arrives as a CommonJS module's namespace). */
async function yaml(): Promise<typeof import('yaml')> {
  const m = await import('yaml');
  return 'parse' in m ? m : (m as { default: typeof m }).default;
}

/** Reads JSON or YAML by the file's extension (the YAML parser is loaded only for a YAML file). */
export async function parseText(text: string, path: string): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(text);
    if (ext === '.yaml' || ext === '.yml') return (await yaml()).parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  throw new ConfigError(`${path}: the instances file must end in .json, .yaml or .yml`);
}

/** Turns the file's document into instances; every error names its path inside the file. */
export function parseInstances(doc: unknown, ctx: ParseContext): Parsed {
  const inlineSecrets: string[] = [];
  const fleet: Fleet = {};
  if (doc === null || doc === undefined) return { fleet, inlineSecrets };
  if (!isMap(doc)) fail('(top level)', `must be a map of backends (${BACKENDS.join(', ')})`);
  for (const [backend, instances] of Object.entries(doc as Record<string, unknown>)) {
    if (!BACKENDS.includes(backend as Backend)) fail(backend, `unknown backend; known: ${BACKENDS.join(', ')}`);
    if (instances === null) continue;
    if (!isMap(instances)) fail(backend, 'must be a map from instance name to its settings');
    const b = backend as Backend;
    const list: Instance<never>[] = [];
    for (const [name, raw] of Object.entries(instances as Record<string, unknown>)) {
      const at = `${b}.${name}`;
      if (!NAME_RE.test(name))
        fail(at, 'instance names are a lower-case letter, then up to 31 lower-case letters, digits, _ or -');
      if (!isMap(raw)) fail(at, 'must be a map of settings');
      list.push(instance(b, name, raw as Record<string, unknown>, at, ctx, inlineSecrets) as never);
    }
    (fleet as Record<string, unknown>)[b] = list;
  }
  return { fleet, inlineSecrets };
}

function instance(
  b: Backend,
  name: string,
  raw: Record<string, unknown>,
  at: string,
  ctx: ParseContext,
  inline: string[],
): Instance<unknown> {
  const known = [...SETTINGS[b], ...COMMON];
  for (const k of Object.keys(raw)) {
    if (!known.includes(k)) fail(`${at}.${k}`, `unknown setting; known for ${b}: ${known.join(', ')}`);
  }
  const str = (k: string): string | undefined => {
    const v = raw[k];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') {
      if (SECRETS.has(k)) inline.push(`${at}.${k}`);
      return nonEmpty(v, `${at}.${k}`);
    }
    if (k === 'customer_id' && typeof v === 'number' && Number.isInteger(v)) return String(v);
    if (INDIRECT.has(k) && isMap(v)) return indirect(v, `${at}.${k}`, ctx);
    return fail(
      `${at}.${k}`,
      INDIRECT.has(k) ? 'must be a string, { env: NAME } or { file: PATH }' : 'must be a string',
    );
  };
  const need = (k: string, why = 'is required') => str(k) ?? fail(`${at}.${k}`, why);
  const policy = policyOf(b, raw, at, ctx);
  const config = (() => {
    switch (b) {
      case 'mailcow': {
        const style = str('api_style') ?? 'rest';
        if (style !== 'rest' && style !== 'native') fail(`${at}.api_style`, `must be rest or native, got ${style}`);
        return { url: url(need('url'), `${at}.url`), apiKey: need('api_key'), style } as MailcowConfig;
      }
      case 'zammad': {
        const ways = ['token', 'oauth_token', 'username'].filter((k) => raw[k] !== undefined);
        if (ways.length !== 1) fail(at, 'set exactly one of token, oauth_token or username + password');
        const auth: ZammadConfig['auth'] =
          ways[0] === 'token'
            ? { kind: 'token', token: need('token') }
            : ways[0] === 'oauth_token'
              ? { kind: 'bearer', token: need('oauth_token') }
              : { kind: 'basic', username: need('username'), password: need('password', 'is required with username') };
        return { url: url(need('url'), `${at}.url`), auth } as ZammadConfig;
      }
      case 'zimbra': {
        const token = raw.auth_token !== undefined;
        if (token === (raw.username !== undefined)) fail(at, 'set either username + password or auth_token');
        const auth: ZimbraConfig['auth'] = token
          ? { kind: 'token', token: need('auth_token') }
          : { kind: 'password', username: need('username'), password: need('password', 'is required with username') };
        return { url: url(need('url'), `${at}.url`), auth } as ZimbraConfig;
      }
      case 'rackspace': {
        const customerId = need('customer_id');
        if (!/^[A-Za-z0-9_-]+$/.test(customerId)) fail(`${at}.customer_id`, 'must be an account number');
        return {
          url: url(str('url') ?? 'https://api.emailsrvr.com/v1', `${at}.url`),
          userKey: need('user_key'),
          secretKey: need('secret_key'),
          customerId,
        } as RackspaceConfig;
      }
    }
  })();
  return { name, config, policy };
}

function policyOf(b: Backend, raw: Record<string, unknown>, at: string, ctx: ParseContext): Policy {
  const ro = raw.read_only;
  if (ro !== undefined && typeof ro !== 'boolean') fail(`${at}.read_only`, 'must be true or false');
  const names = (k: string) => {
    const v = strings(raw[k], `${at}.${k}`);
    v?.forEach((n, i) => {
      if (!ctx.toolNames[b].includes(n)) fail(`${at}.${k}[${i}]`, `${JSON.stringify(n)} is not a ${b} tool`);
    });
    return v;
  };
  const policy: Policy = { readOnly: ro === true };
  const tools = names('tools');
  const exclude = names('exclude_tools');
  if (tools) policy.tools = tools;
  if (exclude) policy.exclude = exclude;
  const domains = strings(raw.domains, `${at}.domains`);
  if (domains) {
    if (domains.length === 0) fail(`${at}.domains`, 'must name at least one domain (leave it out for all)');
    domains.forEach((d, i) => {
      if (!isDomain(d)) fail(`${at}.domains[${i}]`, `${JSON.stringify(d)} is not a domain name`);
    });
    policy.domains = domains.map((d) => d.toLowerCase());
  }
  return policy;
}

function strings(v: unknown, path: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return fail(path, 'must be a list of strings');
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') fail(`${path}[${i}]`, 'must be a non-empty string');
  });
  return v.map((s: string) => s.trim());
}

function nonEmpty(v: string, path: string): string {
  const s = v.trim();
  return s === '' ? fail(path, 'is empty') : s;
}

function indirect(v: Record<string, unknown>, path: string, ctx: ParseContext): string {
  const keys = Object.keys(v);
  if (keys.length !== 1 || (keys[0] !== 'env' && keys[0] !== 'file') || typeof v[keys[0]] !== 'string')
    return fail(path, 'must be a string, { env: NAME } or { file: PATH }');
  if (ctx.sandbox) return `(sandbox: ${keys[0]} ${String(v[keys[0]])})`;
  if (keys[0] === 'env') {
    const name = v.env as string;
    const value = ctx.env[name]?.trim();
    if (value === undefined) return fail(path, `environment variable ${name} is not set`);
    if (value === '') return fail(path, `environment variable ${name} is empty`);
    return value;
  }
  const file = resolve(ctx.base, v.file as string);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    return fail(path, `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const value = text.trim();
  return value === '' ? fail(path, `file ${file} is empty`) : value;
}

function url(raw: string, path: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return fail(path, `is not a valid URL: ${JSON.stringify(raw)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail(path, 'must be an http:// or https:// URL');
  if (parsed.username || parsed.password) fail(path, 'must not carry credentials');
  return raw.replace(/\/+$/, '');
}

/**
 * The environment's backends become instances named `default`, joined with the file's; a name used in
 * both is an error.
 */
export function unite(fleet: Fleet, env: BackendConfigs): Fleet {
  const out: Fleet = { ...fleet };
  for (const b of BACKENDS) {
    const cfg = env[b];
    if (!cfg) continue;
    const list = (out[b] ?? []) as Instance<unknown>[];
    if (list.some((i) => i.name === DEFAULT_INSTANCE))
      fail(
        `${b}.${DEFAULT_INSTANCE}`,
        `the name ${DEFAULT_INSTANCE} is already taken by the ${b.toUpperCase()}_* environment variables; rename this instance`,
      );
    (out as Record<string, unknown>)[b] = [
      { name: DEFAULT_INSTANCE, config: cfg, policy: { readOnly: false } },
      ...list,
    ];
  }
  return out;
}

export interface Loaded extends Parsed {
  warnings: string[];
}

/** Reads the instances file at `path`; a file holding inline secrets that others can read gets a warning. */
export async function loadInstancesFile(
  path: string,
  env: Env,
  toolNames: ParseContext['toolNames'],
  sandbox = false,
): Promise<Loaded> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read the instances file ${path}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const parsed = parseInstances(await parseText(text, path), {
    env,
    base: dirname(resolve(path)),
    toolNames,
    sandbox,
  });
  const warnings: string[] = [];
  if (parsed.inlineSecrets.length > 0 && (statSync(path).mode & 0o077) !== 0) {
    warnings.push(
      `${path} holds secrets (${parsed.inlineSecrets.join(', ')}) and can be read by group or others: chmod 600 it, or use { env: NAME } or { file: PATH }`,
    );
  }
  return { ...parsed, warnings };
}
