import { NestingError, scrubText } from './errors.ts';
import { isSecretName, redact, redactionGeneration } from './redact.ts';

/** Backend answers deeper than this are refused: no record the tools return comes near it. */
export const MAX_DEPTH = 64;

function tooDeep(depth: number): void {
  if (depth > MAX_DEPTH) throw new NestingError(MAX_DEPTH);
}

/** Only credential-named keys are removed: `full: true` answers. */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  tooDeep(depth);
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !isSecretName(k))
        .map(([k, v]) => [k, withoutSecrets(v, depth + 1)]),
    );
  }
  return value;
}

/**
 * Every string of `value` (keys included) redacted and cleaned of control, bidi and invisible
 * characters; credential-named keys dropped. What leaves the process as structured data.
 */
export function scrubbed(value: unknown, depth = 0): unknown {
  tooDeep(depth);
  if (typeof value === 'string') {
    const safe = scrubText(value);
    // Redacted before cleaning only when cleaning changes something (a secret may hold such characters).
    return redact(safe === value ? value : scrubText(redact(value)));
  }
  if (Array.isArray(value)) return value.map((v) => scrubbed(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretName(k)) continue;
      out[cleanName(k)] = scrubbed(v, depth + 1);
    }
    return out;
  }
  return value;
}

/**
 * What a tool result carries, in one walk: every credential-named key dropped and, unless `full`, every null,
 * empty-string and empty-object field (recursively); then every string `scrubbed`. Emptiness is judged before
 * cleaning: a field that cleaning empties stays, empty.
 */
export function shapedOut(value: unknown, full: boolean, depth = 0): unknown {
  tooDeep(depth);
  if (typeof value === 'string') return scrubbed(value);
  if (Array.isArray(value)) return value.map((v) => shapedOut(v, full, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (isSecretName(k)) continue;
      if (!full && (v === null || v === undefined || v === '')) continue;
      const c = shapedOut(v, full, depth + 1);
      if (!full && c && typeof c === 'object' && !Array.isArray(c) && Object.keys(c).length === 0) continue;
      out[cleanName(k)] = c;
    }
    return out;
  }
  return value;
}

/** Field names repeat in every answer: each is cleaned once while what is redacted stays the same. */
const names = new Map<string, string>();
let namesAt = -1;
const NAMES_MAX = 4096;

function cleanName(name: string): string {
  if (namesAt !== redactionGeneration()) {
    names.clear();
    namesAt = redactionGeneration();
  }
  let out = names.get(name);
  if (out === undefined) {
    out = scrubbed(name) as string;
    if (names.size >= NAMES_MAX) names.clear();
    names.set(name, out);
  }
  return out;
}
