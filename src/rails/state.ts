import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type RequestStateCodec } from '@modelcontextprotocol/server';
import type { RailsConfig } from '../config.ts';
import { AuditLog } from './audit.ts';
import { bindingOf, callerOf } from './caller.ts';
import { Tokens } from './token.ts';

/** What a `requestState` carries: the tool, a digest of its arguments, and when the question expires (ms). */
export interface Asked {
  t: string;
  h: string;
  e: number;
}

/** Per-process state of the rails: the key, spent tokens, the `requestState` codec and the audit log. */
export interface Rails {
  cfg: RailsConfig;
  tokens: Tokens;
  states: RequestStateCodec<Asked>;
  audit: AuditLog;
}

// A random key per process when MAILOPS_STATE_KEY is unset: tokens then do not outlive the process.
const processKey = randomBytes(32);
const made = new Map<string, Rails>();

export function railsFor(cfg: RailsConfig): Rails {
  const key = cfg.stateKey ?? processKey;
  const id = `${key.toString('hex')}|${cfg.confirmTtlS}|${cfg.elicitationTimeoutMs}|${cfg.auditLog}|${cfg.confirm}`;
  let r = made.get(id);
  if (!r) {
    r = {
      cfg,
      tokens: new Tokens(key, cfg.confirmTtlS),
      // The codec's own expiry is generous: the gate checks the question's own deadline and says so.
      states: createRequestStateCodec<Asked>({
        key: new Uint8Array(key),
        ttlSeconds: Math.ceil(cfg.elicitationTimeoutMs / 1000) + 3600,
        bind: (ctx) => bindingOf(callerOf(undefined, ctx)),
      }),
      audit: new AuditLog(cfg.auditLog),
    };
    made.set(id, r);
  }
  return r;
}
