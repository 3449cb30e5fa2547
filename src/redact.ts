// The one redaction step: every text that leaves the process passes through redact(). It knows the
// configured credentials, the exact credential header values the backends send, the tokens the server
// receives, and the secret arguments of the call in progress, each in every form a backend may echo.

const MARK = '[redacted]';
const MIN = 4;
/** Header values computed per request (Rackspace signatures) are kept only while they could be echoed. */
const RECENT_MAX = 256;

const configured = new Map<string, string[]>();
/** Credential header values seen on the way out (signatures change with every request). */
const recent = new Map<string, string[]>();
/** The value `recent` took last. */
let newest: string | undefined;
/** Secret arguments of past calls: a backend may store a password and show it in a later answer. */
const remembered = new Map<string, string[]>();
/**
 * Secret arguments of the calls in progress (and their forms), counted per call that holds them: redacted from
 * everything while any of those calls runs, which may hide one call's value in another's answer, never show it.
 */
const inFlight = new Map<string, number>();
let inFlightForms: string[] = [];
/** Counts the changes to what is redacted: what was redacted before a change may not be the same after it. */
let generation = 0;
export const redactionGeneration = () => generation;

const hex = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const json = (v: string) => JSON.stringify(v).slice(1, -1);
/** PHP's json_encode (mailcow): `/` as `\/`, non-ASCII as `\uXXXX`. */
const phpJson = (v: string) =>
  json(v)
    .replace(/\//g, '\\/')
    .replace(/[^\x20-\x7e]/g, hex);
const xml = (v: string, quotes: Record<string, string>) =>
  v.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', ...quotes })[c] ?? c);
const form = (v: string) => new URLSearchParams({ v }).toString().slice(2);
const lowerHex = (v: string) => v.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase());
const base64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');

/** Every form in which `value` may come back: raw, JSON-, XML- and URL/form-encoded, base64. */
export function forms(value: string): string[] {
  const out = new Set<string>([value, json(value), json(json(value)), phpJson(value), phpJson(value).toUpperCase()]);
  out.add(xml(value, {}));
  out.add(xml(value, { '"': '&quot;', "'": '&apos;' }));
  out.add(xml(value, { '"': '&#34;', "'": '&#39;' }));
  out.add(xml(value, { '"': '&#x22;', "'": '&#x27;' }));
  for (const u of [encodeURIComponent(value), form(value), encodeURI(value)]) {
    out.add(u);
    out.add(lowerHex(u));
  }
  const b64 = base64(value);
  out.add(b64);
  out.add(b64.replace(/=+$/, ''));
  out.add(b64.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
  // phpJson's upper-casing is only meant for the hex digits of non-ASCII escapes.
  if (!/[^\x20-\x7e]/.test(value)) out.delete(phpJson(value).toUpperCase());
  return [...out].filter((f) => f.length >= MIN);
}

/** A configured credential, or a token the server received: redacted for the life of the process. */
export function addSecret(value: string | undefined): void {
  if (value && value.length >= MIN && !configured.has(value)) {
    const all = forms(value);
    configured.set(value, all);
    hold(all, 1);
  }
}

/**
 * The exact value of a credential header (Authorization, X-API-Key, X-Api-Signature, Cookie) and its parts:
 * the credential after the scheme, Basic's `user:password` and password, cookie values, the signature hash.
 * Kept among the most recent values only: signatures change with every request.
 */
export function addCredentialHeader(value: string): void {
  // The same header on every request (an API key) is already the most recent one: nothing to move.
  if (value === newest) return;
  newest = value;
  if (recent.has(value)) {
    remember(recent, value, []);
    return;
  }
  const parts = new Set<string>([value]);
  const scheme = /^(\w+)\s+(.+)$/.exec(value);
  if (scheme) {
    const [, name, rest] = scheme as unknown as [string, string, string];
    parts.add(rest);
    const token = /^token="?([^",]*)"?/i.exec(rest)?.[1];
    if (token) parts.add(token);
    if (name.toLowerCase() === 'basic') {
      const plain = Buffer.from(rest, 'base64').toString('utf8');
      parts.add(plain);
      const colon = plain.indexOf(':');
      if (colon >= 0) parts.add(plain.slice(colon + 1));
    }
  }
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq > 0) parts.add(pair.slice(eq + 1).trim());
  }
  // Rackspace `userKey:timestamp:hash`: the hash alone replays the request within its time window.
  const sig = /^[^:\s]+:\d{14}:(\S+)$/.exec(value)?.[1];
  if (sig) parts.add(sig);
  remember(recent, value, [...parts].filter((p) => p.length >= MIN).flatMap(forms));
}

