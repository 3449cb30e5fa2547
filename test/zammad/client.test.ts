import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { ZammadRest } from '../../src/backends/zammad/rest.ts';
import type { ZammadApi } from '../../src/backends/zammad/types.ts';
import { BackendError, InputError } from '../../src/errors.ts';
import { SANDBOX_KEYS } from '../../src/sandbox/index.ts';
import type { ZammadEmulator } from '../../src/sandbox/zammad/rest.ts';
import { FAST, type Harness, startHarness } from '../harness.ts';

let h: Harness;
let emu: ZammadEmulator;
let c: ZammadApi;

beforeAll(async () => {
  h = await startHarness();
  emu = h.sandbox.emulators.zammad as ZammadEmulator;
  c = h.clients.zammad as ZammadApi;
});
afterAll(() => h.close());
afterEach(() => {
  emu.clearLog();
  emu.state.settings.api_token_access = true;
});

const last = () => emu.seen.at(-1)!;
const json = () => JSON.parse(last().body);
const client = (auth: ConstructorParameters<typeof ZammadRest>[0]['auth']) =>
  new ZammadRest({ url: emu.url, auth }, FAST);
async function failure(p: Promise<unknown>): Promise<BackendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  return err as BackendError;
}

describe('authentication', () => {
  test('Token, Bearer and Basic headers are sent as configured', async () => {
    await c.me({});
    expect(last().headers.authorization).toBe(`Token token=${SANDBOX_KEYS.zammad}`);
    expect((await client({ kind: 'bearer', token: SANDBOX_KEYS.zammadOauth }).me({})).login).toBe('admin@example.com');
    expect(last().headers.authorization).toBe(`Bearer ${SANDBOX_KEYS.zammadOauth}`);
    const basic = client({ kind: 'basic', username: 'admin@example.com', password: SANDBOX_KEYS.zammadPassword });
    expect((await basic.me({})).login).toBe('admin@example.com');
    expect(last().headers.authorization).toBe(
      `Basic ${Buffer.from(`admin@example.com:${SANDBOX_KEYS.zammadPassword}`).toString('base64')}`,
    );
  });

  test('401 for wrong credentials, with what to check', async () => {
    const e = await failure(client({ kind: 'token', token: 'wrong-token' }).me({}));
    expect([e.status, e.message]).toEqual([401, "Can't find User for Token"]);
    expect(e.hint).toMatch(/ZAMMAD_TOKEN/);
    expect(
      (await failure(client({ kind: 'basic', username: 'admin@example.com', password: 'nope' }).me({}))).message,
    ).toBe('Invalid BasicAuth credentials');
    expect((await failure(client({ kind: 'bearer', token: 'nope' }).me({}))).message).toBe(
      'The provided token is invalid.',
    );
  });

  test('403 without credentials is "Authentication required"', async () => {
    const e = await failure(client({ kind: 'token', token: '' }).me({}));
    expect([e.status, e.message]).toEqual([403, 'Authentication required']);
    expect(e.hint).toMatch(/No credentials reached Zammad/);
  });

  test('403 when token access is switched off', async () => {
    emu.state.settings.api_token_access = false;
    const e = await failure(c.me({}));
    expect([e.status, e.message]).toEqual([403, 'API token access disabled!']);
  });
});

describe('on behalf of (From)', () => {
  test('From is sent and Zammad acts as that user', async () => {
    expect((await c.me({ as: 'chris@chrispresso.com' })).id).toBe(3);
    expect(last().headers.from).toBe('chris@chrispresso.com');
    expect((await c.me({ as: '2' })).login).toBe('nicole.braun@zammad.org');
    await c.me({});
    expect(last().headers.from).toBeUndefined();
  });

  test('a caller without admin.user gets 403 saying so; an unknown user too', async () => {
    emu.state.tokens.set('agent-token', 4);
    const e = await failure(client({ kind: 'token', token: 'agent-token' }).me({ as: 'nicole.braun@zammad.org' }));
    expect(e.status).toBe(403);
    expect(e.message).toBe("Current user has no permission to use 'From'/'X-On-Behalf-Of'!");
    expect(e.hint).toMatch(/admin\.user/);
    const u = await failure(c.me({ as: 'ghost@example.com' }));
    expect([u.status, u.message]).toEqual([403, "No such user 'ghost@example.com'"]);
  });

  test('acting as a customer narrows what is visible', async () => {
    const page = await c.list('tickets', { as: 'nicole.braun@zammad.org' });
    expect(page.items.map((t) => [t.id, t.customer_id])).toEqual([
      [1, 2],
      [5, 2],
    ]);
    const e = await failure(c.get('tickets', 3, { as: 'nicole.braun@zammad.org' }));
    expect([e.status, e.message]).toEqual([403, 'Not authorized']);
  });
});

