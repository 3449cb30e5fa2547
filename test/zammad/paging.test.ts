// A default list answer stays under 8,000 o200k tokens on a large helpdesk (issue 13, item 2): records filled as a
// busy Zammad fills them (names, phones, notes, long titles, long article bodies).
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { articleRow, ticketRow, userRow } from '../../src/sandbox/zammad/records.ts';
import type { ZammadEmulator } from '../../src/sandbox/zammad/rest.ts';
import type { User } from '../../src/sandbox/zammad/state.ts';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';

let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;
const words = (n: number, seed: number) =>
  Array.from(
    { length: n },
    (_, i) => ['coffee', 'grinder', 'invoice', 'delivery', 'Ärger', 'Lieferung'][(i + seed) % 6],
  ).join(' ');

beforeAll(async () => {
  h = await startHarness();
  const s = (h.sandbox.emulators.zammad as ZammadEmulator).state;
  for (let i = 0; i < 1200; i++) {
    const id = 1000 + i;
    s.users.set(id, {
      ...userRow({
        id,
        organization_id: 2,
        login: `customer.${i}@example-customer.com`,
        firstname: `Firstname${i}`,
        lastname: `Lastname-${i}`,
        email: `customer.${i}@example-customer.com`,
        phone: `+49 30 1234 ${i}`,
        mobile: `+49 170 555 ${i}`,
        department: 'Purchasing',
        street: `Hauptstraße ${i}`,
        zip: '10115',
        city: 'Berlin',
        country: 'Germany',
        note: words(30, i),
        vip: i % 7 === 0,
        verified: true,
        last_login: '2026-11-30T10:00:00.000Z',
        preferences: { locale: 'de-de', tickets_open: 3, tickets_closed: 12 },
      }),
      role_ids: [3],
      group_ids: {},
    } as User);
    s.tickets.set(
      id,
      ticketRow({
        id,
        group_id: 1 + (i % 3),
        priority_id: 2,
        state_id: 2,
        organization_id: 2,
        number: `71${id}`,
        title: `${words(12, i)} ${i}`,
        owner_id: 4,
        customer_id: id,
        note: words(8, i),
        first_response_at: '2026-11-30T10:00:00.000Z',
        last_contact_at: '2026-11-30T10:00:00.000Z',
        last_contact_agent_at: '2026-11-30T10:00:00.000Z',
        last_contact_customer_at: '2026-11-30T10:00:00.000Z',
        create_article_type_id: 1,
        create_article_sender_id: 2,
        article_count: 20,
        escalation_at: '2026-12-02T10:00:00.000Z',
        update_escalation_at: '2026-12-02T10:00:00.000Z',
      }),
    );
  }
  for (let i = 0; i < 60; i++) {
    s.articles.set(
      5000 + i,
      articleRow({
        id: 5000 + i,
        ticket_id: 1000,
        type_id: 1,
        sender_id: 2,
        from: 'Firstname0 Lastname-0 <customer.0@example-customer.com>',
        to: 'Sales <sales@chrispresso.com>',
        subject: `RE: ${words(10, i)}`,
        message_id: `<${i}.abc@example-customer.com>`,
        body: words(1500, i),
        created_by_id: 1000,
        updated_by_id: 1000,
      }),
    );
  }
  mcp = await mcpClient(h.clients, { selection: { toolsets: ['zammad'] } });
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});

describe('default list answers stay under 8,000 o200k tokens on a large backend', () => {
  test.each([
    ['zammad_list_tickets', {}],
    ['zammad_search_tickets', { query: 'state.name:open' }],
    ['zammad_list_users', {}],
    ['zammad_search_users', { query: 'customer*' }],
    ['zammad_list_organizations', {}],
    ['zammad_list_groups', {}],
    ['zammad_list_ticket_articles', { ticket_id: 1000 }],
  ])('%s %j', async (name, args) => {
    const r = await mcp.call(name, args);
    expect(r.isError, text(r)).toBeFalsy();
    const tokens = countTokens(text(r));
    console.log(`${name}: ${tokens} tokens`);
    expect(tokens).toBeLessThan(8000);
  });

  test('articles are paged by the server: 5 a page, with the total', async () => {
    const r = await mcp.call('zammad_list_ticket_articles', { ticket_id: 1000, page: 12 });
    expect(r.structuredContent).toMatchObject({ page: 12, per_page: 5, total: 60, has_more: false });
    expect(((r.structuredContent?.items ?? []) as unknown[]).length).toBe(5);
  });
});
