import { AsyncLocalStorage } from 'node:async_hooks';
import { type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import type { Selection } from '../config.ts';
import type { AnyTool } from '../tools/define.ts';
import { permitted } from '../tools/select.ts';

/**
 * The selection of the HTTP request being served. The transport runs each request inside
 * `requestSelection.run(...)`; handlers reached from it (list, call) see that request's narrowing.
 */
export const requestSelection = new AsyncLocalStorage<Selection>();

type Stored = (request: unknown, ctx: unknown) => Promise<Record<string, unknown>>;
interface Handlers {
  _getRequestHandler(method: string): Stored | undefined;
  setRequestHandler(method: string, handler: Stored): void;
}

/**
 * Narrows a long-lived server (a 2025-11-25 HTTP session, built with the selection it was opened with)
 * per request: `tools/list` leaves out, and `tools/call` refuses as unknown, every tool the current
 * request's selection excludes. It can only take away, so a request never sees more than the session.
 */
export function narrowPerRequest(server: McpServer, tools: readonly AnyTool[]): void {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const hidden = (name: unknown): boolean => {
    const sel = requestSelection.getStore();
    const t = typeof name === 'string' ? byName.get(name) : undefined;
    return sel !== undefined && (!t || !permitted(t, sel));
  };
  // The SDK has no public accessor for its own list/call handlers; they are wrapped, not replaced.
  const inner = server.server as unknown as Handlers;
  const list = inner._getRequestHandler('tools/list');
  const call = inner._getRequestHandler('tools/call');
  if (!list || !call) return;
  inner.setRequestHandler('tools/list', async (request, ctx) => {
    const result = await list(request, ctx);
    const all = result.tools as Array<{ name: string }>;
    return { ...result, tools: all.filter((t) => !hidden(t.name)) };
  });
  inner.setRequestHandler('tools/call', async (request, ctx) => {
    const name = (request as { params?: { name?: unknown } }).params?.name;
    if (hidden(name)) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${String(name)} not found`);
    return call(request, ctx);
  });
}
