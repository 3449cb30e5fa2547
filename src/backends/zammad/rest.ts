import type { ZammadConfig } from '../../config.ts';
import { BackendError, InputError } from '../../errors.ts';
import { given } from '../../objects.ts';
import { describe, HttpClient, impliedWait, parseJson, type Req, type Res, segment } from '../http.ts';
import { Refs } from './refs.ts';
import type {
  ArticleFields,
  Call,
  NewTicket,
  OrganizationFields,
  Page,
  Paging,
  Read,
  Resource,
  Row,
  Searchable,
  TicketFields,
  UserFields,
  ZammadApi,
} from './types.ts';

const API = '/api/v1';

/** Zammad's hard page-size limits per endpoint (larger requests are cut to these silently). */
const MAX_PER_PAGE: Record<string, number> = { tickets: 100, 'tickets/search': 200 };
const DEFAULT_PER_PAGE = 25;

/** States 3 and 7 are Zammad's default pending states; custom ones carry "pending" in their name. */
export const isPendingState = (state: string) => /pending/i.test(state) || state === '3' || state === '7';

export function authorization(auth: ZammadConfig['auth']): string {
  if (auth.kind === 'token') return `Token token=${auth.token}`;
  if (auth.kind === 'bearer') return `Bearer ${auth.token}`;
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/** Zammad answers `{error, error_human}`; `error_human` is the better text when present. */
export function zammadMessage(res: Res): string {
  try {
    const body = JSON.parse(res.text) as { error?: unknown; error_human?: unknown; message?: unknown };
    const msg = body?.error_human ?? body?.error ?? body?.message;
    if (msg !== undefined) return String(msg);
  } catch {
    if (/^\s*</.test(res.text)) return 'answered with an HTML page, not the Zammad API';
  }
  return res.text || res.headers['x-failure'] || '';
}

const SEARCH_TOOL: Record<string, string> = {
  Ticket: 'zammad_search_tickets (tools take the internal id, not the number)',
  User: 'zammad_search_users',
  Organization: 'zammad_search_organizations',
  Group: 'zammad_list_groups',
};

export function hintFor(status: number, message: string): string | undefined {
  if (status === 401) return 'Check ZAMMAD_TOKEN, ZAMMAD_OAUTH_TOKEN or ZAMMAD_USERNAME and ZAMMAD_PASSWORD.';
  if (status === 403) {
    if (/authentication required/i.test(message))
      return 'No credentials reached Zammad: check the configured ZAMMAD_* credentials and any proxy in between.';
    if (/permission to use 'From'/i.test(message))
      return 'The API user lacks the admin.user permission that on_behalf_of needs: retry without on_behalf_of.';
    if (/no such user/i.test(message)) return 'Check on_behalf_of (user id, login or email) with zammad_search_users.';
    if (/access disabled/i.test(message))
      return 'A Zammad admin must enable this API access method (Settings > System > API).';
    return 'The acting user lacks the permission (for tickets: access to the group).';
  }
  if (status === 404) {
    const model = /Couldn't find (\w+)/.exec(message)?.[1];
    const where = model && SEARCH_TOOL[model];
    return where ? `Check the id with ${where}.` : undefined;
  }
  if (status >= 500) return 'Zammad failed; retry later.';
  return undefined;
}

/** A reference by name or by id: digits go to `<field>_id`, anything else to `<field>` (Zammad looks the name up). */
function ref(field: string, value: string | undefined): Row {
  if (value === undefined) return {};
  return /^\d+$/.test(value) ? { [`${field}_id`]: Number(value) } : { [field]: value };
}

function checkPending(t: TicketFields): void {
  if (t.state !== undefined && isPendingState(t.state) && !t.pending_time) {
    throw new InputError(
      'pending_time',
      `required when state is "${t.state}" (a pending state); give an ISO 8601 time such as 2030-01-31T09:00:00Z`,
    );
  }
}

function ticketBody(t: TicketFields): Row {
  return given({
    title: t.title,
    ...ref('group', t.group),
    ...ref('state', t.state),
    ...ref('priority', t.priority),
    ...ref('owner', t.owner),
    pending_time: t.pending_time,
    article: t.article && given({ ...t.article }),
  });
}

/** Zammad before 6.4 answered ticket searches with `{tickets: [ids], assets}`; both shapes become a list. */
function searchItems(body: unknown): Row[] {
  if (Array.isArray(body)) return body as Row[];
  if (body && typeof body === 'object') {
    const b = body as { tickets?: unknown; assets?: { Ticket?: Record<string, Row> } };
    if (Array.isArray(b.tickets)) return b.tickets.map((id) => b.assets?.Ticket?.[String(id)] ?? { id });
  }
  if (body === undefined) return [];
  throw new BackendError('zammad', 200, 'unexpected answer to a search (neither a list nor the legacy search shape)');
}

/**
 * `From` carries on_behalf_of as a header: only ASCII goes out unambiguously (Latin-1 bytes would reach
 * Zammad as another name), so anything else is refused with a way round.
 */
function fromHeader(value: string): void {
  if (/[^\x20-\x7e]/.test(value)) {
    throw new InputError(
      'on_behalf_of',
      'must be plain ASCII (it is sent in the From header); pass the user id instead (zammad_search_users finds it)',
    );
  }
}

/** Zammad's REST API under `/api/v1`: Token, Bearer or Basic auth, `From` for acting on behalf of a user. */
export class ZammadRest implements ZammadApi {
  readonly http: HttpClient;
  /** Valid states, priorities, groups and agents, briefly cached. */
  private readonly refs = new Refs(async (path, query, o) => {
    const body = await this.send({ method: 'GET', path: `${API}/${path}`, query }, o);
    return (Array.isArray(body) ? body : []) as Row[];
  });

  constructor(cfg: ZammadConfig, opts: { timeoutMs: number; maxRetryWaitMs: number }) {
    const header = authorization(cfg.auth);
    this.http = new HttpClient({
      backend: 'zammad',
      baseUrl: cfg.url,
      timeoutMs: opts.timeoutMs,
      maxRetryWaitMs: opts.maxRetryWaitMs,
      headers: () => ({ authorization: header, accept: 'application/json' }),
      throttled: (res) => (res.status === 429 ? (impliedWait(res.headers) ?? 1000) : undefined),
      message: zammadMessage,
      failure: (res, f) =>
        new BackendError(
          'zammad',
          res.status,
          f.message,
          f.throttled ? f.hint : (hintFor(res.status, f.message) ?? f.hint),
        ),
    });
  }

  static requests = {
    remove: (resource: string, id: number): Req => ({ method: 'DELETE', path: `${API}/${resource}/${segment(id)}` }),
    merge: (sourceId: number, targetNumber: string): Req => ({
      method: 'PUT',
      path: `${API}/ticket_merge/${segment(sourceId)}/${segment(targetNumber)}`,
    }),
  };

  previewDelete(resource: 'tickets' | 'users' | 'organizations', id: number): string {
    return describe(ZammadRest.requests.remove(resource, id));
  }
  previewMerge(sourceId: number, targetNumber: string): string {
    return describe(ZammadRest.requests.merge(sourceId, targetNumber));
  }

  /** Sends with `From` when acting on behalf of someone. */
  private async send(req: Req, o: Call): Promise<unknown> {
    if (o.as !== undefined) fromHeader(o.as);
    const withFrom = o.as ? { ...req, headers: { ...req.headers, From: o.as } } : req;
    return parseJson('zammad', await this.http.send(withFrom, o.signal));
  }

  private async record(req: Req, o: Call): Promise<Row> {
    const body = await this.send(req, o);
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Row;
    throw new BackendError('zammad', 200, `unexpected answer to ${describe(req)} (expected an object)`);
  }

  private async page(path: string, o: Paging, query: Req['query'] = {}, search = false): Promise<Page> {
    const page = o.page ?? 1;
    const per_page = Math.min(o.per_page ?? DEFAULT_PER_PAGE, MAX_PER_PAGE[path] ?? 1000);
    const req: Req = {
      method: 'GET',
      path: `${API}/${path}`,
      query: {
        ...query,
        page,
        per_page,
        sort_by: o.sort_by,
        order_by: o.order_by,
        expand: o.expand ? true : undefined,
      },
    };
    const body = await this.send(req, o);
    const items = search ? searchItems(body) : ((body ?? []) as Row[]);
    if (!Array.isArray(items))
      throw new BackendError('zammad', 200, `unexpected answer to ${describe(req)} (expected a list)`);
    return { items, page, per_page, has_more: items.length >= per_page };
  }

  list(resource: Resource, o: Paging): Promise<Page> {
    return this.page(resource, o);
  }
  search(resource: Searchable, query: string, o: Paging): Promise<Page> {
    return this.page(`${resource}/search`, o, { query }, true);
  }
  get(resource: Resource, id: number, o: Read): Promise<Row> {
    return this.record(
      { method: 'GET', path: `${API}/${resource}/${segment(id)}`, query: { expand: o.expand ? true : undefined } },
      o,
    );
  }
  me(o: Read): Promise<Row> {
    return this.record({ method: 'GET', path: `${API}/users/me`, query: { expand: o.expand ? true : undefined } }, o);
  }
  async remove(resource: 'tickets' | 'users' | 'organizations', id: number, o: Call): Promise<Row> {
    const body = await this.send(ZammadRest.requests.remove(resource, id), o);
    return { ...(body && typeof body === 'object' ? body : {}), id, deleted: true };
  }

  /** State, priority, group and owner checked against Zammad's own lists before anything is written. */
  private async checked<T extends TicketFields>(t: T, o: Call): Promise<T> {
    const out = { ...t };
    for (const kind of ['state', 'priority', 'group'] as const) {
      const v = t[kind];
      if (v !== undefined) out[kind] = await this.refs.name(kind, v, o);
    }
    if (t.owner !== undefined) out.owner = await this.refs.owner(t.owner, o);
    return out;
  }

  async getByNumber(number: string, o: Read): Promise<Row> {
    const hits = await this.search('tickets', `number:${number}`, { ...o, expand: false, per_page: 10 });
    const hit = hits.items.find((t) => String(t.number) === number);
    if (!hit) {
      throw new BackendError(
        'zammad',
        404,
        `no ticket with number ${number}`,
        'Check the number with zammad_search_tickets.',
      );
    }
    return this.get('tickets', Number(hit.id), o);
  }

  async createTicket(input: NewTicket, o: Call): Promise<Row> {
    checkPending(input);
    const t = await this.checked(input, o);
    const c = t.customer;
    // `guess:` finds the customer by email or creates it, so a first-time customer works.
    const customer = /^\d+$/.test(c)
      ? { customer_id: Number(c) }
      : c.includes('@')
        ? { customer_id: `guess:${c}` }
        : { customer: c };
    const json = { ...ticketBody(t), ...customer, ...given({ tags: t.tags?.join(',') }) };
    return this.record({ method: 'POST', path: `${API}/tickets`, json }, o);
  }
  async updateTicket(id: number, input: TicketFields, o: Call): Promise<Row> {
    checkPending(input);
    const t = await this.checked(input, o);
    const json = { ...ticketBody(t), ...ref('customer', t.customer) };
    const r = await this.record({ method: 'PUT', path: `${API}/tickets/${segment(id)}`, json }, o);
    // Zammad unassigns instead of refusing an owner without full access to the group (check_owner_active).
    if (t.owner !== undefined && /^\d+$/.test(t.owner) && r.owner_id !== undefined && String(r.owner_id) !== t.owner) {
      return {
        ...r,
        warning: `Zammad did not assign owner ${input.owner} (owner_id is ${String(r.owner_id)}): an owner needs full access to the ticket's group`,
      };
    }
    return r;
  }
  async mergeTickets(sourceId: number, targetNumber: string, o: Call): Promise<Row> {
    const body = await this.record(ZammadRest.requests.merge(sourceId, targetNumber), o);
    if (body.result !== 'success') {
      throw new BackendError(
        'zammad',
        200,
        `merge failed: ${String(body.message ?? body.result ?? 'no reason given')}`,
        'source_id is the internal id (zammad_get_ticket), target_number the display number (zammad_search_tickets).',
      );
    }
    return body;
  }

  async listArticles(ticketId: number, o: Call): Promise<Row[]> {
    const body = await this.send({ method: 'GET', path: `${API}/ticket_articles/by_ticket/${segment(ticketId)}` }, o);
    return (Array.isArray(body) ? body : []) as Row[];
  }
  createArticle(ticketId: number, a: ArticleFields, o: Call): Promise<Row> {
    return this.record(
      { method: 'POST', path: `${API}/ticket_articles`, json: { ticket_id: ticketId, ...given(a) } },
      o,
    );
  }

  async createUser(u: UserFields, o: Call): Promise<Row> {
    if (!u.email && !u.login && !u.firstname && !u.lastname) {
      throw new InputError('email', 'give at least one of email, login, firstname, lastname');
    }
    return this.record({ method: 'POST', path: `${API}/users`, json: given(u) }, o);
  }
  updateUser(id: number, u: UserFields, o: Call): Promise<Row> {
    return this.record({ method: 'PUT', path: `${API}/users/${segment(id)}`, json: given(u) }, o);
  }
  createOrganization(org: OrganizationFields & { name: string }, o: Call): Promise<Row> {
    return this.record({ method: 'POST', path: `${API}/organizations`, json: given(org) }, o);
  }
  updateOrganization(id: number, org: OrganizationFields, o: Call): Promise<Row> {
    return this.record({ method: 'PUT', path: `${API}/organizations/${segment(id)}`, json: given(org) }, o);
  }

  async listAll(resource: 'ticket_states' | 'ticket_priorities', o: Call): Promise<Row[]> {
    const body = await this.send({ method: 'GET', path: `${API}/${resource}` }, o);
    return (Array.isArray(body) ? body : []) as Row[];
  }

  async tags(ticketId: number, o: Call): Promise<string[]> {
    const body = (await this.record(
      { method: 'GET', path: `${API}/tags`, query: { object: 'Ticket', o_id: ticketId } },
      o,
    )) as { tags?: unknown };
    return Array.isArray(body.tags) ? body.tags.map(String) : [];
  }
  async tag(op: 'add' | 'remove', ticketId: number, tag: string, o: Call): Promise<Row> {
    const req: Req = {
      method: op === 'add' ? 'POST' : 'DELETE',
      path: `${API}/tags/${op}`,
      json: { item: tag, object: 'Ticket', o_id: ticketId },
    };
    await this.send(req, o);
    return { ticket_id: ticketId, tag, [op === 'add' ? 'added' : 'removed']: true };
  }
}
