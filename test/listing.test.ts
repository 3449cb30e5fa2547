// Issue 14: servers share one tool table instead of registering every tool per server (per 2026-07-28 request,
// per 2025-11-25 session), and the bundle lists tools from a listing its build computed (no schema conversion at
// start). These check that the sharing is real and that the bundle's listing is the source's, to the byte.
import type { McpServer } from '@modelcontextprotocol/server';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildServer, toolTable } from '../src/server.ts';
import { allTools } from '../src/tools/index.ts';
import { referenceListing } from '../src/tools/listing.ts';
import { stdioClient } from './e2e/clients.ts';
import { type Harness, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('servers built over the same deps register no tools and answer tools/list from one shared listing', async () => {
  const deps = { clients: h.clients, selection: { readOnly: false } };
  const list = async (s: McpServer) => {
    type Handler = (r: unknown, c: unknown) => Promise<{ tools: unknown[] }>;
    const handler = (s.server as unknown as { _getRequestHandler(m: string): Handler })._getRequestHandler(
      'tools/list',
    );
    return (await handler({ method: 'tools/list', params: {} }, {})).tools;
  };
  const [a, b] = [buildServer(deps), buildServer(deps)];
  expect((a as unknown as { _registeredTools: object })._registeredTools).toEqual({});
  expect(await list(a)).toBe(await list(b));
  expect(toolTable(deps)).toBe(toolTable(deps));
  // A narrowing is a different view of the same table, kept as well.
  const [r1, r2] = [buildServer(deps, { readOnly: true }), buildServer(deps, { readOnly: true })];
  expect(await list(r1)).toBe(await list(r2));
  expect((await list(r1)).length).toBeLessThan((await list(a)).length);
});

test('the bundle lists every tool exactly as the SDK lists the source definitions', async () => {
  const c = await stdioClient('v2-legacy');
  try {
    const { tools } = await c.listTools();
    const reference = await referenceListing(allTools);
    expect(tools.length).toBe(allTools.length);
    for (const t of tools) expect(t).toEqual(reference[t.name]);
  } finally {
    await c.close();
  }
});
