import type { Tool } from '@modelcontextprotocol/server';

/**
 * The listing of every tool by name. Undefined in the source (computed on first use); the bundle's build
 * computes it from this same source and puts it here (`scripts/build.mjs`).
 */
export const prebuilt: Record<string, Tool> | undefined = undefined;
