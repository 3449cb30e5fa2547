/** Deepest nesting of arrays and objects accepted in a request; tool arguments need far fewer levels. */
export const MAX_DEPTH = 64;

/**
 * Whether a JSON text nests arrays/objects deeper than `max`, by one flat pass over the characters (no
 * recursion, so a 300,000-deep text is rejected without touching the stack). Brackets inside strings do
 * not count.
 */
export function tooDeep(text: string, max = MAX_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
