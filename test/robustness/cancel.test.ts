// Bar 6: a client that cancels a slow call aborts the backend request, and the server serves the next call.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, mcpClient, startHarness } from '../harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ timeoutMs: 30_000, maxRetryWaitMs: 0 }, { unlimited: true });
});
afterAll(() => h.close());

const SLOW: Array<[string, string, Record<string, unknown>]> = [
  ['mailcow', 'mailcow_list_domains', {}],
  ['rackspace', 'rackspace_list_exchange_mailboxes', { domain: 'example.com' }],
  ['zammad', 'zammad_list_ticket_states', {}],
  ['zimbra', 'zimbra_search_contacts', { query: 'Lovelace' }],
];

test.each(SLOW)('%s: cancelling %s aborts the backend request', async (backend, tool, args) => {
  const c = await mcpClient(h.clients);
  await c.call(tool, args); // warm: logs in (Zimbra) and opens the connection
  const emu = h.sandbox.emulators[backend]!;
  emu.clearLog();
  emu.inject({ kind: 'delay', ms: 10_000 });
  const controller = new AbortController();
  const started = Date.now();
  const pending = c.client.callTool({ name: tool, arguments: args }, { signal: controller.signal });
  setTimeout(() => controller.abort('user pressed stop'), 300);
  await expect(pending).rejects.toThrow();
  await expect.poll(() => emu.aborted, { timeout: 2000, interval: 50 }).toBe(1);
  expect(Date.now() - started).toBeLessThan(3000);
  const next = await c.call(tool, args);
  expect(next.isError).toBeFalsy();
  await c.close();
});
