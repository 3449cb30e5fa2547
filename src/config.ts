import { homedir } from 'node:os';
import { parseArgs } from 'node:util';
import type { OAuthConfig } from './auth/oauth.ts';
import { checkNames } from './cli/names.ts';
import { ConfigError, withoutUserinfo } from './errors.ts';
import type { LogLevel } from './log.ts';

export const TOOLSETS = ['mailcow', 'rackspace', 'zammad', 'zimbra'] as const;
export type Toolset = (typeof TOOLSETS)[number];

export interface MailcowConfig {
  url: string;
  apiKey: string;
  style: 'rest' | 'native';
}
export interface ZammadConfig {
  url: string;
  auth:
    | { kind: 'token'; token: string }
    | { kind: 'bearer'; token: string }
    | { kind: 'basic'; username: string; password: string };
}
export interface ZimbraConfig {
  url: string;
  auth: { kind: 'password'; username: string; password: string } | { kind: 'token'; token: string };
}
export interface RackspaceConfig {
  url: string;
  userKey: string;
  secretKey: string;
  customerId: string;
}

export interface BackendConfigs {
  mailcow?: MailcowConfig;
  zammad?: ZammadConfig;
  zimbra?: ZimbraConfig;
  rackspace?: RackspaceConfig;
}

export interface Selection {
  toolsets?: string[];
  tools?: string[];
  exclude?: string[];
  readOnly: boolean;
}

/** Safety rails (catalog §2): confirmation, elicitation, the state key and the audit log. */
export interface RailsConfig {
  confirm: 'token' | 'flag';
  confirmTtlS: number;
  elicitationTimeoutMs: number;
  /** At least 32 bytes; `undefined`: a random key for this process. */
  stateKey?: Buffer;
  /** A file path, `off`, or `-` (stderr). */
  auditLog: string;
}

export interface Config {
  mode: 'stdio' | 'http';
  rails: RailsConfig;
  sandbox: boolean;
  backends: BackendConfigs;
  /** Instances file (`MAILOPS_CONFIG` / `--config`), catalog §6. */
  instancesFile?: string;
  selection: Selection;
  timeoutMs: number;
  maxRetryWaitMs: number;
  logLevel: LogLevel;
  http: {
    host: string;
    port: number;
    token?: string;
    allowedOrigins: string[];
    maxBodyBytes: number;
    sessionIdleMs: number;
    maxSessions: number;
    /** OAuth resource-server mode (catalog §7); exclusive with `token`. */
    oauth?: OAuthConfig;
  };
}

export type Env = Record<string, string | undefined>;

export interface Flags {
  http?: boolean;
  sandbox?: boolean;
  'read-only'?: boolean;
  toolsets?: string;
  tools?: string;
  'exclude-tools'?: string;
  config?: string;
  host?: string;
  port?: string;
  help?: boolean;
  version?: boolean;
}

export function parseArgv(argv: string[]): Flags {
  try {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        http: { type: 'boolean' },
        sandbox: { type: 'boolean' },
        'read-only': { type: 'boolean' },
        toolsets: { type: 'string' },
        tools: { type: 'string' },
        'exclude-tools': { type: 'string' },
        config: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
    return values as Flags;
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}; see mailops-mcp --help`);
  }
}

export function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * One `MAILOPS_ALLOWED_ORIGINS` entry as a whole origin (`https://app.example.com:8443`; a default port
 * is dropped), or `scheme://*` for every origin of a non-web scheme. A path or a bare host name is refused:
 * origins are compared whole, so a looser entry would silently admit nothing or too much.
 */
function origin(raw: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\/\*$/i.test(raw) && !/^(https?|wss?):/i.test(raw)) return raw.toLowerCase();
  let u: URL | undefined;
  try {
    u = new URL(raw);
  } catch {}
  if (!u || u.origin === 'null' || u.pathname.replace(/\/$/, '') !== '' || u.search || u.hash || u.username) {
    throw new ConfigError(
      `MAILOPS_ALLOWED_ORIGINS entries must be origins like https://app.example.com, got ${JSON.stringify(raw)}`,
    );
  }
  return u.origin;
}

