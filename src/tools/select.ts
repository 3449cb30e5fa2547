import { list, type Selection, TOOLSETS } from '../config.ts';
import type { Toolset } from './define.ts';
import { type ToolHead, toolNames } from './heads.ts';

/** Which tools are offered: configured backends, then toolsets, allow-list, deny-list; read-only wins over all. */
export function selectTools<T extends ToolHead>(
  all: readonly T[],
  available: ReadonlySet<string>,
  ...layers: Selection[]
): T[] {
  return all.filter((t) => available.has(t.toolset) && layers.every((s) => allowed(t, s)));
}

function allowed(t: ToolHead, s: Selection): boolean {
  if (s.readOnly && !t.hints.readOnly) return false;
  if (s.toolsets && !s.toolsets.includes(t.toolset)) return false;
  if (s.tools && !s.tools.includes(t.name)) return false;
  if (s.exclude?.includes(t.name)) return false;
  return true;
}

/** A selection header that cannot be honoured: the request is refused (HTTP 400), never widened. */
export class SelectionError extends Error {}

type HeaderValue = string | readonly string[] | null | undefined;
const READONLY: Record<string, boolean> = { true: true, '1': true, false: false, '0': false };

/** Each header line's value on its own (an appending proxy repeats a header; Node keeps them in `headersDistinct`). */
const lines = (v: HeaderValue): readonly string[] | undefined =>
  v == null ? undefined : typeof v === 'string' ? [v] : v;

/** The names in every line (lines and comma-joined parts intersect), or undefined when the header is absent. */
function intersect(header: string, v: HeaderValue, known: readonly string[]): string[] | undefined {
  const all = lines(v);
  if (!all) return undefined;
  let out: string[] | undefined;
  for (const line of all) {
    const names = list(line) ?? [];
    const unknown = names.filter((n) => !known.includes(n));
    if (unknown.length > 0) {
      throw new SelectionError(
        `${header} names unknown ${unknown.map((n) => JSON.stringify(n)).join(', ')}; valid: ${known.join(', ')}`,
      );
    }
    out = out ? out.filter((n) => names.includes(n)) : [...new Set(names)];
  }
  return out;
}

/**
 * The narrowing an HTTP request asks for with `X-MCP-Toolsets`, `X-MCP-Tools`, `X-MCP-Readonly`. Fails
 * closed: a value it cannot read throws {@link SelectionError}; repeated or comma-joined values intersect,
 * and read-only holds if any of them says so.
 */
export function headerSelection(get: (name: string) => HeaderValue): Selection {
  let readOnly = false;
  for (const line of lines(get('x-mcp-readonly')) ?? []) {
    for (const part of line.split(',')) {
      const v = READONLY[part.trim().toLowerCase()];
      if (v === undefined) {
        throw new SelectionError(`X-MCP-Readonly must be true, false, 1 or 0 (any case), got ${JSON.stringify(line)}`);
      }
      readOnly ||= v;
    }
  }
  return {
    toolsets: intersect('X-MCP-Toolsets', get('x-mcp-toolsets'), TOOLSETS),
    tools: intersect('X-MCP-Tools', get('x-mcp-tools'), toolNames),
    readOnly,
  };
}

/** One selection that lets through exactly what every layer lets through. */
export function narrowest(...layers: Selection[]): Selection {
  const meet = (a?: string[], b?: string[]) => (a && b ? a.filter((x) => b.includes(x)) : (a ?? b));
  return layers.reduce((acc, s) => ({
    readOnly: acc.readOnly || s.readOnly,
    toolsets: meet(acc.toolsets, s.toolsets),
    tools: meet(acc.tools, s.tools),
    exclude: acc.exclude || s.exclude ? [...(acc.exclude ?? []), ...(s.exclude ?? [])] : undefined,
  }));
}

/** Whether every layer of selection lets `t` through (for narrowing an already built server per request). */
export const permitted = (t: ToolHead, ...layers: Selection[]): boolean => layers.every((s) => allowed(t, s));

export type { Toolset };
