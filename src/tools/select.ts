import { list, type Selection } from '../config.ts';
import type { AnyTool, Toolset } from './define.ts';

/** Which tools are offered: configured backends, then toolsets, allow-list, deny-list; read-only wins over all. */
export function selectTools(
  all: readonly AnyTool[],
  available: ReadonlySet<string>,
  ...layers: Selection[]
): AnyTool[] {
  return all.filter((t) => available.has(t.toolset) && layers.every((s) => allowed(t, s)));
}

function allowed(t: AnyTool, s: Selection): boolean {
  if (s.readOnly && !t.hints.readOnly) return false;
  if (s.toolsets && !s.toolsets.includes(t.toolset)) return false;
  if (s.tools && !s.tools.includes(t.name)) return false;
  if (s.exclude?.includes(t.name)) return false;
  return true;
}

/** The narrowing an HTTP request asks for with `X-MCP-Toolsets`, `X-MCP-Tools`, `X-MCP-Readonly`. */
export function headerSelection(get: (name: string) => string | null | undefined): Selection {
  const csv = (v: string | null | undefined) => list(v ?? undefined);
  const ro = get('x-mcp-readonly')?.trim().toLowerCase();
  return {
    toolsets: csv(get('x-mcp-toolsets')),
    tools: csv(get('x-mcp-tools')),
    readOnly: ro === 'true' || ro === '1' || ro === 'yes',
  };
}

export type { Toolset };