/** Adds to a bounded store, least recently added first out. */
function remember(store: Map<string, string[]>, value: string, all: string[]): void {
  const known = store.get(value);
  store.delete(value);
  store.set(value, known ?? all);
  if (known) return;
  hold(all, 1);
  while (store.size > RECENT_MAX) {
    const oldest = store.keys().next().value as string;
    hold(store.get(oldest) as string[], -1);
    store.delete(oldest);
  }
}

/** Runs `fn` with `values` (a call's passwords) redacted from everything emitted until it settles. */
export function runWithCallSecrets<T>(values: readonly string[], fn: () => Promise<T>): Promise<T> {
  const own = new Set<string>();
  for (const v of values) {
    if (v.length < 3) continue;
    const all = forms(v);
    if (v.length >= MIN) remember(remembered, v, all);
    own.add(v);
    for (const f of all) own.add(f);
  }
  // Most calls carry no password: they run as they are, without a frame of their own.
  return own.size === 0 ? fn() : whileHeld([...own], fn);
}

async function whileHeld<T>(own: readonly string[], fn: () => Promise<T>): Promise<T> {
  count(own, 1);
  try {
    return await fn();
  } finally {
    count(own, -1);
  }
}

function count(values: readonly string[], by: 1 | -1): void {
  for (const v of values) {
    const n = (inFlight.get(v) ?? 0) + by;
    if (n > 0) inFlight.set(v, n);
    else inFlight.delete(v);
  }
  inFlightForms = [...inFlight.keys()].sort((a, b) => b.length - a.length);
  generation++;
}

/** String values of secret-named fields at any depth of a call's arguments. */
export function secretArgs(args: unknown, depth = 0): string[] {
  if (depth > 32 || !args || typeof args !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (typeof v === 'string' && isSecretName(k)) out.push(v);
    else if (v && typeof v === 'object') out.push(...secretArgs(v, depth + 1));
  }
  return out;
}

/**
 * The forms of every stored value, kept up to date as values come and go (a Rackspace signature arrives with
 * every request and another leaves: rebuilding from all stores each time cost a millisecond a request).
 * `held` counts the stored values that carry each form; `index` holds the forms by their first MIN characters,
 * longest first; `firsts` and `pairs` count those grams by first character and by ASCII pair, so that most
 * positions of a text are passed over on one look-up.
 */
const held = new Map<string, number>();
const index = new Map<string, string[]>();
const firsts = new Uint32Array(0x10000);
const pairs = new Uint32Array(128 * 128);

function hold(list: readonly string[], by: 1 | -1): void {
  for (const f of list) {
    const n = (held.get(f) ?? 0) + by;
    if (n > 0) held.set(f, n);
    else held.delete(f);
    if (by === 1 && n === 1) indexed(f, 1);
    else if (n === 0) indexed(f, -1);
  }
  generation++;
}

/** Puts `form` into the index (1) or takes it out (-1); a gram that gains its first form or loses its last is counted. */
function indexed(form: string, by: 1 | -1): void {
  const gram = form.slice(0, MIN);
  const list = index.get(gram) ?? [];
  if (by === 1) {
    const at = list.findIndex((f) => f.length < form.length);
    list.splice(at === -1 ? list.length : at, 0, form);
    if (list.length > 1) return;
    index.set(gram, list);
  } else {
    const at = list.indexOf(form);
    if (at === -1) return;
    list.splice(at, 1);
    if (list.length > 0) return;
    index.delete(gram);
  }
  const [a, b] = [gram.charCodeAt(0), gram.charCodeAt(1)];
  firsts[a] = (firsts[a] as number) + by;
  if (a < 128 && b < 128) pairs[(a << 7) | b] = (pairs[(a << 7) | b] as number) + by;
}

