import { createHash } from 'node:crypto';

/** `yyyyMMddHHmmss` in UTC, the timestamp format of `X-Api-Signature`. */
export function stamp(at: Date): string {
  return at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Base64(SHA1(userKey + userAgent + timestamp + secretKey)): plain SHA-1, not an HMAC. */
export function signatureHash(userKey: string, userAgent: string, timestamp: string, secretKey: string): string {
  return createHash('sha1')
    .update(userKey + userAgent + timestamp + secretKey, 'utf8')
    .digest('base64');
}

/** The `X-Api-Signature` header value: `userKey:timestamp:hash`. */
export function apiSignature(userKey: string, secretKey: string, userAgent: string, at: Date): string {
  const ts = stamp(at);
  return `${userKey}:${ts}:${signatureHash(userKey, userAgent, ts, secretKey)}`;
}