function bool(env: Env, name: string): boolean | undefined {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got ${JSON.stringify(raw)}`);
  }
  return n;
}

function url(env: Env, name: string, fallback?: string): string | undefined {
  const raw = env[name]?.trim() || fallback;
  if (!raw) return undefined;
  // Never echoed with its userinfo (`https://admin:pw@host` would print the password).
  const shown = JSON.stringify(withoutUserinfo(raw));
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a valid URL: ${shown}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(`${name} must be an http:// or https:// URL, got ${shown}`);
  }
  if (parsed.username || parsed.password)
    throw new ConfigError(`${name} must not carry credentials; use the backend's own variables`);
  return raw.replace(/\/+$/, '');
}

function need(env: Env, name: string, because: string): string {
  const v = env[name]?.trim();
  if (!v) throw new ConfigError(`${name} is required when ${because} is set`);
  return v;
}

/** Set and not blank: `${VAR:-}` expansion gives an empty string, which counts as unset. */
function has(env: Env, name: string): boolean {
  return Boolean(env[name]?.trim());
}

/** A credential without its backend's URL would be silently ignored: name both instead. */
function needsUrl(env: Env, urlName: string, names: string[]): void {
  if (has(env, urlName)) return;
  const set = names.filter((n) => has(env, n));
  if (set.length)
    throw new ConfigError(
      `${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set but ${urlName} is not: set ${urlName} too, or unset ${set.join(' and ')}`,
    );
}

/** One auth method per backend: with two, which one wins would be a guess. */
function oneAuth(env: Env, backend: string, methods: string[][]): void {
  const used = methods.filter((m) => m.some((n) => has(env, n))).map((m) => m.filter((n) => has(env, n)).join(' + '));
  if (used.length > 1)
    throw new ConfigError(`${backend} has two auth methods set, ${used.join(' and ')}: keep only one`);
}

export function parseBackends(env: Env): BackendConfigs {
  const out: BackendConfigs = {};
  needsUrl(env, 'MAILCOW_URL', ['MAILCOW_API_KEY']);
  needsUrl(env, 'ZAMMAD_URL', ['ZAMMAD_TOKEN', 'ZAMMAD_OAUTH_TOKEN', 'ZAMMAD_USERNAME', 'ZAMMAD_PASSWORD']);
  needsUrl(env, 'ZIMBRA_URL', ['ZIMBRA_USERNAME', 'ZIMBRA_PASSWORD', 'ZIMBRA_AUTH_TOKEN']);
  oneAuth(env, 'Zammad', [['ZAMMAD_TOKEN'], ['ZAMMAD_OAUTH_TOKEN'], ['ZAMMAD_USERNAME', 'ZAMMAD_PASSWORD']]);
  oneAuth(env, 'Zimbra', [['ZIMBRA_AUTH_TOKEN'], ['ZIMBRA_USERNAME', 'ZIMBRA_PASSWORD']]);
  const mailcowUrl = url(env, 'MAILCOW_URL');
  if (mailcowUrl) {
    const style = (env.MAILCOW_API_STYLE?.trim() || 'rest').toLowerCase();
    if (style !== 'rest' && style !== 'native')
      throw new ConfigError(`MAILCOW_API_STYLE must be rest or native, got ${JSON.stringify(env.MAILCOW_API_STYLE)}`);
    out.mailcow = { url: mailcowUrl, apiKey: need(env, 'MAILCOW_API_KEY', 'MAILCOW_URL'), style };
  }
  const zammadUrl = url(env, 'ZAMMAD_URL');
  if (zammadUrl) {
    const token = env.ZAMMAD_TOKEN?.trim();
    const oauth = env.ZAMMAD_OAUTH_TOKEN?.trim();
    const user = env.ZAMMAD_USERNAME?.trim();
    let auth: ZammadConfig['auth'];
    if (token) auth = { kind: 'token', token };
    else if (oauth) auth = { kind: 'bearer', token: oauth };
    else if (user) auth = { kind: 'basic', username: user, password: need(env, 'ZAMMAD_PASSWORD', 'ZAMMAD_USERNAME') };
    else
      throw new ConfigError(
        'ZAMMAD_URL is set but no credentials: set ZAMMAD_TOKEN, ZAMMAD_OAUTH_TOKEN or ZAMMAD_USERNAME + ZAMMAD_PASSWORD',
      );
    out.zammad = { url: zammadUrl, auth };
  }
  const zimbraUrl = url(env, 'ZIMBRA_URL');
  if (zimbraUrl) {
    const token = env.ZIMBRA_AUTH_TOKEN?.trim();
    const user = env.ZIMBRA_USERNAME?.trim();
    let auth: ZimbraConfig['auth'];
    if (token) auth = { kind: 'token', token };
    else if (user)
      auth = { kind: 'password', username: user, password: need(env, 'ZIMBRA_PASSWORD', 'ZIMBRA_USERNAME') };
    else
      throw new ConfigError(
        'ZIMBRA_URL is set but no credentials: set ZIMBRA_USERNAME + ZIMBRA_PASSWORD or ZIMBRA_AUTH_TOKEN',
      );
    out.zimbra = { url: zimbraUrl, auth };
  }
  if (env.RACKSPACE_USER_KEY?.trim() || env.RACKSPACE_SECRET_KEY?.trim() || env.RACKSPACE_CUSTOMER_ID?.trim()) {
    const because = 'any RACKSPACE_* credential';
    const customerId = need(env, 'RACKSPACE_CUSTOMER_ID', because);
    if (!/^[A-Za-z0-9_-]+$/.test(customerId))
      throw new ConfigError(`RACKSPACE_CUSTOMER_ID must be an account number, got ${JSON.stringify(customerId)}`);
    out.rackspace = {
      url: url(env, 'RACKSPACE_URL', 'https://api.emailsrvr.com/v1') as string,
      userKey: need(env, 'RACKSPACE_USER_KEY', because),
      secretKey: need(env, 'RACKSPACE_SECRET_KEY', because),
      customerId,
    };
  }
  return out;
}

