import type { AnyTool } from './define.ts';
import { mailcowTools } from './mailcow/index.ts';

/** Every tool of every backend, in listing order. */
export const allTools: readonly AnyTool[] = [...mailcowTools];
