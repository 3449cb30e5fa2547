import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { ZammadEmulator } from '../../src/sandbox/zammad/rest.ts';
import { data, type Harness, mcpClient, startHarness, text } from '../harness.ts';

let h: Harness;
let emu: ZammadEmulator;
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  h = await startHarness();
  emu = h.sandbox.emulators.zammad as ZammadEmulator;
  mcp = await mcpClient(h.clients, { selection: { toolsets: ['zammad'] }, rails: { confirm: 'flag' } });
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});
afterEach(() => emu.clearLog());

const last = () => emu.seen.at(-1)!;
const bodyOf = () => JSON.parse(last().body);
const ok = async (name: string, args: Record<string, unknown> = {}) => {
  const r = await mcp.call(name, args);
  expect(r.isError, text(r)).toBeFalsy();
  expect(data(r)).toEqual(r.structuredContent);
  return r.structuredContent as Record<string, unknown> & { items?: Array<Record<string, unknown>> };
};

describe('zammad tools on the wire', () => {
  test('zammad_list_tickets: compact items, paging fields, expand and From', async () => {
    const r = await ok('zammad_list_tickets', { per_page: 2, expand: true, on_behalf_of: 'chris@chrispresso.com' });
    expect(last()).toMatchObject({ method: 'GET', path: '/api/v1/tickets?page=1&per_page=2&expand=true' });
    expect(last().headers.from).toBe('chris@chrispresso.com');
    // Two visible tickets fill the page: Zammad gives no total, so a full page may have more behind it.
    expect(r).toMatchObject({ page: 1, per_page: 2, has_more: true });
    expect(r.items?.map((t) => [t.id, t.number, t.group])).toEqual([
      [2, '71002', 'Service/Desk'],
      [3, '71003', 'Sales'],
    ]);
    expect(r.items?.[0]).not.toHaveProperty('preferences');
    expect(r.items?.[0]).not.toHaveProperty('note');
  });

  test('zammad_search_tickets: a customer’s open tickets', async () => {
    const r = await ok('zammad_search_tickets', {
      query: 'customer.email:samuel@example.com AND state.name:open',
      expand: true,
      sort_by: 'id',
      order_by: 'asc',
    });
    expect(last().path).toContain(
      '/api/v1/tickets/search?query=customer.email%3Asamuel%40example.com+AND+state.name%3Aopen',
    );
    expect(last().path).toContain('sort_by=id&order_by=asc');
    expect(r.items?.map((t) => [t.id, t.number, t.title])).toEqual([
      [2, '71002', 'Grinder makes a loud noise'],
      [4, '71004', 'Espresso machine leaks water'],
    ]);
  });

  test('zammad_get_ticket: compact by default, untouched with full', async () => {
    const compact = await ok('zammad_get_ticket', { id: 3, expand: true });
    expect(compact).toMatchObject({ id: 3, number: '71003', state: 'closed', article_ids: [5, 6] });
    expect(compact).not.toHaveProperty('ticket_time_accounting_ids');
    expect(compact).not.toHaveProperty('close_at');
    const full = await ok('zammad_get_ticket', { id: 3, expand: true, full: true });
    expect(full).toMatchObject({ close_at: null, preferences: {}, ticket_time_accounting_ids: [] });
    expect(last().path).toBe('/api/v1/tickets/3?expand=true');
  });

  test('zammad_create_ticket: guess: customer, tags, first article', async () => {
    const r = await ok('zammad_create_ticket', {
      title: 'Milk frother broken',
      group: 'Service/Desk',
      customer: 'first.timer@example.net',
      article: {
        body: 'It stopped working.',
        subject: 'Frother',
        type: 'web',
        internal: false,
        content_type: 'text/plain',
      },
      tags: ['frother'],
      priority: '3 high',
    });
    expect(bodyOf()).toMatchObject({
      customer_id: 'guess:first.timer@example.net',
      group: 'Service/Desk',
      priority: '3 high',
      tags: 'frother',
    });
    expect(r).toMatchObject({ title: 'Milk frother broken', number: expect.stringMatching(/^71\d{3}$/) });
    expect(r.id).toBeTypeOf('number');
  });

  test('zammad_create_ticket: a pending state needs pending_time, nothing is sent', async () => {
    const r = await mcp.call('zammad_create_ticket', {
      title: 't',
      group: 'Users',
      customer: '2',
      state: 'pending close',
      article: { body: 'x' },
    });
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(/^Invalid input: pending_time: required when state is "pending close"/);
    expect(emu.seen).toHaveLength(0);
  });

  test('zammad_update_ticket: internal note and close', async () => {
    await ok('zammad_update_ticket', {
      id: 2,
      state: 'closed',
      article: { body: 'Replaced the burr.', internal: true },
    });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/tickets/2' });
    expect(bodyOf()).toEqual({ state: 'closed', article: { body: 'Replaced the burr.', internal: true } });
  });

  test('zammad_list_ticket_articles: bodies come back as data; long ones are cut with a note', async () => {
    const long = 'x'.repeat(5000);
    await ok('zammad_create_ticket_article', { ticket_id: 1, body: long, internal: true });
    const r = await ok('zammad_list_ticket_articles', { ticket_id: 1 });
    expect(last().path).toBe('/api/v1/ticket_articles/by_ticket/1');
    const cut = r.items?.at(-1) as Record<string, unknown>;
    expect((cut.body as string).length).toBe(4000);
    expect(cut.body_cut).toBe(
      '4000 of 5000 characters shown; zammad_list_ticket_articles with full: true returns the whole body',
    );
    const full = await ok('zammad_list_ticket_articles', { ticket_id: 1, full: true });
    expect(String(full.items?.at(-1)?.body).length).toBe(5000);
  });

  test('zammad_create_ticket_article', async () => {
    const r = await ok('zammad_create_ticket_article', {
      ticket_id: 3,
      body: 'Called the customer.',
      type: 'phone',
      internal: true,
      subject: 'Call',
    });
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/ticket_articles' });
    expect(bodyOf()).toEqual({
      ticket_id: 3,
      body: 'Called the customer.',
      type: 'phone',
      internal: true,
      subject: 'Call',
    });
    expect(r).toMatchObject({ ticket_id: 3, type: 'phone', internal: true });
  });

  test('users: list, search, get, current, create, update', async () => {
    const list = await ok('zammad_list_users', { per_page: 3 });
    expect(list).toMatchObject({ page: 1, per_page: 3, has_more: true });
    const found = await ok('zammad_search_users', { query: 'christopher' });
    expect(found.items?.map((u) => u.login)).toEqual(['chris@chrispresso.com']);
    expect(found.items?.[0]).not.toHaveProperty('preferences');
    const u = await ok('zammad_get_user', { id: 3 });
    expect(u).toMatchObject({ id: 3, login: 'chris@chrispresso.com' });
    expect((await ok('zammad_get_user', { id: 3, full: true })).preferences).toBeTypeOf('object');
    expect(await ok('zammad_get_current_user', { on_behalf_of: '2' })).toMatchObject({
      login: 'nicole.braun@zammad.org',
    });
    expect(last().headers.from).toBe('2');
    const created = await ok('zammad_create_user', { firstname: 'Ida', email: 'ida@example.com', roles: ['Customer'] });
    expect(bodyOf()).toEqual({ firstname: 'Ida', email: 'ida@example.com', roles: ['Customer'] });
    await ok('zammad_update_user', { id: created.id as number, lastname: 'Meyer' });
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/users/${created.id}` });
  });

  test('organizations: list, search, get, create, update', async () => {
    expect((await ok('zammad_list_organizations', { sort_by: 'name' })).items?.map((o) => o.name)).toEqual([
      'Awesome Customer Inc.',
      'Chrispresso Inc.',
      'Zammad Foundation',
    ]);
    expect((await ok('zammad_search_organizations', { query: 'Awesome' })).items?.map((o) => o.id)).toEqual([3]);
    expect(await ok('zammad_get_organization', { id: 2, expand: true })).toMatchObject({
      name: 'Chrispresso Inc.',
      members: ['chris@chrispresso.com', 'jacob@chrispresso.com'],
    });
    const o = await ok('zammad_create_organization', { name: 'Roastery Ltd.', vip: true });
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/organizations' });
    await ok('zammad_update_organization', { id: o.id as number, note: 'key account' });
    expect(bodyOf()).toEqual({ note: 'key account' });
  });

  test('groups, states, priorities', async () => {
    expect((await ok('zammad_list_groups')).items?.map((g) => g.name)).toEqual([
      'Sales',
      '2nd Level',
      'Service/Desk',
      'Users',
    ]);
    expect((await ok('zammad_list_ticket_states')).items).toHaveLength(7);
    expect(last().path).toBe('/api/v1/ticket_states');
    expect((await ok('zammad_list_ticket_priorities')).items?.map((p) => p.name)).toEqual([
      '1 low',
      '2 normal',
      '3 high',
    ]);
  });

  test('tags: add, list, remove (not destructive)', async () => {
    expect(await ok('zammad_add_tag', { ticket_id: 3, tag: 'vip' })).toEqual({ ticket_id: 3, tag: 'vip', added: true });
    expect(await ok('zammad_list_tags', { ticket_id: 3 })).toEqual({ ticket_id: 3, tags: ['vip'] });
    expect(await ok('zammad_remove_tag', { ticket_id: 3, tag: 'vip' })).toEqual({
      ticket_id: 3,
      tag: 'vip',
      removed: true,
    });
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/tags/remove' });
  });

  test('a backend error is "zammad <status>: <message> <next step>"', async () => {
    const r = await mcp.call('zammad_get_ticket', { id: 71003 });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      "zammad 404: Couldn't find Ticket with 'id'=71003 Check the id with zammad_search_tickets (tools take the internal id, not the number).",
    );
  });
});

describe('as agents use it', () => {
  test('zammad_get_ticket by the number users quote, or by id; exactly one of them', async () => {
    const r = await ok('zammad_get_ticket', { number: '#71004', expand: true });
    expect(r).toMatchObject({ id: 4, number: '71004', owner: 'alex.smith@example.com' });
    expect(emu.seen.map((x) => x.path)).toEqual([
      '/api/v1/tickets/search?query=number%3A71004&page=1&per_page=10',
      '/api/v1/tickets/4?expand=true',
    ]);
    emu.clearLog();
    const none = await mcp.call('zammad_get_ticket', { number: '99999' });
    expect(text(none)).toBe('zammad 404: no ticket with number 99999 Check the number with zammad_search_tickets.');
    for (const args of [{}, { id: 4, number: '71004' }]) {
      emu.clearLog();
      const r2 = await mcp.call('zammad_get_ticket', args);
      expect(text(r2)).toBe('Invalid input: id: give exactly one of id and number');
      expect(emu.seen).toHaveLength(0);
    }
  });

  test('a wrong priority name tells the model the valid ones, and nothing is written', async () => {
    const r = await mcp.call('zammad_update_ticket', { id: 2, priority: 'high' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      'Invalid input: priority: unknown priority "high"; did you mean "3 high"? valid: "1 low", "2 normal", "3 high" (zammad_list_ticket_priorities)',
    );
    expect(emu.seen.filter((x) => x.method !== 'GET')).toHaveLength(0);
  });

  test('a customer’s call is recorded as the customer’s (sender), on all three article paths', async () => {
    const a = await ok('zammad_create_ticket_article', {
      ticket_id: 4,
      body: 'Samuel called again.',
      type: 'phone',
      sender: 'Customer',
    });
    expect(bodyOf()).toMatchObject({ type: 'phone', sender: 'Customer' });
    expect(a).toMatchObject({ type: 'phone', sender: 'Customer' });
    await ok('zammad_update_ticket', { id: 4, article: { body: 'Call back', type: 'phone', sender: 'Customer' } });
    expect(bodyOf().article).toEqual({ body: 'Call back', type: 'phone', sender: 'Customer' });
    await ok('zammad_create_ticket', {
      title: 'Phone order',
      group: 'Sales',
      customer: 'samuel@example.com',
      article: { body: 'Wants 5 kg', type: 'phone', sender: 'Customer' },
    });
    expect(bodyOf().article).toMatchObject({ sender: 'Customer' });
    const bad = await mcp.call('zammad_create_ticket_article', { ticket_id: 4, body: 'x', sender: 'Robot' });
    expect(text(bad)).toContain('sender');
  });

  test('CR/LF in to, cc or subject is refused and nothing is sent (a header injection otherwise)', async () => {
    for (const [field, value] of [
      ['to', 'a@example.com\r\nBcc: spy@evil.example'],
      ['cc', 'b@example.com\nBcc: spy@evil.example'],
      ['subject', 'Hi\r\nBcc: spy@evil.example'],
    ] as const) {
      emu.clearLog();
      const r = await mcp.call('zammad_create_ticket_article', {
        ticket_id: 4,
        body: 'x',
        type: 'email',
        [field]: value,
      });
      expect(r.isError).toBe(true);
      expect(text(r)).toContain(`${field}: must not contain line breaks`);
      expect(emu.seen).toHaveLength(0);
    }
    const nested = await mcp.call('zammad_update_ticket', { id: 4, article: { body: 'x', subject: 'a\r\nb' } });
    expect(text(nested)).toContain('article.subject');
  });

  test('on_behalf_of beyond ASCII or with a line break is refused before sending, suggesting the user id', async () => {
    for (const who of ['müller@example.com', '山田', 'a\r\nX-Evil: 1']) {
      emu.clearLog();
      const r = await mcp.call('zammad_get_current_user', { on_behalf_of: who });
      expect(r.isError).toBe(true);
      expect(text(r)).toContain(
        'on_behalf_of: must be plain ASCII on one line (it is sent as a header); give the user id instead',
      );
      expect(emu.seen).toHaveLength(0);
    }
  });

  test('a query with unbalanced quotes or parentheses is refused (Zammad would answer "no hits")', async () => {
    const r = await mcp.call('zammad_search_tickets', { query: 'state.name:(new OR open' });
    expect(text(r)).toContain('query: unbalanced quotes or parentheses');
    expect(emu.seen).toHaveLength(0);
  });
});

describe('input is checked before anything is sent', () => {
  const bad: Array<[string, Record<string, unknown>, string]> = [
    ['zammad_get_ticket', { id: 0 }, 'id'],
    ['zammad_get_ticket', { id: -3 }, 'id'],
    ['zammad_get_ticket', { id: '3' }, 'id'],
    ['zammad_get_ticket', { id: 2 ** 31 }, 'id'],
    ['zammad_get_ticket', { id: 1.5 }, 'id'],
    ['zammad_get_user', { id: 'abc' }, 'id'],
    ['zammad_delete_organization', { id: 0, confirm: true }, 'id'],
    ['zammad_merge_tickets', { source_id: 1, target_number: '../1', confirm: true }, 'target_number'],
    ['zammad_merge_tickets', { source_id: -1, target_number: '71001', confirm: true }, 'source_id'],
    ['zammad_list_tags', { ticket_id: 99999999999 }, 'ticket_id'],
    ['zammad_list_tickets', { page: 0 }, 'page'],
    ['zammad_list_users', { order_by: 'up' }, 'order_by'],
    ['zammad_update_ticket', { id: 1, pending_time: 'tomorrow' }, 'pending_time'],
    ['zammad_create_ticket_article', { ticket_id: 1, body: 'x', content_type: 'text/markdown' }, 'content_type'],
    ['zammad_search_tickets', { query: '' }, 'query'],
    ['zammad_add_tag', { ticket_id: 1, tag: '' }, 'tag'],
    ['zammad_create_user', { lastname: 'x', unknown: 1 }, 'unknown'],
    ['zammad_get_current_user', { on_behalf_of: 'a\r\nX-Evil: 1' }, 'on_behalf_of'],
  ];
  test.each(bad)('%s %j is refused naming %s', async (name, args, field) => {
    const r = await mcp.call(name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(field);
    expect(emu.seen).toHaveLength(0);
  });
});

describe('destructive tools are gated', () => {
  const cases: Array<[string, Record<string, unknown>, string, RegExp]> = [
    [
      'zammad_delete_ticket',
      { id: 2 },
      'DELETE /api/v1/tickets/2',
      /^Confirmation required: delete ticket id 2 with all its articles \(DELETE \/api\/v1\/tickets\/2\)/,
    ],
    [
      'zammad_delete_user',
      { id: 3 },
      'DELETE /api/v1/users/3',
      /^Confirmation required: delete user id 3 \(DELETE \/api\/v1\/users\/3\)/,
    ],
    [
      'zammad_delete_organization',
      { id: 1 },
      'DELETE /api/v1/organizations/1',
      /^Confirmation required: delete organization id 1 \(DELETE \/api\/v1\/organizations\/1\)/,
    ],
    [
      'zammad_merge_tickets',
      { source_id: 2, target_number: '#71001' },
      'PUT /api/v1/ticket_merge/2/71001',
      /^Confirmation required: merge ticket id 2 into ticket number "71001": .*\(PUT \/api\/v1\/ticket_merge\/2\/71001\)/,
    ],
  ];

  test.each(cases)('%s without confirm sends nothing', async (name, args, _req, message) => {
    const r = await mcp.call(name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toMatch(message);
    expect(emu.seen).toHaveLength(0);
  });

  test.each(cases)('%s with a declined elicitation sends nothing', async (name, args) => {
    const declined = await mcpClient(h.clients, { elicit: () => ({ action: 'decline' }) });
    try {
      const r = await declined.call(name, args);
      expect(r.isError).toBeFalsy();
      expect(text(r)).toContain('Nothing was changed');
      expect(emu.seen).toHaveLength(0);
    } finally {
      await declined.close();
    }
  });

  test('zammad_merge_tickets with confirm: true merges', async () => {
    const r = await ok('zammad_merge_tickets', { source_id: 2, target_number: '#71001', confirm: true });
    expect(last()).toMatchObject({ method: 'PUT', path: '/api/v1/ticket_merge/2/71001' });
    expect(r).toMatchObject({
      result: 'success',
      target_ticket: { id: 1, number: '71001' },
      source_ticket: { id: 2, number: '71002', state_id: 5 },
    });
  });

  test('zammad_delete_ticket with confirm: true deletes', async () => {
    const t = await ok('zammad_create_ticket', {
      title: 'gone soon',
      group: 'Users',
      customer: '2',
      article: { body: 'x' },
    });
    expect(await ok('zammad_delete_ticket', { id: t.id as number, confirm: true })).toEqual({
      id: t.id,
      deleted: true,
    });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/tickets/${t.id}` });
  });

  test('zammad_delete_user and zammad_delete_organization with confirm: true; Zammad refuses referenced ones', async () => {
    const u = await ok('zammad_create_user', { email: 'temp@example.com' });
    await ok('zammad_delete_user', { id: u.id as number, confirm: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/users/${u.id}` });
    const o = await ok('zammad_create_organization', { name: 'Temp Org' });
    await ok('zammad_delete_organization', { id: o.id as number, confirm: true });
    const refused = await mcp.call('zammad_delete_organization', { id: 1, confirm: true });
    expect(text(refused)).toBe("zammad 422: Can't delete, object has references.");
  });

  test('an accepted elicitation sends the request', async () => {
    const accepted = await mcpClient(h.clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
    try {
      const u = await ok('zammad_create_user', { email: 'elicited@example.com' });
      const r = await accepted.call('zammad_delete_user', { id: u.id as number });
      expect(r.isError).toBeFalsy();
      expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/users/${u.id}` });
    } finally {
      await accepted.close();
    }
  });
});
