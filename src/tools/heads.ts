import type { Hints, Toolset } from './define.ts';
import { prebuilt } from './prebuilt.ts';

/** What selection, scopes, instance policies and prompts need of a tool: no schema, no code. */
export interface ToolHead {
  name: string;
  title: string;
  toolset: Toolset;
  hints: Hints;
}

export const headOf = ({ name, title, toolset, hints }: ToolHead): ToolHead => ({ name, title, toolset, hints });

/** Every tool's head in listing order: from the bundle's build, or read off the tables (running from source). */
export const heads: readonly ToolHead[] = prebuilt?.heads ?? (await import('./index.ts')).allTools.map(headOf);

export const toolNames: readonly string[] = heads.map((h) => h.name);
