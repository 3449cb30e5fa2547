import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** JSON with object keys in a stable order, `confirm` and undefined values left out: what a token binds. */
export function canonical(args: unknown): string {
  const norm = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(norm);
    if (v && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, norm((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  const { confirm: _c, ...rest } = (args ?? {}) as Record<string, unknown>;
  return JSON.stringify(norm(rest));
}

export type Verdict = 'ok' | 'invalid' | 'expired' | 'spent';

/**
 * Confirmation tokens: base64url of expiry (8 bytes), nonce (8) and HMAC-SHA256 over tool, canonical
 * arguments, caller, expiry and nonce. Single use: spent tokens are remembered until they expire.
 */
export class Tokens {
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    private readonly ttlS: number,
    private readonly now: () => number = Date.now,
  ) {}

  mint(tool: string, args: unknown, caller: string): string {
    const exp = Math.floor(this.now() / 1000) + this.ttlS;
    const head = Buffer.alloc(16);
    head.writeBigUInt64BE(BigInt(exp));
    randomBytes(8).copy(head, 8);
    return Buffer.concat([head, this.mac(head, tool, args, caller)]).toString('base64url');
  }

  check(token: unknown, tool: string, args: unknown, caller: string): Verdict {
    if (typeof token !== 'string' || token.length > 200) return 'invalid';
    const raw = Buffer.from(token, 'base64url');
    if (raw.length !== 48 || raw.toString('base64url') !== token) return 'invalid';
    const head = raw.subarray(0, 16);
    if (!timingSafeEqual(raw.subarray(16), this.mac(head, tool, args, caller))) return 'invalid';
    const exp = Number(head.readBigUInt64BE());
    const now = this.now() / 1000;
    if (exp <= now) return 'expired';
    this.forgetExpired(now);
    if (this.spent.has(token)) return 'spent';
    this.spent.set(token, exp);
    return 'ok';
  }

  /** Marks a one-time value (an answered `requestState`) used; false if it already was. */
  spendOnce(value: string, expS: number): boolean {
    this.forgetExpired(this.now() / 1000);
    if (this.spent.has(value)) return false;
    this.spent.set(value, expS);
    return true;
  }

  private mac(head: Buffer, tool: string, args: unknown, caller: string): Buffer {
    return createHmac('sha256', this.key)
      .update(`mailops.confirm\0${tool}\0${canonical(args)}\0${caller}\0`)
      .update(head)
      .digest();
  }

  private forgetExpired(now: number): void {
    for (const [t, exp] of this.spent) if (exp <= now) this.spent.delete(t);
  }
}
