import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RackspaceEmulator } from '../../src/sandbox/rackspace/rest.ts';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';

// Issue 13 item 2: on a large backend, every list tool's default answer stays under 8,000 o200k tokens.
const D = 'example.com';
let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  h = await startHarness();
  const emu = h.sandbox.emulators.rackspace as RackspaceEmulator;
  emu.limits = { get: 10_000, write: 10_000, windowMs: 60_000 };
  for (let i = 0; i < 1000; i++) {
    const name = `employee.number${String(i).padStart(4, '0')}`;
    emu.state.addMailbox(D, name, { displayName: `Employee Number ${i}`, password: 'Secret123!@#', size: 2048 });
    emu.state.addService(D, name, 'blackberry');
    emu.state.addService(D, name, 'activesync');
  }
  const alex = emu.state.mailboxOf(D, 'alex.smith');
  for (let i = 0; i < 3000; i++) alex.lists.safelist.push(`sender${i}@partner${i % 97}.example.com`);
  mcp = await mcpClient(h.clients);
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});

test.each([
  ['rackspace_list_exchange_mailboxes', { domain: D }, 1002],
  ['rackspace_list_blackberry_mailboxes', { domain: D }, 1000],
  ['rackspace_list_activesync_mailboxes', { domain: D }, 1001],
  ['rackspace_list_spam_list', { domain: D, mailbox: 'alex.smith', list: 'safelist' }, 3001],
])('%s: a default page stays under 8,000 tokens and says how many there are', async (name, args, total) => {
  const r = await mcp.call(name, args);
  expect(r.isError).toBeFalsy();
  expect(r.structuredContent).toMatchObject({ offset: 0, total });
  const tokens = countTokens(text(r));
  console.log(`${name}: ${tokens} tokens for ${((r.structuredContent?.items ?? []) as unknown[]).length} of ${total}`);
  expect(tokens).toBeLessThan(8000);
});
