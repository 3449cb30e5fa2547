import { describe, expect, test } from 'vitest';
import { apiSignature, signatureHash, stamp } from '../../src/backends/rackspace/sign.ts';
import { signatureValid } from '../../src/sandbox/rackspace/rest.ts';

// Published test vector (wire notes §2): the two timestamp/hash pairings that belong together.
const KEY = 'eGbq9/2hcZsRlr1JV1Pi';
const UA = 'Rackspace Management Interface';
const SECRET = 'QHOvchm/40czXhJ1OxfxK7jDHr3t';
const VECTORS = [
  ['20010308143725', '46VIwd66mOFGG8IkbgnLlXnfnkU='],
  ['20010317143725', 'HKUn0aajpSDx7qqGK3vqzn3FglI='],
] as const;
const at = (ts: string) =>
  new Date(
    Date.UTC(
      +ts.slice(0, 4),
      +ts.slice(4, 6) - 1,
      +ts.slice(6, 8),
      +ts.slice(8, 10),
      +ts.slice(10, 12),
      +ts.slice(12, 14),
    ),
  );

describe('X-Api-Signature', () => {
  test.each(VECTORS)('vector %s hashes to %s', (ts, hash) => {
    expect(signatureHash(KEY, UA, ts, SECRET)).toBe(hash);
    expect(apiSignature(KEY, SECRET, UA, at(ts))).toBe(`${KEY}:${ts}:${hash}`);
  });

  test('the timestamp is yyyyMMddHHmmss in UTC, 24-hour and zero-padded', () => {
    expect(stamp(new Date(Date.UTC(2001, 2, 8, 14, 37, 25)))).toBe('20010308143725');
    expect(stamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)))).toBe('20240102030405');
    expect(stamp(new Date('2024-06-30T23:59:59-02:00'))).toBe('20240701015959');
  });

  test('the emulator accepts the vectors and refuses any change to key, secret, agent or clock', () => {
    for (const [ts, hash] of VECTORS) {
      const now = at(ts).getTime();
      const headers = { 'user-agent': UA, 'x-api-signature': `${KEY}:${ts}:${hash}` };
      expect(signatureValid(headers, KEY, SECRET, now, 60_000)).toBe(true);
      // Ruby's Base64.encode64 appends a newline.
      expect(
        signatureValid({ ...headers, 'x-api-signature': `${KEY}:${ts}:${hash}\n` }, KEY, SECRET, now, 60_000),
      ).toBe(true);
      expect(signatureValid(headers, 'other-key', SECRET, now, 60_000)).toBe(false);
      expect(signatureValid(headers, KEY, 'other-secret', now, 60_000)).toBe(false);
      expect(signatureValid({ ...headers, 'user-agent': `${UA} ` }, KEY, SECRET, now, 60_000)).toBe(false);
      expect(signatureValid({ 'x-api-signature': headers['x-api-signature'] }, KEY, SECRET, now, 60_000)).toBe(false);
      expect(signatureValid(headers, KEY, SECRET, now + 61_000, 60_000)).toBe(false);
    }
    // The documentation's mismatched pairing must not verify.
    expect(
      signatureValid(
        { 'user-agent': UA, 'x-api-signature': `${KEY}:20010317143725:46VIwd66mOFGG8IkbgnLlXnfnkU=` },
        KEY,
        SECRET,
        at('20010317143725').getTime(),
        60_000,
      ),
    ).toBe(false);
  });
});