/** Catalog §7: issuer and public URL together turn OAuth on; either alone is a mistake worth stopping for. */
function oauthConfig(env: Env): OAuthConfig | undefined {
  const issuer = env.MAILOPS_OAUTH_ISSUER?.trim();
  const publicUrl = env.MAILOPS_PUBLIC_URL?.trim();
  const audience = env.MAILOPS_OAUTH_AUDIENCE?.trim() || undefined;
  if (!issuer && !publicUrl) {
    if (audience) throw new ConfigError('MAILOPS_OAUTH_AUDIENCE needs MAILOPS_OAUTH_ISSUER and MAILOPS_PUBLIC_URL');
    return undefined;
  }
  if (!issuer) throw new ConfigError('MAILOPS_PUBLIC_URL is set but MAILOPS_OAUTH_ISSUER is not: set both for OAuth');
  if (!publicUrl)
    throw new ConfigError('MAILOPS_OAUTH_ISSUER is set but MAILOPS_PUBLIC_URL is not: set both for OAuth');
  for (const [name, value] of [
    ['MAILOPS_OAUTH_ISSUER', issuer],
    ['MAILOPS_PUBLIC_URL', publicUrl],
  ] as const) {
    const u = url({ [name]: value }, name) as string;
    // OAuth 2.1 §1.5: plain http only for loopback (tests, local development).
    if (!u.startsWith('https://') && !isLoopback(new URL(u).hostname)) {
      throw new ConfigError(`${name} must be an https:// URL (http:// only on loopback)`);
    }
  }
  // The issuer is compared exactly as the authorization server states it (RFC 8414 §3.3): keep it verbatim.
  return { issuer, publicUrl: publicUrl.replace(/\/+$/, ''), audience };
}

