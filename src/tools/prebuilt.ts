import type { Tool } from '@modelcontextprotocol/server';
import type { ToolHead } from './heads.ts';

export interface Prebuilt {
  /** Every tool's head, in listing order. */
  heads: ToolHead[];
  /** Every tool's `tools/list` entry by name. */
  listing: Record<string, Tool>;
}

/**
 * Undefined in the source (read off the tables); the bundle's build computes it from this same source and puts
 * it here (`scripts/build.mjs`), so that a start neither builds a schema nor loads a tool table.
 */
export const prebuilt: Prebuilt | undefined = undefined;