function scan(text: string): string {
  if (index.size === 0) return text;
  let out = '';
  let from = 0;
  const last = text.length - MIN;
  let b = text.charCodeAt(0);
  for (let i = 0; i <= last; i++) {
    const a = b;
    b = text.charCodeAt(i + 1);
    if ((a | b) < 128 ? pairs[(a << 7) | b] === 0 : firsts[a] === 0) continue;
    if (i < from) continue;
    const hit = index.get(text.slice(i, i + MIN))?.find((f) => text.startsWith(f, i));
    if (hit) {
      out += text.slice(from, i) + MARK;
      from = i + hit.length;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

export function redact(text: string): string {
  if (text.length < MIN) return text;
  let out = text;
  for (const f of inFlightForms) if (out.includes(f)) out = out.split(f).join(MARK);
  return scan(out);
}

/** Metadata about a credential (`password_update`, `token_type`), not the credential itself. */
const META = new Set([
  'update',
  'updated',
  'change',
  'changed',
  'expires',
  'expiry',
  'expired',
  'expiration',
  'policy',
  'length',
  'age',
  'required',
  'count',
  'type',
  'at',
  'date',
  'time',
  'strength',
  'enabled',
  'set',
  'id',
  'lifetime',
  'ids',
]);
/** Spellings that name a credential wherever they appear in a name (separators ignored). */
const STRONG =
  /password|passwd|passwort|passphrase|apikey|apisignature|privatekey|privkey|clientsecret|secretkey|userkey|accesstoken|refreshtoken|authtoken|idtoken|sessiontoken|bearertoken|csrftoken|cookie|credential/;
/** Whole words that name a credential (`pass`, but not `passive`; `token`, but not `tokens_count`). */
const WORDS = new Set([
  'authorization',
  'pass',
  'pwd',
  'secret',
  'secrets',
  'token',
  'auth',
  'signature',
  'key',
  'sid',
]);
const QUALIFIED = new Set(['auth', 'signature', 'key', 'sid']);

/**
 * Whether a field name denotes a credential, case-insensitively and whatever the separators: `password`,
 * `passwd`, `pass`, `pwd`, `secret`, `client_secret`, `api-key`, `x_api_key`, `access_token`, `private_key`,
 * `Authorization`, `cookie`… Names about a credential (`password_update`, `token_type`) and lookalikes
 * (`passive`, `tokens_count`, `signature_id`, `keywords`) are kept.
 */
export function isSecretName(name: string): boolean {
  let known = named.get(name);
  if (known === undefined) {
    if (named.size >= NAMED_MAX) named.clear();
    known = secretName(name);
    named.set(name, known);
  }
  return known;
}

/** Field names repeat in every answer: each is judged once (up to this many kept). */
const NAMED_MAX = 4096;
const named = new Map<string, boolean>();

function secretName(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .map((w) => w.replace(/\d+$/, ''))
    .filter(Boolean);
  if (words.length === 0) return false;
  if (META.has(words[words.length - 1] as string) && words.length > 1) return false;
  if (STRONG.test(words.join(''))) return true;
  return words.some((w, i) => WORDS.has(w) && (!QUALIFIED.has(w) || qualifies(words, i)));
}

/** `key`, `auth`, `signature`, `sid` alone are ordinary words; after api/private/secret/x… they are credentials. */
function qualifies(words: string[], i: number): boolean {
  const before = words[i - 1];
  return (
    before !== undefined &&
    ['api', 'x', 'private', 'secret', 'access', 'session', 'signing', 'basic', 'http', 'proxy'].includes(before)
  );
}

/** Kept for callers that test names with a regular-expression-like `.test`. */
export const SECRET_KEY = { test: isSecretName };
