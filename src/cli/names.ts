import { ConfigError } from '../errors.ts';

/** Levenshtein distance, for "did you mean" hints. */
export function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    prev = row;
  }
  return prev[b.length] as number;
}

export function closest(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const v of valid) {
    const d = distance(name.toLowerCase(), v);
    if (d < bestD) [best, bestD] = [v, d];
  }
  return best;
}

/** Stops start-up on the first name that is not one of `valid`, naming the source, the closest match and all valid names. */
export function checkNames(
  source: string,
  names: readonly string[] | undefined,
  valid: readonly string[],
  what: string,
): void {
  for (const n of names ?? []) {
    if (valid.includes(n)) continue;
    const near = closest(n, valid);
    throw new ConfigError(
      `${source} names an unknown ${what} ${JSON.stringify(n)}${near ? `; did you mean ${JSON.stringify(near)}?` : ''}\nValid ${what}s: ${valid.join(', ')}`,
    );
  }
}