export function parseRails(env: Env): RailsConfig {
  const confirm = (env.MAILOPS_CONFIRM?.trim().toLowerCase() || 'token') as RailsConfig['confirm'];
  if (confirm !== 'token' && confirm !== 'flag')
    throw new ConfigError(`MAILOPS_CONFIRM must be token or flag, got ${JSON.stringify(env.MAILOPS_CONFIRM)}`);
  const key = env.MAILOPS_STATE_KEY;
  if (key !== undefined && key !== '' && Buffer.byteLength(key) < 32)
    throw new ConfigError('MAILOPS_STATE_KEY must be at least 32 bytes long');
  const state = env.XDG_STATE_HOME?.trim() || `${env.HOME || homedir()}/.local/state`;
  return {
    confirm,
    confirmTtlS: int(env, 'MAILOPS_CONFIRM_TTL_S', 600, 1, 86_400),
    elicitationTimeoutMs: int(env, 'MAILOPS_ELICITATION_TIMEOUT_MS', 300_000, 10, 3_600_000),
    stateKey: key ? Buffer.from(key) : undefined,
    auditLog: env.MAILOPS_AUDIT_LOG?.trim() || `${state}/mailops-mcp/audit.jsonl`,
  };
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'];
const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

/**
 * Reads flags and environment. With `toolNames`, unknown names in the tool allow- and deny-lists stop
 * start-up too (the caller passes them: the tool tables import this module).
 */
export function loadConfig(argv: string[], env: Env, toolNames?: readonly string[]): Config {
  const flags = parseArgv(argv);
  // `${VAR:-}` in a client configuration expands to an empty string: that is "not set".
  const get = (name: string) => (env[name]?.trim() ? env[name] : undefined);
  const logLevel = (env.MAILOPS_LOG_LEVEL?.trim().toLowerCase() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new ConfigError(`MAILOPS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const toolsets = list(flags.toolsets ?? get('MAILOPS_TOOLSETS'));
  checkNames(flags.toolsets ? '--toolsets' : 'MAILOPS_TOOLSETS', toolsets, TOOLSETS, 'toolset');
  const tools = list(flags.tools ?? get('MAILOPS_TOOLS'));
  const exclude = list(flags['exclude-tools'] ?? get('MAILOPS_EXCLUDE_TOOLS'));
  if (toolNames) {
    checkNames(flags.tools ? '--tools' : 'MAILOPS_TOOLS', tools, toolNames, 'tool');
    checkNames(flags['exclude-tools'] ? '--exclude-tools' : 'MAILOPS_EXCLUDE_TOOLS', exclude, toolNames, 'tool');
  }
  for (const f of ['port', 'host'] as const) {
    if (flags[f] !== undefined && !flags.http)
      throw new ConfigError(`--${f} does nothing without --http: add --http, or drop --${f}`);
  }
  const host = (flags.host ?? get('MAILOPS_HTTP_HOST') ?? '127.0.0.1').trim();
  const portRaw = flags.port ?? env.MAILOPS_HTTP_PORT;
  const port = int({ MAILOPS_HTTP_PORT: portRaw }, 'MAILOPS_HTTP_PORT', 3000, 0, 65535);
  const token = env.MAILOPS_HTTP_TOKEN?.trim() || undefined;
  const mode = flags.http ? 'http' : 'stdio';
  const oauth = oauthConfig(env);
  if (oauth && token) {
    throw new ConfigError('MAILOPS_HTTP_TOKEN and MAILOPS_OAUTH_ISSUER are exclusive: set one of them');
  }
  if (mode === 'http' && !isLoopback(host) && !token && !oauth) {
    throw new ConfigError(`MAILOPS_HTTP_TOKEN is required when MAILOPS_HTTP_HOST (${host}) is not a loopback address`);
  }
  return {
    mode,
    rails: parseRails(env),
    sandbox: flags.sandbox === true,
    backends: flags.sandbox ? {} : parseBackends(env),
    instancesFile: (flags.config ?? env.MAILOPS_CONFIG)?.trim() || undefined,
    selection: {
      toolsets,
      tools,
      exclude,
      readOnly: flags['read-only'] === true || bool(env, 'MAILOPS_READ_ONLY') === true,
    },
    timeoutMs: int(env, 'MAILOPS_TIMEOUT_MS', 30_000, 100, 600_000),
    maxRetryWaitMs: int(env, 'MAILOPS_MAX_RETRY_WAIT_MS', 10_000, 0, 600_000),
    logLevel,
    http: {
      host,
      port,
      token,
      allowedOrigins: (list(env.MAILOPS_ALLOWED_ORIGINS) ?? []).map(origin),
      maxBodyBytes: int(env, 'MAILOPS_HTTP_MAX_BODY_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
      sessionIdleMs: int(env, 'MAILOPS_HTTP_SESSION_IDLE_MS', 30 * 60_000, 100, 24 * 3600_000),
      maxSessions: int(env, 'MAILOPS_HTTP_MAX_SESSIONS', 1000, 1, 100_000),
      oauth,
    },
  };
}
