import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, mcpClient, startHarness, text } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('in-memory client lists and calls tools, and elicitation gates deletes', async () => {
  const declined = await mcpClient(h.clients, { elicit: () => ({ action: 'decline' }) });
  const r = await declined.call('mailcow_delete_alias', { id: 1 });
  expect(r.isError).toBeFalsy();
  expect(text(r)).toContain('Nothing was changed');
  expect(h.sandbox.emulators.mailcow?.seen.filter((s) => s.method === 'DELETE')).toHaveLength(0);
  await declined.close();
  const accepted = await mcpClient(h.clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
  const ok = await accepted.call('mailcow_delete_alias', { id: 1 });
  expect(ok.isError).toBeFalsy();
  expect(h.sandbox.emulators.mailcow?.seen.filter((s) => s.method === 'DELETE').map((s) => s.path)).toEqual([
    '/api/v1/aliases/1',
  ]);
  await accepted.close();
});
