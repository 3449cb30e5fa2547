import * as z from 'zod';
import type { Clients } from '../backends/index.ts';

export type Toolset = keyof Clients;

/** All four MCP annotations, always explicit. */
export interface Hints {
  readOnly: boolean;
  destructive: boolean;
  idempotent: boolean;
  openWorld: boolean;
}

export const READ: Hints = { readOnly: true, destructive: false, idempotent: true, openWorld: false };
export const CREATE: Hints = { readOnly: false, destructive: false, idempotent: false, openWorld: false };
export const UPDATE: Hints = { readOnly: false, destructive: false, idempotent: true, openWorld: false };
export const DELETE: Hints = { readOnly: false, destructive: true, idempotent: true, openWorld: false };

export interface RunContext {
  signal: AbortSignal;
}

export interface ToolDef<S extends Toolset = Toolset, I extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  /** One sentence; a second "Use when…" only where two tools are easily confused. */
  description: string;
  toolset: S;
  input: I;
  output: z.ZodType;
  hints: Hints;
  /**
   * Destructive tools only: the change this call would make, in words with method and path
   * (for the confirmation prompt). `undefined` means this particular call needs no confirmation.
   */
  confirm?: (args: z.output<I>, client: Clients[S]) => string | undefined;
  /** When only some calls need confirmation: which ones, in a few words (listed with `confirm`). */
  confirmWhen?: string;
  /** Updates and deletes of one record: that record, read just before the change (for the audit log). */
  before?: (args: z.output<I>, client: Clients[S], ctx: RunContext) => Promise<unknown>;
  run: (args: z.output<I>, client: Clients[S], ctx: RunContext) => Promise<unknown>;
}

// biome-ignore lint/suspicious/noExplicitAny: the table erases per-row argument types; each row is checked by tool()
export type AnyTool = ToolDef<Toolset, any>;

/** A model-supplied value as previews show it: quoted and escaped, never free text. */
export const q = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** Identity with inference: each table row is type-checked against its own schema and client. */
export function tool<S extends Toolset, I extends z.ZodObject>(def: ToolDef<S, I>): AnyTool {
  return def as unknown as AnyTool;
}

/**
 * Generic outputs: a record, or `{items, ...paging}`. They tell the model nothing, so they are not listed as an
 * `outputSchema` (see `listedOutput`); `structuredContent` is still returned. A row that describes its result's
 * fields with its own schema gets it listed.
 */
export const RecordOut = z.looseObject({});
export const ListOut = z.looseObject({ items: z.array(z.unknown()) });
export const listedOutput = (s: z.ZodType) => (s === RecordOut || s === ListOut ? undefined : s);