describe('reading', () => {
  test('expand off: ids only; expand on: names as the seed shows them', async () => {
    const plain = await c.get('tickets', 3, {});
    expect(last().path).toBe('/api/v1/tickets/3');
    expect(plain).toMatchObject({ id: 3, number: '71003', title: 'Order 787556', group_id: 1, state_id: 4 });
    expect(plain.state).toBeUndefined();
    const expanded = await c.get('tickets', 3, { expand: true });
    expect(last().path).toBe('/api/v1/tickets/3?expand=true');
    expect(expanded).toMatchObject({
      article_ids: [5, 6],
      group: 'Sales',
      organization: 'Awesome Customer Inc.',
      state: 'closed',
      priority: '2 normal',
      owner: 'chris@chrispresso.com',
      customer: 'samuel@example.com',
      created_by: 'samuel@example.com',
      updated_by: 'jacob@chrispresso.com',
      create_article_type: 'email',
      create_article_sender: 'Customer',
    });
    const user = await c.get('users', 3, { expand: true });
    expect(user).toMatchObject({
      role_ids: [1, 2],
      group_ids: { '1': ['full'], '2': ['full'], '3': ['full'] },
      roles: ['Admin', 'Agent'],
      organization: 'Chrispresso Inc.',
      groups: { Sales: ['full'], '2nd Level': ['full'], 'Service/Desk': ['full'] },
    });
  });

  test('paging: page and per_page are sent, a full page says maybe more, paging runs out on an empty page', async () => {
    const first = await c.list('users', { page: 1, per_page: 4 });
    expect(last().path).toBe('/api/v1/users?page=1&per_page=4');
    expect(first).toMatchObject({ page: 1, per_page: 4, has_more: true });
    expect(first.items).toHaveLength(4);
    const pages = [first];
    for (let p = 2; pages.at(-1)?.has_more; p++) pages.push(await c.list('users', { page: p, per_page: 4 }));
    expect(pages.at(-1)?.items.length).toBeLessThan(4);
    const past = await c.list('users', { page: 50, per_page: 4 });
    expect(past).toEqual({ items: [], page: 50, per_page: 4, has_more: false });
  });

  test('per_page is cut to the endpoint limit (tickets: 100), as Zammad does, and reported', async () => {
    const p = await c.list('tickets', { per_page: 500 });
    expect(last().path).toBe('/api/v1/tickets?page=1&per_page=100');
    expect(p.per_page).toBe(100);
    expect(p.has_more).toBe(false);
  });

  test('sorting: sort_by and order_by are passed through', async () => {
    const groups = await c.list('groups', { sort_by: 'name', order_by: 'desc' });
    expect(last().path).toBe('/api/v1/groups?page=1&per_page=25&sort_by=name&order_by=desc');
    expect(groups.items.map((g) => g.name)).toEqual(['Users', 'Service/Desk', 'Sales', '2nd Level']);
    const asc = await c.search('tickets', '*', { sort_by: 'id', order_by: 'asc' });
    expect(asc.items.map((t) => t.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('search returns a plain array; the pre-6.4 shape is understood too', async () => {
    const hits = await c.search('tickets', 'state.name:open AND customer.email:samuel@example.com', { expand: true });
    expect(last().path).toBe(
      '/api/v1/tickets/search?query=state.name%3Aopen+AND+customer.email%3Asamuel%40example.com&page=1&per_page=25&expand=true',
    );
    expect(hits.items.map((t) => [t.number, t.title, t.state])).toEqual([
      ['71002', 'Grinder makes a loud noise', 'open'],
      ['71004', 'Espresso machine leaks water', 'open'],
    ]);
    emu.state.settings.legacySearch = true;
    try {
      const legacy = await c.search('tickets', 'Welcome', {});
      expect(legacy.items.map((t) => t.title)).toEqual(['Welcome to Zammad!']);
    } finally {
      emu.state.settings.legacySearch = false;
    }
    expect((await c.search('users', 'braun', {})).items.map((u) => u.login)).toEqual(['nicole.braun@zammad.org']);
    expect((await c.search('organizations', 'chrispresso', {})).items.map((o) => o.name)).toEqual(['Chrispresso Inc.']);
  });

  test('404 names the id and points at the right search tool', async () => {
    const e = await failure(c.get('tickets', 999, {}));
    expect([e.status, e.message]).toEqual([404, "Couldn't find Ticket with 'id'=999"]);
    expect(e.hint).toMatch(/zammad_search_tickets .*internal id, not the number/);
    expect((await failure(c.get('users', 999, {}))).hint).toMatch(/zammad_search_users/);
  });

  test('states, priorities, articles, groups', async () => {
    expect((await c.listAll('ticket_states', {})).map((s) => [s.id, s.name])).toEqual([
      [1, 'new'],
      [2, 'open'],
      [3, 'pending reminder'],
      [4, 'closed'],
      [5, 'merged'],
      [6, 'removed'],
      [7, 'pending close'],
    ]);
    expect((await c.listAll('ticket_priorities', {})).map((p) => p.name)).toEqual(['1 low', '2 normal', '3 high']);
    const articles = await c.listArticles(3, {});
    expect(last().path).toBe('/api/v1/ticket_articles/by_ticket/3');
    expect(articles.map((a) => [a.id, a.type, a.sender])).toEqual([
      [5, 'email', 'Customer'],
      [6, 'email', 'Agent'],
    ]);
  });
});

describe('writing', () => {
  test('a ticket for a new customer: guess: by email, names for group/state, tags as a comma list', async () => {
    const t = await c.createTicket(
      {
        title: 'Espresso machine leaks',
        group: 'Service/Desk',
        customer: 'new.customer@example.org',
        state: 'open',
        priority: '3',
        tags: ['leak', 'hardware'],
        article: { body: 'Water everywhere', type: 'email', subject: 'Leak' },
      },
      {},
    );
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/tickets' });
    expect(json()).toEqual({
      title: 'Espresso machine leaks',
      group: 'Service/Desk',
      state: 'open',
      priority_id: 3,
      customer_id: 'guess:new.customer@example.org',
      tags: 'leak,hardware',
      article: { body: 'Water everywhere', type: 'email', subject: 'Leak' },
    });
    expect(t).toMatchObject({ number: '71008', group_id: 3, state_id: 2, priority_id: 3 });
    expect(t.id).toBeTypeOf('number');
    const customer = emu.state.users.get(t.customer_id as number);
    expect(customer?.email).toBe('new.customer@example.org');
    expect(await c.tags(t.id as number, {})).toEqual(['leak', 'hardware']);
  });

  test('a customer by id or login goes to customer_id or customer', async () => {
    await c.createTicket({ title: 'by id', group: '4', customer: '2', article: { body: 'x' } }, {});
    expect(json()).toMatchObject({ group_id: 4, customer_id: 2 });
    await c
      .createTicket({ title: 'by login', group: 'Users', customer: '-', article: { body: 'x' } }, {})
      .catch(() => undefined);
    expect(json()).toMatchObject({ customer: '-' });
  });

  test('a pending state without pending_time is refused before sending', async () => {
    for (const state of ['pending reminder', 'pending close', '3', '7']) {
      await expect(
        c.createTicket({ title: 't', group: 'Users', customer: '2', state, article: { body: 'x' } }, {}),
      ).rejects.toBeInstanceOf(InputError);
      await expect(c.updateTicket(1, { state }, {})).rejects.toMatchObject({ field: 'pending_time' });
    }
    expect(emu.seen).toHaveLength(0);
    const t = await c.updateTicket(1, { state: 'pending reminder', pending_time: '2030-01-31T09:00:00Z' }, {});
    expect(t).toMatchObject({ state_id: 3, pending_time: '2030-01-31T09:00:00Z' });
  });

  test('an unknown group, state or priority is refused before sending, naming the valid ones', async () => {
    // Zammad itself only says "No lookup value found for 'priority': \"high\"" (association_name_to_id_convert in
    // app/models/application_model/can_associations.rb); the emulator answers the same when asked directly.
    const direct = await fetch(`${emu.url}/api/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Token token=${SANDBOX_KEYS.zammad}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 't', group: 'Users', priority: 'high', customer_id: 2 }),
    });
    expect([direct.status, ((await direct.json()) as { error: string }).error]).toEqual([
      422,
      'No lookup value found for \'priority\': "high"',
    ]);
    emu.clearLog();
    const wrong = (await c
      .createTicket({ title: 't', group: 'Users', customer: '2', priority: 'high', article: { body: 'x' } }, {})
      .catch((e: unknown) => e)) as InputError;
    expect(wrong).toBeInstanceOf(InputError);
    expect([wrong.field, wrong.message]).toEqual([
      'priority',
      'unknown priority "high"; did you mean "3 high"? valid: "1 low", "2 normal", "3 high" (zammad_list_ticket_priorities)',
    ]);
    // Only the (briefly cached) reference list may have been read: nothing was written.
    expect(emu.seen.every((r) => r.method === 'GET' && r.path === '/api/v1/ticket_priorities')).toBe(true);
    const group = (await c.updateTicket(2, { group: 'Nope' }, {}).catch((e: unknown) => e)) as InputError;
    expect(group.message).toMatch(/^unknown group "Nope"; valid: "Sales", "2nd Level", "Service\/Desk", "Users"/);
    const state = (await c.updateTicket(2, { state: 'done' }, {}).catch((e: unknown) => e)) as InputError;
    expect(state.message).toContain('valid: "new", "open", "pending reminder", "closed", "merged", "pending close"');
    expect(emu.seen.some((r) => r.method === 'PUT')).toBe(false);
    // A name in other case is sent as Zammad spells it; ids pass.
    await c.updateTicket(2, { priority: '3 HIGH', state: '2' }, {});
    expect(json()).toEqual({ priority: '3 high', state_id: 2 });
  });

  test('a bad guess: email is refused by Zammad with its own message', async () => {
    const g = await failure(
      c.createTicket({ title: 't', group: 'Users', customer: 'bad@', article: { body: 'x' } }, {}),
    );
    expect([g.status, g.message]).toEqual([422, "Invalid email 'bad@' of customer"]);
  });

  test('an owner must be an active agent: others are refused before sending, with the agents', async () => {
    const e = (await c.updateTicket(4, { owner: 'samuel@example.com' }, {}).catch((x: unknown) => x)) as InputError;
    expect(e).toBeInstanceOf(InputError);
    expect(e.message).toMatch(/^"samuel@example.com" is not an active agent \(a ticket owner must be one\); agents: /);
    expect(e.message).toContain('jacob@chrispresso.com (id 4)');
    expect(e.message.split('agents: ')[1]).not.toContain('samuel@');
    expect(emu.seen.at(-1)?.path).toBe('/api/v1/users/search?query=*&permissions=ticket.agent&per_page=1000');
    const t = await c.updateTicket(4, { owner: 'JACOB@chrispresso.com' }, {});
    expect(json()).toEqual({ owner_id: 4 });
    expect(t.owner_id).toBe(4);
  });
});

describe('the emulator refuses a customer as owner as Zammad does', () => {
  // Create runs the core workflow check (tickets_controller#create sets screen 'create_middle';
  // ChecksCoreWorkflow#check_restrict_values: "Invalid value '<id>' for field 'owner_id'!", a 422 whose text only
  // callers allowed to view details see). On update, check_owner_active (app/models/ticket.rb) unassigns instead,
  // except on closed tickets, where the core workflow check refuses again.
  const raw = (method: string, path: string, body: unknown, from?: string) =>
    fetch(`${emu.url}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Token token=${SANDBOX_KEYS.zammad}`,
        'content-type': 'application/json',
        ...(from ? { from } : {}),
      },
      body: JSON.stringify(body),
    });
  test('create: 422, text for admins, an error id for others', async () => {
    const r = await raw('POST', '/tickets', { title: 't', group_id: 3, customer_id: 7, owner_id: 7 });
    expect(r.status).toBe(422);
    expect(await r.json()).toEqual({ error: "Invalid value '7' for field 'owner_id'!" });
    const agent = await raw('POST', '/tickets', { title: 't', group_id: 3, customer_id: 7, owner_id: 7 }, '4');
    expect(agent.status).toBe(422);
    expect(((await agent.json()) as { error: string }).error).toMatch(
      /^Error ID \S+: Please contact your administrator\.$/,
    );
  });
  test('update: an open ticket becomes unassigned; a closed one refuses', async () => {
    const r = await raw('PUT', '/tickets/2', { owner_id: 7 });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { owner_id: number }).owner_id).toBe(1);
    const closed = await raw('PUT', '/tickets/3', { owner_id: 7 });
    expect(closed.status).toBe(422);
  });
});

describe('more writing', () => {
  test('update with an article adds it; articles, tags', async () => {
    const before = (await c.listArticles(2, {})).length;
    await c.updateTicket(2, { state: 'closed', article: { body: 'Fixed the grinder.', internal: true } }, {});
    expect(json()).toEqual({ state: 'closed', article: { body: 'Fixed the grinder.', internal: true } });
    const note = await c.createArticle(2, { body: 'Internal remark', internal: true, type: 'note' }, {});
    expect(json()).toEqual({ ticket_id: 2, body: 'Internal remark', internal: true, type: 'note' });
    expect(note).toMatchObject({ ticket_id: 2, internal: true, type: 'note', sender: 'Agent' });
    expect(await c.listArticles(2, {})).toHaveLength(before + 2);
    expect(await c.tag('add', 2, 'noise', {})).toEqual({ ticket_id: 2, tag: 'noise', added: true });
    expect(last()).toMatchObject({ method: 'POST', path: '/api/v1/tags/add' });
    expect(json()).toEqual({ item: 'noise', object: 'Ticket', o_id: 2 });
    expect(await c.tags(2, {})).toEqual(['noise']);
    expect(last().path).toBe('/api/v1/tags?object=Ticket&o_id=2');
    await c.tag('remove', 2, 'noise', {});
    expect(last()).toMatchObject({ method: 'DELETE', path: '/api/v1/tags/remove' });
    expect(await c.tags(2, {})).toEqual([]);
  });

  test('merge takes the source id and the target number; a failed merge (200) is an error', async () => {
    const src = await c.createTicket(
      { title: 'dup', group: 'Users', customer: '2', article: { body: 'same again' } },
      {},
    );
    const done = await c.mergeTickets(src.id as number, '71001', {});
    expect(last()).toMatchObject({ method: 'PUT', path: `/api/v1/ticket_merge/${src.id}/71001` });
    expect(done).toMatchObject({
      result: 'success',
      target_ticket: { number: '71001' },
      source_ticket: { id: src.id, state_id: 5 },
    });
    const e = await failure(c.mergeTickets(1, '99999', {}));
    expect(e.message).toBe('merge failed: The target ticket number could not be found.');
    expect(e.hint).toMatch(/display number/);
  });

  test('users: create (at least one identifier), update, delete; references block a delete', async () => {
    await expect(c.createUser({ phone: '123' }, {})).rejects.toBeInstanceOf(InputError);
    expect(emu.seen).toHaveLength(0);
    const u = await c.createUser(
      {
        firstname: 'Lena',
        lastname: 'Roe',
        email: 'lena@example.com',
        organization: 'Chrispresso Inc.',
        roles: ['Agent'],
      },
      {},
    );
    expect(json()).toEqual({
      firstname: 'Lena',
      lastname: 'Roe',
      email: 'lena@example.com',
      organization: 'Chrispresso Inc.',
      roles: ['Agent'],
    });
    expect(u).toMatchObject({ login: 'lena@example.com', organization_id: 2, role_ids: [2] });
    const dup = await failure(c.createUser({ email: 'lena@example.com' }, {}));
    expect([dup.status, dup.message]).toEqual([
      422,
      "Email address 'lena@example.com' is already used for another user.",
    ]);
    expect(await c.updateUser(u.id as number, { phone: '+49 30 1234' }, {})).toMatchObject({ phone: '+49 30 1234' });
    expect(await c.remove('users', u.id as number, {})).toEqual({ id: u.id, deleted: true });
    expect(last()).toMatchObject({ method: 'DELETE', path: `/api/v1/users/${u.id}` });
    const refs = await failure(c.remove('users', 2, {}));
    expect([refs.status, refs.message]).toEqual([422, "Can't delete, object has references."]);
  });

  test('organizations: create, update, delete', async () => {
    const o = await c.createOrganization({ name: 'Bean Co.', domain: 'bean.example', shared: false }, {});
    expect(o).toMatchObject({ name: 'Bean Co.', domain: 'bean.example', shared: false });
    expect(await c.updateOrganization(o.id as number, { vip: true }, {})).toMatchObject({ vip: true });
    expect(json()).toEqual({ vip: true });
    await c.remove('organizations', o.id as number, {});
    expect((await failure(c.get('organizations', o.id as number, {}))).status).toBe(404);
  });

  test('ticket delete: empty body is fine', async () => {
    const t = await c.createTicket({ title: 'to delete', group: 'Users', customer: '2', article: { body: 'x' } }, {});
    expect(await c.remove('tickets', t.id as number, {})).toEqual({ id: t.id, deleted: true });
    expect(c.previewDelete('tickets', t.id as number)).toBe(`DELETE /api/v1/tickets/${t.id}`);
    expect(c.previewMerge(4, '71001')).toBe('PUT /api/v1/ticket_merge/4/71001');
  });
});
