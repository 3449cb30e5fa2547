// Issue 15, protocol niceties: completion/complete for prompt arguments from the configured backends, and no
// `logging` capability (nothing is sent as log notifications, so none is declared).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildClients } from '../src/backends/index.ts';
import { completers } from '../src/prompts/complete.ts';
import { FAST, type Harness, mcpClient, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const complete = async (c: Awaited<ReturnType<typeof mcpClient>>, prompt: string, name: string, value: string) =>
  (await c.client.complete({ ref: { type: 'ref/prompt', name: prompt }, argument: { name, value } })).completion;

describe('completion/complete for prompt arguments', () => {
  test('mailbox addresses from mailcow and Rackspace, matching the typed prefix', async () => {
    const c = await mcpClient(h.clients);
    try {
      const all = await complete(c, 'offboard_user', 'email', '');
      // mailcow's sample mailboxes and Rackspace's alex.smith@example.com, once each.
      expect(all.values).toContain('john.doe@example.com');
      expect(all.values).toContain('alex.smith@example.com');
      expect(new Set(all.values).size).toBe(all.values.length);
      expect((await complete(c, 'offboard_user', 'email', 'JOHN.')).values).toEqual([
        'john.doe@example.com',
        'john.smith@example.com',
      ]);
      expect((await complete(c, 'investigate_spam', 'mailbox', 'al')).values).toEqual(['alex.smith@example.com']);
      expect((await complete(c, 'offboard_user', 'email', 'nobody')).values).toEqual([]);
      // Only the arguments that name a mailbox or a ticket complete.
      expect((await complete(c, 'investigate_spam', 'sender', 'a')).values).toEqual([]);
    } finally {
      await c.close();
    }
  });

  test('open ticket numbers from Zammad, matching the prefix; closed tickets are left out', async () => {
    const c = await mcpClient(h.clients);
    try {
      const open = await h.clients.zammad?.list('tickets', { expand: true, per_page: 100 });
      const numbers = (open?.items ?? []).filter((t) => t.state !== 'closed').map((t) => String(t.number));
      expect(numbers.length).toBeGreaterThan(0);
      const got = await complete(c, 'triage_ticket', 'ticket', '');
      expect(got.values.sort()).toEqual(numbers.sort());
      const first = numbers[0] as string;
      expect((await complete(c, 'triage_ticket', 'ticket', first)).values).toEqual([first]);
      // Close one: it is no longer offered.
      await c.call('zammad_update_ticket', { id: Number((open?.items ?? [])[0]?.id), state: 'closed' });
      expect((await complete(c, 'triage_ticket', 'ticket', '')).values).not.toContain(
        String((open?.items ?? [])[0]?.number),
      );
    } finally {
      await c.close();
    }
  });

  test('a client narrowed to some backends gets completions from those only', async () => {
    const c = await mcpClient(h.clients, { selection: { toolsets: ['rackspace'] } });
    try {
      // Rackspace's two sample mailboxes; none of mailcow's (john.doe@, jane.roe@, info@).
      expect((await complete(c, 'investigate_spam', 'mailbox', '')).values).toEqual([
        'alex.smith@example.com',
        'john.smith@example.com',
      ]);
    } finally {
      await c.close();
    }
    const z = await mcpClient(h.clients, { selection: { toolsets: ['zammad'] } });
    try {
      // offboard_user is offered (Zammad user search), but mailcow's and Rackspace's mailboxes are not this client's.
      expect((await complete(z, 'offboard_user', 'email', '')).values).toEqual([]);
    } finally {
      await z.close();
    }
  });

  test('a failing backend gives no completions instead of an error', async () => {
    const broken = buildClients({ mailcow: { url: 'http://127.0.0.1:9', apiKey: 'k', style: 'rest' } }, FAST);
    expect(await completers(broken).email?.('a')).toEqual([]);
  });

  test('capabilities: completions declared, logging not (no log notifications are sent)', async () => {
    const c = await mcpClient(h.clients);
    try {
      const caps = c.client.getServerCapabilities();
      expect(caps?.completions).toBeDefined();
      expect(caps?.logging).toBeUndefined();
    } finally {
      await c.close();
    }
  });
});
