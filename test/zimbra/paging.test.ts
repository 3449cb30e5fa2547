import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';
import { zimbra } from './helpers.ts';

// Issue 13 item 2: on a large mailbox, every Zimbra list tool's default answer stays under 8,000 o200k tokens.
let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  h = await startHarness();
  const mb = zimbra(h).mailbox;
  if (!mb) throw new Error('no sandbox mailbox');
  const folders = Array.from({ length: 60 }, (_, i) => mb.addFolder(`Customers ${i}`, 7, 'contact'));
  for (let i = 0; i < 2000; i++) {
    const a = (n: string, value: string) => ({ n, value });
    mb.create({
      l: String(i % 2 ? 7 : folders[i % folders.length]?.id),
      members: [],
      attrs: [
        a('firstName', `Firstname${i}`),
        a('lastName', `Lastname${i}`),
        a('email', `first.last${i}@customer${i % 113}.example.com`),
        a('email2', `f.l${i}@home${i % 37}.example.org`),
        a('company', `Customer Company ${i % 113} Ltd`),
        a('jobTitle', 'Head of Procurement'),
        a('workPhone', `+44 20 7946 ${String(i).padStart(4, '0')}`),
        a('mobilePhone', `+44 7700 900${String(i).padStart(3, '0')}`),
        a('workStreet', `${i} Long Industrial Road`),
        a('workCity', 'Manchester'),
        a('notes', 'Met at the 2025 trade fair; prefers email, call only in the morning.'),
      ],
    });
  }
  mcp = await mcpClient(h.clients);
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});

test.each([
  ['zimbra_search_contacts', { query: 'in:contacts' }],
  ['zimbra_get_contacts', {}],
  ['zimbra_get_contacts', { folder_id: 7 }],
  ['zimbra_list_contact_folders', {}],
])('%s %j: the default answer stays under 8,000 tokens', async (name, args) => {
  const r = await mcp.call(name, args);
  expect(r.isError).toBeFalsy();
  const items = r.structuredContent?.items as unknown[];
  const tokens = countTokens(text(r));
  console.log(`${name} ${JSON.stringify(args)}: ${tokens} tokens for ${items.length} items`);
  expect(items.length).toBeGreaterThan(9);
  expect(tokens).toBeLessThan(8000);
});

test('zimbra_get_contacts pages what Zimbra returns whole: offset, limit, total', async () => {
  const r = await mcp.call('zimbra_get_contacts', { folder_id: 7, limit: 5, offset: 998 });
  expect(r.structuredContent).toMatchObject({ offset: 998, limit: 5, total: 1003 });
  expect(((r.structuredContent?.items ?? []) as unknown[]).length).toBe(5);
});
