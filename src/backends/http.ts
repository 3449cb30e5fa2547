import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { BackendError, cleanText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { MAX_DEPTH } from '../output.ts';
import { addCredentialHeader, isSecretName } from '../redact.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

/** One backend request, fully described before it is sent (previews show method and path). */
export interface Req {
  method: Method;
  /** Already encoded, relative to the base URL (starts with `/`). */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  form?: Record<string, string>;
  body?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Res {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export interface HttpOptions {
  backend: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetryWaitMs: number;
  /** Computed on every attempt: signed headers (Rackspace) must be fresh on a retry. */
  headers: (req: Req) => Record<string, string>;
  /** The wait a throttled answer implies, in ms; `undefined` if the answer is not throttling. */
  throttled: (res: Res) => number | undefined;
  /** The backend's own words for a failed answer. */
  message: (res: Res) => string;
  /** Builds the error for a failed answer; default: a BackendError with the failure's message and hint. */
  failure?: (res: Res, f: Failure) => BackendError;
  maxBodyBytes?: number;
}

/** What the core made of a failed answer, for `HttpOptions.failure`. */
export interface Failure {
  req: Req;
  /** `message(res)` without the secrets the request carried, through `cleanText` (backend text is untrusted). */
  message: string;
  /** The generic status hint, or the wait when `throttled`: the error must keep that one (it may append to it). */
  hint?: string;
  /** A throttled answer that is not retried. */
  throttled: boolean;
}

const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'DELETE']);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const MAX_ATTEMPTS = 4;
const TIMEOUTS = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);
/** A body still arriving at its deadline (`exchange`): the timeout undici's own timers do not see. */
class Deadline extends Error {}

