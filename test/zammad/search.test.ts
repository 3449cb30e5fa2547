// The emulator's search speaks Zammad's query language. Sources (zammad/zammad):
// - lib/search_index_backend.rb, search_by_index: `query_string` with `default_operator: 'AND'`,
//   `analyze_wildcard: true`; append_wildcard_to_simple_query adds `*` to a query without `:`; a query
//   Elasticsearch refuses is logged and answered with no hits (`data = []` on a failed response).
// - app/models/application_model/can_lookup_search_index_attributes.rb, search_index_attribute_lookup: every
//   `<x>_id` column is indexed as `<x>` holding the related record's attributes (so `state.name`, `owner.email`,
//   `customer.email`, `group.name`, `organization.name`).
// - app/models/ticket/search_index.rb: tickets add `tags` and `article` (nested, include_in_parent).
// - app/models/user/search_index.rb: users add `fullname` and `permissions`.
import { describe, expect, test, vi } from 'vitest';
import { compile, document, matches } from '../../src/sandbox/zammad/search.ts';
import * as seed from '../../src/sandbox/zammad/seed.ts';
import { ZammadState } from '../../src/sandbox/zammad/state.ts';

const s = ZammadState.seeded();
const tickets = (q: string) =>
  [...s.tickets.values()].filter((t) => matches(document(s, 'tickets', t), q)).map((t) => t.id);
const users = (q: string) =>
  [...s.users.values()].filter((u) => matches(document(s, 'users', u), q)).map((u) => u.login);

describe('Zammad search query language (emulator)', () => {
  test('field:value on nested fields: state.name, owner.email, customer.email, group.name, organization.name', () => {
    expect(tickets('state.name:open')).toEqual([2, 4]);
    expect(tickets('owner.email:alex.smith@example.com')).toEqual([4, 5, 6]);
    expect(tickets('customer.email:"alex.smith@example.com"')).toEqual([7]);
    expect(tickets('group.name:"Service/Desk"')).toEqual([2, 4]);
    expect(tickets('organization.name:"Zammad Foundation"')).toEqual([1, 5]);
    expect(tickets('priority.name:"3 high"')).toEqual([2, 4]);
  });

  test('a field that holds an object matches nothing (state:open is not state.name:open)', () => {
    expect(tickets('state:open')).toEqual([]);
  });

  test('AND, OR, NOT, leading -, implicit AND, and parentheses', () => {
    expect(tickets('state.name:open AND customer.email:samuel@example.com')).toEqual([2, 4]);
    expect(tickets('state.name:open customer.email:samuel@example.com')).toEqual([2, 4]);
    expect(tickets('state.name:new OR state.name:closed')).toEqual([1, 3, 6, 7]);
    expect(tickets('owner.email:alex.smith@example.com AND NOT state.name:closed')).toEqual([4, 5]);
    expect(tickets('owner.email:alex.smith@example.com -state.name:closed')).toEqual([4, 5]);
    expect(tickets('(state.name:new OR state.name:open) AND priority.name:"3 high"')).toEqual([2, 4]);
    // Without parentheses AND binds tighter than OR.
    expect(tickets('state.name:new OR state.name:open AND priority.name:"3 high"')).toEqual([1, 2, 4, 7]);
  });

  test('field:(a OR b) groups and quoted phrases: the offboarding query', () => {
    const open = 'state.name:(new OR open OR "pending reminder")';
    expect(tickets(`owner.email:alex.smith@example.com AND ${open}`)).toEqual([4, 5]);
    expect(tickets(`customer.email:alex.smith@example.com AND ${open}`)).toEqual([7]);
    // A phrase needs its words in order; unquoted words only need to be present.
    expect(tickets('state.name:"reminder pending"')).toEqual([]);
    expect(tickets('state.name:(reminder pending)')).toEqual([5]);
  });

  test('wildcards * and ?, and the * Zammad appends to a query without a colon', () => {
    expect(tickets('title:espress*')).toEqual([4]);
    expect(tickets('title:gr?nder')).toEqual([2]);
    expect(tickets('owner.email:*@example.com AND state.name:open')).toEqual([4]);
    expect(tickets('espress')).toEqual([4]);
    expect(users('christoph')).toEqual(['chris@chrispresso.com']);
  });

  test('tags, articles, numbers and keyword subfields', () => {
    s.tags.set(2, ['hardware']);
    expect(tickets('tags:hardware')).toEqual([2]);
    expect(tickets('article.body:boiler')).toEqual([4]);
    expect(tickets('article.from:"samuel@example.com" AND state.name:closed')).toEqual([3, 6]);
    expect(tickets('number:71003')).toEqual([3]);
    expect(tickets('state.name.keyword:"pending reminder"')).toEqual([5]);
    expect(tickets('state.name.keyword:Pending*')).toEqual([]);
  });

  test('users: fullname, permissions, organization', () => {
    expect(users('fullname:"Alex Smith"')).toEqual(['alex.smith@example.com']);
    expect(users('permissions:ticket.agent AND organization.name:"Chrispresso Inc."')).toEqual([
      'chris@chrispresso.com',
      'jacob@chrispresso.com',
    ]);
  });

  test('a query Elasticsearch cannot parse gives no hits, as Zammad answers it', () => {
    expect(compile('(state.name:open')).toBeUndefined();
    expect(compile('title:"open')).toBeUndefined();
    expect(compile('state.name:open)')).toBeUndefined();
    expect(tickets('(state.name:open')).toEqual([]);
    expect(compile('*')?.({})).toBe(true);
  });
});

describe('the seed does not depend on the clock', () => {
  test('records seeded a millisecond apart carry one time, so a search by updated_at keeps the seed order', () => {
    // A clock that moves on at every reading: seeding may cross a millisecond anywhere (a flaky order before).
    let t = Date.parse('2026-01-05T09:00:00.000Z');
    const real = Date;
    vi.stubGlobal(
      'Date',
      class extends real {
        constructor(...args: ConstructorParameters<typeof Date> | []) {
          if (args.length === 0) super(t++);
          else super(...(args as ConstructorParameters<typeof Date>));
        }
      },
    );
    let seeded: ZammadState;
    try {
      seeded = ZammadState.seeded();
    } finally {
      vi.unstubAllGlobals();
    }
    const stamps = (rows: Iterable<Record<string, unknown>>, given: Set<unknown>) =>
      new Set([...rows].filter((r) => !given.has(r.id)).flatMap((r) => [r.created_at, r.updated_at]));
    const dated = (list: Array<Record<string, unknown>>) => new Set(list.filter((r) => r.updated_at).map((r) => r.id));
    expect(stamps(seeded.tickets.values(), dated(seed.TICKETS)).size).toBe(1);
    expect(stamps(seeded.users.values(), dated(seed.USERS.map((u) => u.row))).size).toBe(1);
    expect(stamps(seeded.articles.values(), dated(seed.ARTICLES)).size).toBe(1);
  });
});
