import { type Call, Emulator, jsonBody, type Reply } from '../emulator.ts';
import * as render from './render.ts';
import { compile, document } from './search.ts';
import { forbidden, notFound, Refusal, type Row, type User, ZammadState } from './state.ts';

/** Zammad's answer to a failure: `{error, error_human}`, and `X-Failure` on 401/403. */
export function failure(status: number, message: string, human = true): Reply {
  return {
    status,
    body: human ? { error: message, error_human: message } : { error: message },
    headers: status === 401 || status === 403 ? { 'x-failure': message } : undefined,
  };
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const int = (v: string | null) => (v && /^\d+$/.test(v) ? Number(v) : 0);
const flag = (call: Call, name: string) => ['true', '1'].includes(call.query.get(name) ?? '');
const viewOf = (call: Call, plain: render.View = 'ids'): render.View => (flag(call, 'expand') ? 'expand' : plain);

/** Zammad's paging: `page` from 1, `per_page` (or `limit`) cut to the endpoint's maximum. */
function paged<T>(list: T[], call: Call, limits: { def: number; max: number }): T[] {
  const page = Math.max(1, int(call.query.get('page')) || 1);
  const per = Math.min(int(call.query.get('per_page') ?? call.query.get('limit')) || limits.def, limits.max);
  return list.slice((page - 1) * per, page * per);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** `sort_by` and `order_by` (both may be comma lists), as Zammad's search and generic index take them. */
function sorted(list: Row[], call: Call, fallback: { by: string; order: string }): Row[] {
  const by = (call.query.get('sort_by') || fallback.by).split(',').map((s) => s.trim());
  const order = (call.query.get('order_by') || fallback.order).split(',').map((s) => s.trim().toLowerCase());
  return [...list].sort((a, b) => {
    for (const [i, key] of by.entries()) {
      const c = compare(a[key], b[key]) * ((order[i] ?? order[0]) === 'desc' ? -1 : 1);
      if (c) return c;
    }
    return compare(a.id, b.id);
  });
}

const INDEX = { def: 500, max: 1000 };
const LIMITS = { tickets: { def: 100, max: 100 }, ticketSearch: { def: 50, max: 200 }, users: { def: 100, max: 1000 } };
const SEARCH_ORDER = { by: 'updated_at', order: 'desc' };

export interface ZammadEmulatorOptions {
  /** `Authorization: Token token=…` of the API user (admin@example.com). */
  token: string;
  oauthToken?: string;
  password?: string;
  state?: ZammadState;
}

/** The Zammad emulator; `state` is exposed for tests and fault injection. */
export class ZammadEmulator extends Emulator {
  constructor(readonly state: ZammadState) {
    super('zammad');
  }
}

const API_USER = 5;

export function zammadEmulator(opts: ZammadEmulatorOptions): ZammadEmulator {
  const s = opts.state ?? ZammadState.seeded();
  s.tokens.set(opts.token, API_USER);
  if (opts.oauthToken) s.oauth.set(opts.oauthToken, API_USER);
  if (opts.password) s.passwords.set('admin@example.com', opts.password);
  const emu = new ZammadEmulator(s);
  const acting = new WeakMap<Call, User>();

  /** Token, Bearer or Basic; then `From` (or the deprecated `X-On-Behalf-Of`) for acting as another user. */
  function authenticate(call: Call): { user: User } | { reply: Reply } {
    const header = call.headers.authorization ?? '';
    let id: number | undefined;
    const token = /^Token\s+token="?([^",]*)"?/i.exec(header)?.[1]?.trim();
    // Rails treats a blank token like no credentials at all.
    if (/^Token /i.test(header) && token) {
      if (!s.settings.api_token_access) return { reply: failure(403, 'API token access disabled!') };
      id = s.tokens.get(token);
      if (id === undefined) return { reply: failure(401, "Can't find User for Token") };
    } else if (/^Bearer /i.test(header)) {
      id = s.oauth.get(header.slice(7).trim());
      if (id === undefined) return { reply: failure(401, 'The provided token is invalid.') };
    } else if (/^Basic /i.test(header)) {
      if (!s.settings.api_password_access) return { reply: failure(403, 'API password access disabled!') };
      const [login, ...rest] = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8').split(':');
      const expected = s.passwords.get(String(login).toLowerCase());
      if (expected === undefined || expected !== rest.join(':'))
        return { reply: failure(401, 'Invalid BasicAuth credentials') };
      id = s.findUser(login)?.id;
    } else return { reply: failure(403, 'Authentication required') };
    const user = s.users.get(id as number);
    if (!user || user.active === false) return { reply: failure(401, 'User is inactive.') };
    const from = (call.headers.from ?? call.headers['x-on-behalf-of'] ?? '').trim().toLowerCase();
    if (!from) return { user };
    if (!s.can(user, 'admin.user'))
      return { reply: failure(403, "Current user has no permission to use 'From'/'X-On-Behalf-Of'!") };
    const other = s.findUser(from);
    return other ? { user: other } : { reply: failure(403, `No such user '${from}'`) };
  }

  emu.hook((call) => {
    const who = authenticate(call);
    if ('reply' in who) return who.reply;
    acting.set(call, who.user);
    return undefined;
  });
  emu.fallback = (call) => failure(404, `No route matches [${call.method}] ${call.path}`);

  const r = (method: string, path: string, fn: (call: Call, me: User, body: Row) => Reply) =>
    emu.route(method, `/api/v1${path}`, (call) => {
      try {
        const b = jsonBody(call);
        return fn(call, acting.get(call) as User, b && typeof b === 'object' && !Array.isArray(b) ? (b as Row) : {});
      } catch (err) {
        if (err instanceof Refusal) return failure(err.status, err.message, err.human);
        throw err;
      }
    });

  // Tickets: `search` before `:id`, as Rails routes them.
  r('GET', '/tickets', (c, me) => {
    const list = [...s.tickets.values()].filter((t) => s.sees(me, t));
    return ok(paged(list, c, LIMITS.tickets).map((t) => render.ticket(s, t, viewOf(c))));
  });
  const ticketSearch = (c: Call, me: User) => {
    const match = compile(c.query.get('query') ?? '') ?? (() => false);
    const hits = [...s.tickets.values()].filter((t) => s.sees(me, t) && match(document(s, 'tickets', t)));
    const page = paged(sorted(hits, c, SEARCH_ORDER), c, LIMITS.ticketSearch);
    if (s.settings.legacySearch && !flag(c, 'expand')) {
      const assets = Object.fromEntries(page.map((t) => [String(t.id), render.ticket(s, t, 'ids')]));
      return ok({
        tickets: page.map((t) => t.id),
        tickets_count: page.length,
        assets: page.length ? { Ticket: assets } : {},
      });
    }
    return ok(page.map((t) => render.ticket(s, t, viewOf(c))));
  };
  r('GET', '/tickets/search', ticketSearch);
  r('POST', '/tickets/search', ticketSearch);
  r('GET', '/tickets/:id', (c, me) => ok(render.ticket(s, s.visibleTicket(me, c.params.id), viewOf(c, 'columns'))));
  r('POST', '/tickets', (c, me, b) => ok(render.ticket(s, s.createTicket(b, me), viewOf(c)), 201));
  r('PUT', '/tickets/:id', (c, me, b) => ok(render.ticket(s, s.updateTicket(c.params.id, b, me), viewOf(c))));
  r('DELETE', '/tickets/:id', (c, me) => {
    s.deleteTicket(c.params.id, me);
    // `head :ok`: an empty body, served as text/html.
    return { status: 200, body: '', headers: { 'content-type': 'text/html' } };
  });
  r('PUT', '/ticket_merge/:source/:number', (c, me) => {
    const result = s.merge(c.params.source, c.params.number as string, me);
    if (result.result !== 'success') return ok(result);
    return ok({
      ...result,
      target_ticket: render.ticket(s, result.target_ticket as Row, 'ids'),
      source_ticket: render.ticket(s, result.source_ticket as Row, 'ids'),
    });
  });

  // Articles always carry names.
  r('GET', '/ticket_articles/by_ticket/:id', (c, me) =>
    ok(s.articlesOf(c.params.id, me).map((a) => render.article(s, a))),
  );
  r('GET', '/ticket_articles/:id', (c, me) => {
    const a = s.articles.get(Number(c.params.id));
    if (!a) throw notFound('Ticket::Article', c.params.id);
    s.visibleTicket(me, a.ticket_id);
    return ok(render.article(s, a));
  });
  r('POST', '/ticket_articles', (_c, me, b) => ok(render.article(s, s.createArticle(b, me)), 201));

  // Tags.
  r('GET', '/tags', (c, me) => {
    if (c.query.get('object') !== 'Ticket') throw new Refusal(422, 'Invalid object');
    return ok({ tags: s.tagsOf(c.query.get('o_id'), me) });
  });
  r('POST', '/tags/add', (_c, me, b) => {
    s.tag('add', b, me);
    return ok(true, 201);
  });
  r('DELETE', '/tags/remove', (_c, me, b) => {
    s.tag('remove', b, me);
    return ok(true);
  });

  // Users: `me` and `search` before `:id`.
  const visibleUsers = (me: User) => [...s.users.values()].filter((u) => s.isAgent(me) || u.id === me.id);
  r('GET', '/users', (c, me) => ok(paged(visibleUsers(me), c, LIMITS.users).map((u) => render.user(s, u, viewOf(c)))));
  r('GET', '/users/me', (c, me) => ok(render.user(s, me, viewOf(c))));
  r('GET', '/users/search', (c, me) => {
    const match = compile(c.query.get('query') ?? '') ?? (() => false);
    // `permissions` narrows to users holding them (users_controller#search passes it to User.search).
    const perms = c.query.getAll('permissions').concat(c.query.getAll('permissions[]'));
    const hits = visibleUsers(me).filter((u) => match(document(s, 'users', u)) && perms.every((p) => s.can(u, p)));
    return ok(paged(sorted(hits, c, SEARCH_ORDER), c, LIMITS.users).map((u) => render.user(s, u as User, viewOf(c))));
  });
  r('GET', '/users/:id', (c, me) => {
    const u = s.user(c.params.id);
    if (!s.isAgent(me) && u.id !== me.id) throw forbidden();
    return ok(render.user(s, u, viewOf(c)));
  });
  r('POST', '/users', (c, me, b) => {
    s.require(me, 'ticket.agent');
    return ok(render.user(s, s.createUser(b, me), viewOf(c)), 201);
  });
  r('PUT', '/users/:id', (c, me, b) => ok(render.user(s, s.updateUser(c.params.id, b, me), viewOf(c))));
  r('DELETE', '/users/:id', (c, me) => {
    s.deleteUser(c.params.id, me);
    return ok({});
  });

  // Organizations.
  const visibleOrgs = (me: User) =>
    [...s.organizations.values()].filter((o) => s.isAgent(me) || o.id === me.organization_id);
  r('GET', '/organizations', (c, me) =>
    ok(
      paged(sorted(visibleOrgs(me), c, { by: 'id', order: 'asc' }), c, INDEX).map((o) =>
        render.organization(s, o, viewOf(c)),
      ),
    ),
  );
  r('GET', '/organizations/search', (c, me) => {
    const match = compile(c.query.get('query') ?? '') ?? (() => false);
    const hits = visibleOrgs(me).filter((o) => match(document(s, 'organizations', o)));
    return ok(paged(sorted(hits, c, SEARCH_ORDER), c, LIMITS.users).map((o) => render.organization(s, o, viewOf(c))));
  });
  r('GET', '/organizations/:id', (c, me) => {
    const o = s.organization(c.params.id);
    if (!visibleOrgs(me).includes(o)) throw forbidden();
    return ok(render.organization(s, o, viewOf(c)));
  });
  r('POST', '/organizations', (c, me, b) => ok(render.organization(s, s.createOrganization(b, me), viewOf(c)), 201));
  r('PUT', '/organizations/:id', (c, me, b) =>
    ok(render.organization(s, s.updateOrganization(c.params.id, b, me), viewOf(c))),
  );
  r('DELETE', '/organizations/:id', (c, me) => {
    s.deleteOrganization(c.params.id, me);
    return ok({});
  });

  // Groups, states, priorities: Zammad's generic index (sortable, 500 per page, at most 1000).
  r('GET', '/groups', (c) =>
    ok(
      paged(sorted([...s.groups.values()], c, { by: 'id', order: 'asc' }), c, INDEX).map((g) =>
        render.group(s, g, viewOf(c)),
      ),
    ),
  );
  r('GET', '/groups/:id', (c) => ok(render.group(s, s.group(c.params.id), viewOf(c))));
  r('POST', '/groups', (c, me, b) => ok(render.group(s, s.createGroup(b, me), viewOf(c)), 201));
  r('PUT', '/groups/:id', (c, me, b) => ok(render.group(s, s.updateGroup(c.params.id, b, me), viewOf(c))));
  r('DELETE', '/groups/:id', (c, me) => {
    s.deleteGroup(c.params.id, me);
    return ok({});
  });
  for (const [path, table, show, model] of [
    ['ticket_states', s.states, render.state, 'Ticket::State'],
    ['ticket_priorities', s.priorities, render.priority, 'Ticket::Priority'],
  ] as const) {
    r('GET', `/${path}`, (c) =>
      ok(paged(sorted([...table.values()], c, { by: 'id', order: 'asc' }), c, INDEX).map((x) => show(s, x, viewOf(c)))),
    );
    r('GET', `/${path}/:id`, (c) => {
      const x = table.get(Number(c.params.id));
      if (!x) throw notFound(model, c.params.id);
      return ok(show(s, x, viewOf(c)));
    });
  }
  return emu;
}