export function queryString(query: Req['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.append(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** Percent-encodes one path segment; `@` stays literal as RFC 3986 allows. Dot segments are refused. */
export function segment(value: string | number): string {
  const s = String(value);
  if (s === '' || s === '.' || s === '..') throw new Error(`invalid path segment ${JSON.stringify(s)}`);
  const e = encodeURIComponent(s);
  return e.includes('%40') ? e.replaceAll('%40', '@') : e;
}

export function describe(req: Req): string {
  return `${req.method} ${req.path}${queryString(req.query)}`;
}

/** The requests each tool call sent, found by the call's signal, for its audit record. */
const sent = new WeakMap<AbortSignal, string[]>();

/**
 * The requests sent with `signal` (one tool call's run) are collected into `into` from now on. The entry goes
 * with the signal: each call has its own, which nothing sends with once the call has settled.
 */
export function recordRequests(signal: AbortSignal, into: string[]): void {
  sent.set(signal, into);
}

// undici is half of the bundle and no request is needed to list tools: load it on the first request.
let undici: Promise<Undici> | undefined;
type Undici = typeof import('undici');
const loadUndici = () => {
  // Bundled, the CommonJS module arrives as the `default` of the namespace.
  undici ??= import('undici').then((m) => ('Agent' in m ? m : (m as unknown as { default: Undici }).default));
  return undici;
};

export class HttpClient {
  private agent?: Promise<Dispatcher>;
  /** The loaded dispatcher, once there is one: later requests take it without awaiting anything. */
  private wire?: Dispatcher;
  private readonly base: string;

  constructor(private readonly opts: HttpOptions) {
    this.base = opts.baseUrl.replace(/\/+$/, '');
  }

  private loadWire(): Promise<Dispatcher> {
    this.agent ??= loadUndici().then(({ Agent }) => {
      // No cap on connections: each is held by a tool call in flight, which an inbound request holds. A cap
      // below those (16 had been) only queues the calls here, at a cost in CPU and latency, not the backend's.
      this.wire = new Agent({ keepAliveTimeout: 10_000 });
      return this.wire;
    });
    return this.agent;
  }

  get backend(): string {
    return this.opts.backend;
  }

  /** Sends `req`; resolves with a 2xx answer or throws a BackendError. */
  async send(req: Req, signal?: AbortSignal): Promise<Res> {
    if (signal) sent.get(signal)?.push(describe(req));
    let waited = 0;
    for (let attempt = 1; ; attempt++) {
      const res = await this.once(req, signal);
      if (res.status >= 200 && res.status < 300) return res;
      if (REDIRECT.has(res.status)) throw this.redirected(res, req);
      const wait = this.opts.throttled(res);
      if (wait === undefined) throw this.failure(res, req);
      const retryable = IDEMPOTENT.has(req.method) && attempt < MAX_ATTEMPTS;
      if (!retryable || waited + wait > this.opts.maxRetryWaitMs) {
        throw this.failure(res, req, `Rate limited: retry after ${Math.max(1, Math.ceil(wait / 1000))} s.`);
      }
      log.info('backend throttled, retrying', {
        backend: this.backend,
        method: req.method,
        path: req.path,
        waitMs: wait,
      });
      waited += wait;
      await sleep(wait, undefined, { signal }).catch(() => {
        throw new BackendError(this.backend, 0, 'request cancelled');
      });
    }
  }

  /** Parses a 2xx JSON answer; an empty body is `undefined`. */
  async json<T = unknown>(req: Req, signal?: AbortSignal): Promise<T> {
    const res = await this.send(req, signal);
    return parseJson(this.backend, res) as T;
  }

  async close(): Promise<void> {
    if (this.agent) await (await this.agent).close();
  }

  /** The backend's words; an answer too odd to read (nested 100,000 deep) is described, not thrown. */
  private messageOf(res: Res): string {
    try {
      return this.opts.message(res);
    } catch {
      return `HTTP ${res.status} with an answer that could not be read`;
    }
  }

  /** Never followed (credentials would go along): the user learns where to, without query or userinfo. */
  private redirected(res: Res, req: Req): BackendError {
    let where = 'another address (no Location given)';
    const location = res.headers.location;
    if (location) {
      try {
        const u = new URL(location, `${this.base}${req.path}`);
        where = `${u.protocol}//${u.host}${u.pathname}`;
      } catch {
        where = 'an unreadable Location';
      }
    }
    const name = this.backend.toUpperCase();
    return new BackendError(this.backend, res.status, `redirected to ${where}; check ${name}_URL`);
  }

  private failure(res: Res, req: Req, wait?: string): BackendError {
    const f: Failure = {
      req,
      message: cleanText(withoutSentSecrets(this.messageOf(res), req)) || 'no message',
      hint: wait ?? statusHint(res.status),
      throttled: wait !== undefined,
    };
    return this.opts.failure?.(res, f) ?? new BackendError(this.backend, res.status, f.message, f.hint);
  }

  private async once(req: Req, signal?: AbortSignal): Promise<Res> {
    // The timeout is undici's own (headers within timeoutMs, no pause in the body longer than that, the whole
    // body within twice that) and the caller's signal aborts the request itself (`exchange`): a controller and a
    // timer of our own per request cost 4% of a tool call's instructions (cachegrind).
    if (signal?.aborted) throw new BackendError(this.backend, 0, 'request cancelled');
    const headers: Record<string, string> = { ...req.headers, ...this.opts.headers(req) };
    sendable(headers);
    let body: string | undefined = req.body;
    if (req.json !== undefined) {
      body = JSON.stringify(req.json);
      headers['content-type'] = 'application/json';
    } else if (req.form) {
      body = new URLSearchParams(req.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (req.contentType) headers['content-type'] = req.contentType;
    const started = Date.now();
    try {
      // Parsed as undici's own request() parses it, so the origin and path on the wire are the same.
      const url = new URL(`${this.base}${req.path}${queryString(req.query)}`);
      const dispatcher = this.wire ?? (await this.loadWire());
      const timeout = this.opts.timeoutMs;
      const opts: Dispatcher.DispatchOptions = {
        origin: url.origin,
        path: url.search ? `${url.pathname}${url.search}` : url.pathname,
        method: req.method,
        headers,
        body,
        headersTimeout: timeout,
        bodyTimeout: timeout,
      };
      const limits = { max: this.opts.maxBodyBytes ?? 10 * 1024 * 1024, until: started + 2 * timeout };
      const res = await exchange(dispatcher, opts, limits, this.backend, signal);
      log.debug('backend request', {
        backend: this.backend,
        method: req.method,
        path: req.path,
        status: res.status,
        ms: Date.now() - started,
      });
      return res;
    } catch (err) {
      if (err instanceof BackendError) throw err;
      if (signal?.aborted) throw new BackendError(this.backend, 0, 'request cancelled');
      const code = (err as { code?: string }).code ?? (err as Error).name;
      if (err instanceof Deadline || TIMEOUTS.has(code)) {
        throw new BackendError(
          this.backend,
          0,
          `no answer within ${this.opts.timeoutMs} ms`,
          'Retry later, or raise MAILOPS_TIMEOUT_MS.',
        );
      }
      throw new BackendError(this.backend, 0, `cannot reach ${this.base} (${code})`, unreachableHint(this.backend));
    }
  }
}

/**
 * Refuses header values that cannot go out as they are (line breaks would split the header, characters
 * beyond Latin-1 are not representable) and registers every credential header value for redaction.
 */
function sendable(headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what cannot be sent
    if (/[\u0000-\u0008\u000a-\u001f\u007f]|[^\u0000-\u00ff]/.test(value)) {
      throw new InputError(
        `${name} header`,
        'contains line breaks, control characters or characters beyond Latin-1, which cannot be sent in an HTTP header; nothing was sent',
      );
    }
    if (isSecretName(name)) addCredentialHeader(value);
  }
}

/** Values of credential-named fields the request sent (a password echoed in an error must not come back). */
function sentSecrets(req: Req): string[] {
  const found: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (isSecretName(k) && typeof x === 'string' && x.length >= 3) found.push(x);
        else walk(x);
      }
    }
  };
  walk(req.form);
  walk(req.json);
  return found;
}

