// mailcow returns whole lists; the list tools page them (`size`, `offset`) so a default answer stays under
// 8,000 o200k tokens in the model's context on a large backend (issue 13: one mailcow_list_mailboxes over
// 1,006 mailboxes put 78,485 tokens into the context before).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MailcowNative } from '../../src/backends/mailcow/native.ts';
import { MailcowRest } from '../../src/backends/mailcow/rest.ts';
import type { Emulator } from '../../src/sandbox/emulator.ts';
import { mailcowNativeEmulator } from '../../src/sandbox/mailcow/native.ts';
import { mailcowRestEmulator } from '../../src/sandbox/mailcow/rest.ts';
import { MailcowState } from '../../src/sandbox/mailcow/state.ts';
import { FAST, mcpClient, text } from '../harness.ts';

const BIG = 'customer-domain-0.example';

/** The sandbox's data plus 120 domains, 1,003 more mailboxes (1,006 in all), 300 aliases and 300 sync jobs. */
function large(): MailcowState {
  const s = MailcowState.seeded();
  for (let d = 0; d < 120; d++) {
    s.addDomain({
      domain: `customer-domain-${d}.example`,
      description: `Customer domain number ${d}`,
      active: true,
      aliases: 5000,
      mailboxes: 5000,
      defquota: 1024,
      maxquota: 10240,
      quota: 10_000_000,
      backupmx: false,
    });
  }
  const user = (i: number) => `firstname.lastname${i}@${BIG}`;
  for (let i = 0; i < 1003; i++) {
    s.addMailbox({
      domain: BIG,
      local_part: `firstname.lastname${i}`,
      name: `Firstname Lastname ${i}`,
      password: 'sandbox-only-password',
      quota: 1024,
      active: true,
    });
  }
  for (let i = 0; i < 300; i++) s.addAlias({ address: `team${i}@${BIG}`, goto: `${user(i)},${user(i + 1)}` });
  for (let i = 0; i < 300; i++) {
    s.addSyncJob({ username: user(i), host1: 'imap.previous-provider.example', user1: `old${i}`, password1: 'x' });
  }
  return s;
}

const LISTS = ['mailcow_list_domains', 'mailcow_list_mailboxes', 'mailcow_list_aliases', 'mailcow_list_sync_jobs'];

describe.each(['rest', 'native'] as const)('paging in the %s style', (style) => {
  let server: Emulator;
  let mcp: Awaited<ReturnType<typeof mcpClient>>;
  beforeAll(async () => {
    const state = large();
    server =
      style === 'rest'
        ? mailcowRestEmulator({ apiKey: 'k', state, rateLimit: { limit: 10_000, windowMs: 60_000 } })
        : mailcowNativeEmulator({ keys: { rw: 'K-1' }, state });
    const url = await server.listen();
    const client =
      style === 'rest'
        ? new MailcowRest({ url, apiKey: 'k', style }, FAST)
        : new MailcowNative({ url, apiKey: 'K-1', style }, FAST);
    mcp = await mcpClient({ mailcow: client });
  });
  afterAll(async () => {
    await mcp.close();
    await server.close();
  });

  test.each(LISTS)('%s: the default answer stays under 8,000 o200k tokens', async (name) => {
    const r = await mcp.call(name);
    const tokens = countTokens(text(r));
    console.log(`${style} ${name}: ${tokens} tokens for the default page of ${r.structuredContent?.total}`);
    expect(tokens).toBeLessThan(8000);
    expect(r.structuredContent?.offset).toBe(0);
  });

  test('1,006 mailboxes: pages of the default 100 are summaries that together give every mailbox once', async () => {
    const first = await mcp.call('mailcow_list_mailboxes');
    expect(first.structuredContent).toMatchObject({ offset: 0, size: 100, total: 1006 });
    expect(Object.keys(((first.structuredContent?.items ?? []) as object[])[0]!).sort()).toEqual(
      ['active', 'messages', 'name', 'quota', 'quota_used', 'username'].sort(),
    );
    const seen: string[] = [];
    for (let offset = 0; offset < 1006; offset += 100) {
      const r = await mcp.call('mailcow_list_mailboxes', { offset });
      const items = r.structuredContent?.items as Array<{ username: string }>;
      expect(items.length).toBe(Math.min(100, 1006 - offset));
      seen.push(...items.map((m) => m.username));
    }
    expect(new Set(seen).size).toBe(1006);
  });

  test('size and offset are honoured, filters apply before paging, and a page past the end is empty', async () => {
    const r = await mcp.call('mailcow_list_mailboxes', { domain: 'example.com', size: 2, offset: 1 });
    expect(r.structuredContent).toMatchObject({ offset: 1, size: 2, total: 3 });
    expect(((r.structuredContent?.items ?? []) as Array<{ username: string }>).map((m) => m.username)).toEqual([
      'john.doe@example.com',
      'jane.roe@example.com',
    ]);
    const past = await mcp.call('mailcow_list_aliases', { offset: 5000 });
    expect(past.structuredContent).toMatchObject({ items: [], offset: 5000, size: 100, total: 302 });
    const jobs = await mcp.call('mailcow_list_sync_jobs', { size: 1000 });
    expect(((jobs.structuredContent?.items ?? []) as unknown[]).length).toBe(301);
  });

  test('a size over 1,000 or below 1 is refused before anything is sent', async () => {
    for (const size of [0, 1001]) {
      const r = await mcp.call('mailcow_list_domains', { size });
      expect(r.isError).toBe(true);
      expect(text(r)).toContain('size');
    }
  });
});
