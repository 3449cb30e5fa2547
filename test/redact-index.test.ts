// The index redaction searches is kept up to date as values come and go (a new Rackspace signature with every
// request, the oldest one leaving). Its own file: these tests fill the module's stores.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { addCredentialHeader, addSecret, forms, redact } from '../src/redact.ts';

const MARK = '[redacted]';

/** What redaction must do, the slow way: at each position the longest form found there, left to right. */
function reference(text: string, all: readonly string[]): string {
  const longestFirst = [...new Set(all)].sort((a, b) => b.length - a.length);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const hit = longestFirst.find((f) => text.startsWith(f, i));
    if (hit) {
      out += MARK;
      i += hit.length;
    } else out += text[i++];
  }
  return out;
}

describe('the redaction index', () => {
  test('finds what the slow way finds, overlapping and nested forms included', () => {
    const held: string[] = [];
    // A small alphabet, so that forms overlap, nest and share their first characters.
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '=', '%', 'é', '"'), minLength: 4, maxLength: 9 });
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 3 }),
        fc.string({ unit: fc.constantFrom('a', 'b', 'c', '=', 'x', '"') }),
        (secrets, text) => {
          for (const s of secrets) {
            addSecret(s);
            held.push(...forms(s));
          }
          const sample = `${text}${secrets.join('x')}${text}`;
          expect(redact(sample)).toBe(reference(sample, held));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('a signature leaves after 256 newer ones; a form it shares with a configured secret stays', () => {
    addSecret('Kept-api-key-1');
    addCredentialHeader('Bearer Kept-api-key-1');
    addCredentialHeader('rsuser:20260101120000:R29uZS1zb29uLWhhc2g=');
    expect(redact('R29uZS1zb29uLWhhc2g=')).toBe(MARK);
    for (let i = 0; i < 300; i++) addCredentialHeader(`rsuser:20260101${String(120000 + i)}:sig-${i}-abcdef`);
    expect(redact('R29uZS1zb29uLWhhc2g=')).toBe('R29uZS1zb29uLWhhc2g=');
    expect(redact('sig-10-abcdef sig-299-abcdef')).toBe(`sig-10-abcdef ${MARK}`);
    expect(redact('Bearer Kept-api-key-1')).toBe(`Bearer ${MARK}`);
    expect(redact(encodeURIComponent('Kept-api-key-1'))).toBe(MARK);
  });
});