/** Scrubbed before the text is cut, so that no part of a secret survives at the cut. */
function withoutSentSecrets(text: string, req: Req): string {
  return sentSecrets(req).reduce((t, s) => t.split(s).join('[redacted]'), text);
}

function unreachableHint(backend: string): string {
  return `Check ${backend.toUpperCase()}_URL and that the server is up.`;
}

function statusHint(status: number): string | undefined {
  if (status === 401) return 'Check the configured credentials.';
  if (status >= 500) return 'The backend failed; retry later.';
  return undefined;
}

/**
 * One request, its answer read whole through undici's handler API: a response stream, an async resource and
 * the events to read them cost two fifths of a small request's CPU (an in-process bench, 71 against 43 us).
 * A body over `max` bytes (declared or arriving), or still arriving at `until` (a trickle that never pauses long
 * enough to time out), is refused; `signal` aborts the request wherever it is.
 */
function exchange(
  dispatcher: Dispatcher,
  opts: Dispatcher.DispatchOptions,
  limits: { max: number; until: number },
  backend: string,
  signal?: AbortSignal,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status = 0;
    let headers: Record<string, string> = {};
    let chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onabort = () => controller?.abort(signal?.reason);
    const settle = (err: unknown, res?: Res) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onabort);
      if (res) resolve(res);
      else reject(err);
    };
    const tooLarge = () => new BackendError(backend, 0, `response larger than ${limits.max} bytes was refused`);
    const refuse = (c: Dispatcher.DispatchController, err: Error) => {
      settle(err);
      c.abort(err);
    };
    signal?.addEventListener('abort', onabort, { once: true });
    dispatcher.dispatch(opts, {
      onRequestStart(c) {
        controller = c;
        // Started again when a pipelined request ahead of it failed: nothing of an earlier try is kept.
        chunks = [];
        size = 0;
        if (signal?.aborted) c.abort(signal.reason);
      },
      onResponseStart(c, code, h) {
        status = code;
        headers = flatHeaders(h);
        // A length declared over the cap is refused before any of the body is read.
        if (code >= 200 && Number(headers['content-length']) > limits.max) refuse(c, tooLarge());
      },
      onResponseData(c, chunk) {
        if (settled) return;
        size += chunk.length;
        if (size <= limits.max && Date.now() <= limits.until) return void chunks.push(chunk);
        refuse(c, size > limits.max ? tooLarge() : new Deadline('body still arriving at the deadline'));
      },
      onResponseEnd() {
        settle(undefined, { status, headers, text: Buffer.concat(chunks).toString('utf8') });
      },
      onResponseError(_c, err) {
        settle(err);
      },
    });
  });
}

/** undici names response headers in lower case already; repeated ones arrive as arrays. */
function flatHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in h) {
    const v = h[k];
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export function parseJson(backend: string, res: Res): unknown {
  if (res.text.trim() === '') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    const kind = /^\s*</.test(res.text) ? 'an HTML or XML page' : 'malformed JSON';
    throw new BackendError(backend, res.status, `answered with ${kind} where JSON was expected`, 'Check the base URL.');
  }
  if (depthOver(body, MAX_DEPTH)) {
    throw new BackendError(backend, res.status, `answered with JSON nested deeper than ${MAX_DEPTH} levels; refused`);
  }
  return body;
}

/** Whether `value` nests deeper than `max`, measured without recursion (the answer may be 100,000 deep). */
export function depthOver(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop() as [unknown, number];
    if (!v || typeof v !== 'object') continue;
    if (d >= max) return true;
    for (const x of Object.values(v)) if (x && typeof x === 'object') stack.push([x, d + 1]);
  }
  return false;
}

/** Wait implied by `Retry-After` (seconds or date) or `X-RateLimit-Reset` (Unix time or seconds), in ms. */
export function impliedWait(headers: Record<string, string>, now = Date.now()): number | undefined {
  const retryAfter = headers['retry-after'];
  if (retryAfter) {
    const secs = Number(retryAfter);
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const reset = Number(headers['x-ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) {
    return reset > 1e9 ? Math.max(0, reset * 1000 - now) : reset * 1000;
  }
  return undefined;
}
