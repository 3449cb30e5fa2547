import { redact } from './redact.ts';

/**
 * A failure answered by (or on the way to) a backend. `status` 0 means no HTTP answer. The message is
 * backend text, so it is cleaned here, wherever it was found (an error status or a 2xx body).
 */
export class BackendError extends Error {
  constructor(
    readonly backend: string,
    readonly status: number,
    message: string,
    readonly hint?: string,
  ) {
    super(cleanText(message));
    this.name = 'BackendError';
  }
}

/** Input the backend would reject, caught before anything is sent. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** Data nested deeper than the server handles (a hostile or broken backend answer). */
export class NestingError extends Error {
  override name = 'NestingError';
  constructor(readonly limit: number) {
    super(`the answer is nested deeper than ${limit} levels and was refused`);
  }
}

/** Start-up errors: a URL's userinfo never appears in them, nor any registered secret. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(message: string) {
    super(redact(withoutUserinfo(message)));
  }
}

/** `scheme://user:password@host` → `scheme://[redacted]@host`, also in text that is not a valid URL. */
export function withoutUserinfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/?#"']*@/gi, '$1[redacted]@');
}

const MAX_BACKEND_TEXT = 500;

/**
 * C0 and C1 controls except tab and newline, bidi controls (U+061C, U+200E/F, U+202A–202E, U+2066–2069),
 * zero-width characters (U+200B–200D, U+2060, U+FEFF) and line/paragraph separators (U+2028/2029).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const UNSAFE_ANY = new RegExp(UNSAFE.source);

/** Backend text made safe to show: CRLF becomes LF, unsafe characters go. */
export function scrubText(text: string): string {
  // One look finds most texts clean (UNSAFE covers CR), where two replaces would each scan the text.
  return UNSAFE_ANY.test(text) ? text.replace(/\r\n/g, '\n').replace(UNSAFE, '') : text;
}

/**
 * Redacted, unsafe characters removed, redacted again: a secret split by an invisible character is whole
 * only once that character is gone.
 */
export function safeText(text: string): string {
  const once = scrubText(redact(text));
  // Unchanged by both steps: redacting again would find what the first pass found, nothing.
  return once === text ? text : redact(once);
}

/** Backend text is untrusted: redact it, strip unsafe characters, cut it short (after redaction: no secret survives the cut). */
export function cleanText(text: string): string {
  const flat = safeText(text).trim();
  return flat.length > MAX_BACKEND_TEXT ? `${flat.slice(0, MAX_BACKEND_TEXT)}…` : flat;
}

export function errorText(err: unknown): string {
  if (err instanceof BackendError) {
    // A status only where it says something: mailcow's native API reports failures inside HTTP 200 answers.
    const head = err.status >= 300 ? `${err.backend} ${err.status}` : err.backend;
    return redact(`${head}: ${err.message}${err.hint ? ` ${err.hint}` : ''}`);
  }
  if (err instanceof InputError) return redact(`Invalid input: ${err.field}: ${err.message}`);
  if (err instanceof NestingError) return `Backend answer refused: ${err.message}.`;
  // A stack overflow says nothing to the user; it can only come from data nested too deeply.
  if (err instanceof RangeError && /call stack/i.test(err.message))
    return 'Internal error: data nested too deeply to handle; nothing else is wrong with the call.';
  return redact(`Internal error: ${err instanceof Error ? err.message : String(err)}`);
}
