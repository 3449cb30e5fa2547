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

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const MAX_BACKEND_TEXT = 500;

/** Backend text is untrusted: strip control characters, cut it short. */
export function cleanText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
  const flat = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim();
  return flat.length > MAX_BACKEND_TEXT ? `${flat.slice(0, MAX_BACKEND_TEXT)}…` : flat;
}

export function errorText(err: unknown): string {
  if (err instanceof BackendError) {
    // A status only where it says something: mailcow's native API reports failures inside HTTP 200 answers.
    const head = err.status >= 400 ? `${err.backend} ${err.status}` : err.backend;
    return redact(`${head}: ${err.message}${err.hint ? ` ${err.hint}` : ''}`);
  }
  if (err instanceof InputError) return redact(`Invalid input: ${err.field}: ${err.message}`);
  return redact(`Internal error: ${err instanceof Error ? err.message : String(err)}`);
}
