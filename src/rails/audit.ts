import { closeSync, constants, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { withoutSecrets } from '../output.ts';
import { redact, SECRET_KEY } from '../redact.ts';
import type { Caller } from './caller.ts';

export type Outcome = 'done' | 'failed' | 'refused';

/** One line of the audit log (catalog §2). */
export interface AuditRecord {
  time: string;
  tool: string;
  backend: string;
  instance?: string;
  caller: Caller;
  arguments: unknown;
  requests: string[];
  outcome: Outcome;
  /** `refused`: unconfirmed, read-only, scope, invalid input, … */
  reason?: string;
  /** `failed`: the error text. */
  error?: string;
  duration_ms: number;
  /** The record as read just before an update or delete of one record. */
  before?: unknown;
}

export class AuditError extends Error {}

const RECENT = 50;

/** Secret-named arguments at any depth become `[redacted]`. */
export function redactArgs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactArgs);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) && v !== undefined ? '[redacted]' : redactArgs(v)]),
    );
  return value;
}

/** `MAILOPS_AUDIT_LOG`: a file (0600, O_APPEND, fsynced per record), `-` for stderr, or `off`. */
export class AuditLog {
  private readonly ring: AuditRecord[] = [];

  constructor(readonly target: string) {}

  get enabled(): boolean {
    return this.target !== 'off';
  }

  /**
   * Opens the log before a write is sent, so that a log that cannot be written refuses the write.
   * The returned function appends one record and flushes it.
   */
  open(): (r: AuditRecord) => void {
    if (!this.enabled) return () => {};
    if (this.target === '-') return (r) => this.remember(r, (l) => process.stderr.write(`${l}\n`));
    let fd: number;
    try {
      mkdirSync(dirname(this.target), { recursive: true, mode: 0o700 });
      fd = openSync(this.target, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    } catch (err) {
      throw new AuditError(
        `The audit log ${this.target} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); nothing was sent. Fix MAILOPS_AUDIT_LOG.`,
      );
    }
    return (r) =>
      this.remember(r, (l) => {
        try {
          writeSync(fd, `${l}\n`);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
      });
  }

  /** The last records, oldest first (the resource `mailops://audit/recent`). */
  recent(): AuditRecord[] {
    if (!this.enabled || this.target === '-') return [...this.ring];
    let text: string;
    try {
      text = readFileSync(this.target, 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter(Boolean)
      .slice(-RECENT)
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as AuditRecord];
        } catch {
          return [];
        }
      });
  }

  private remember(r: AuditRecord, write: (line: string) => void): void {
    const l = line(r);
    write(l);
    this.ring.push(JSON.parse(l) as AuditRecord);
    if (this.ring.length > RECENT) this.ring.shift();
  }
}

function line(r: AuditRecord): string {
  const clean = {
    ...r,
    arguments: redactArgs(r.arguments),
    before: r.before === undefined ? undefined : withoutSecrets(r.before),
  };
  return redact(JSON.stringify(clean));
}
