// The helpdesk behind the Zammad emulator: users, organizations, groups, tickets, articles and tags with Zammad's
// rules and messages. Failures are Refusals carrying the HTTP status and Zammad's error text.

import { randomUUID } from 'node:crypto';
import {
  articleRow,
  groupRow,
  now,
  organizationRow,
  priorityRow,
  type Row,
  stateRow,
  ticketRow,
  userRow,
} from './records.ts';
import * as seed from './seed.ts';

export type { Row };

export class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Zammad leaves `error_human` out of a few answers (the `guess:` customer failure, old 404s). */
    readonly human = true,
  ) {
    super(message);
  }
}

export interface User extends Row {
  id: number;
  role_ids: number[];
  group_ids: Record<string, string[]>;
}

export const notFound = (model: string, id: unknown) => new Refusal(404, `Couldn't find ${model} with 'id'=${id}`);
export const forbidden = () => new Refusal(403, 'Not authorized');
const unprocessable = (msg: string) => new Refusal(422, msg);
const lookupFailed = (field: string, value: unknown) =>
  unprocessable(`No lookup value found for '${field}': ${JSON.stringify(String(value))}`);

const lc = (v: unknown) =>
  String(v ?? '')
    .trim()
    .toLowerCase();
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface StateOptions {
  /** Answer ticket searches in the pre-6.4 shape `{tickets: [ids], tickets_count, assets}`. */
  legacySearch?: boolean;
}

export class ZammadState {
  readonly users = new Map<number, User>();
  readonly organizations = new Map<number, Row>();
  readonly groups = new Map<number, Row>();
  readonly states = new Map<number, Row>();
  readonly priorities = new Map<number, Row>();
  readonly tickets = new Map<number, Row>();
  readonly articles = new Map<number, Row>();
  readonly tags = new Map<number, string[]>();
  /** Credentials: token (Token or Bearer) → user id; login → password for Basic. */
  readonly tokens = new Map<string, number>();
  readonly oauth = new Map<string, number>();
  readonly passwords = new Map<string, string>();
  readonly settings = { api_token_access: true, api_password_access: true, legacySearch: false };
  private next = { user: 8, organization: 4, group: 5, ticket: 8, article: 11 };

  static seeded(opts: StateOptions = {}): ZammadState {
    const s = new ZammadState();
    s.settings.legacySearch = opts.legacySearch ?? false;
    // One time for every seeded record without its own: records made a millisecond apart would sort by it
    // (searches are by updated_at), and the order of the seed would depend on the clock.
    const at = now();
    const dated = (r: Row): Row => ({ created_at: at, updated_at: at, ...r });
    for (const st of seed.STATES) s.states.set(st.id as number, stateRow(dated(st)));
    for (const p of seed.PRIORITIES) s.priorities.set(p.id as number, priorityRow(dated(p)));
    for (const o of seed.ORGANIZATIONS) s.organizations.set(o.id as number, organizationRow(dated(o)));
    for (const g of seed.GROUPS) s.groups.set(g.id as number, groupRow(dated(g)));
    for (const { row, role_ids, group_ids } of seed.USERS)
      s.users.set(row.id as number, { ...userRow(dated(row)), role_ids, group_ids } as User);
    for (const t of seed.TICKETS) s.tickets.set(t.id as number, ticketRow(dated(t)));
    for (const a of seed.ARTICLES) s.articles.set(a.id as number, articleRow(dated(a)));
    for (const t of s.tickets.values()) t.article_count = s.articleIds(t.id as number).length;
    return s;
  }

  // ---- lookups ----

  user(id: unknown): User {
    const u = this.users.get(Number(id));
    if (!u) throw notFound('User', id);
    return u;
  }
  ticket(id: unknown): Row {
    const t = this.tickets.get(Number(id));
    if (!t) throw notFound('Ticket', id);
    return t;
  }
  organization(id: unknown): Row {
    const o = this.organizations.get(Number(id));
    if (!o) throw notFound('Organization', id);
    return o;
  }
  group(id: unknown): Row {
    const g = this.groups.get(Number(id));
    if (!g) throw notFound('Group', id);
    return g;
  }

  /** `From` and `customer`/`owner` values: digits try the id first, then login or email (case-insensitive). */
  findUser(value: unknown): User | undefined {
    const v = lc(value);
    if (/^\d+$/.test(v) && this.users.has(Number(v))) return this.users.get(Number(v));
    return [...this.users.values()].find((u) => lc(u.login) === v || (u.email !== '' && lc(u.email) === v));
  }

  articleIds(ticketId: number): number[] {
    return [...this.articles.values()].filter((a) => a.ticket_id === ticketId).map((a) => a.id as number);
  }

  // ---- permissions (the default roles' rules, simplified) ----

  can(u: User, permission: string): boolean {
    return u.role_ids.some((r) => seed.ROLES.find((x) => x.id === r)?.permissions.includes(permission));
  }
  isAgent(u: User): boolean {
    return this.can(u, 'ticket.agent');
  }
  sees(u: User, t: Row): boolean {
    if (this.isAgent(u)) return String(t.group_id) in u.group_ids;
    return t.customer_id === u.id;
  }
  visibleTicket(u: User, id: unknown): Row {
    const t = this.ticket(id);
    if (!this.sees(u, t)) throw forbidden();
    return t;
  }
  require(u: User, permission: string): void {
    if (!this.can(u, permission)) throw forbidden();
  }

  // ---- name ↔ id ----

  /** Resolves `<field>_id` or `<field>` (a name) in a request body; undefined when neither is given. */
  private lookup(
    body: Row,
    field: string,
    table: Map<number, Row>,
    find = (name: unknown) => [...table.values()].find((r) => lc(r.name) === lc(name)),
  ): number | undefined {
    const id = body[`${field}_id`];
    if (id !== undefined && id !== null && id !== '') {
      if (!table.has(Number(id))) throw lookupFailed(`${field}_id`, id);
      return Number(id);
    }
    const name = body[field];
    if (name === undefined || name === null || name === '') return undefined;
    const hit = find(name);
    if (!hit) throw lookupFailed(field, name);
    return hit.id as number;
  }
  /** Users are found by id, login or email (`findUser`), not by a name. */
  private lookupUser(body: Row, field: string): number | undefined {
    return this.lookup(body, field, this.users, (name) => this.findUser(name));
  }

  // ---- tickets ----

  private touch(r: Row, by: User): void {
    r.updated_by_id = by.id;
    r.updated_at = now();
  }

  /** `customer_id: "guess:<email>"` finds the customer by email or creates it, as Zammad does. */
  private guessCustomer(value: string, by: User): number {
    const email = value.slice('guess:'.length).trim();
    if (!EMAIL.test(email)) throw new Refusal(422, `Invalid email '${email}' of customer`, false);
    const known = [...this.users.values()].find((u) => lc(u.email) === lc(email));
    return known ? known.id : this.createUser({ email }, by).id;
  }

  createTicket(body: Row, by: User): Row {
    if (typeof body.customer_id === 'string' && body.customer_id.startsWith('guess:')) {
      body = { ...body, customer_id: this.guessCustomer(body.customer_id, by) };
    }
    if (!body.title) throw unprocessable("Attribute 'title' required!");
    const group_id = this.lookup(body, 'group', this.groups);
    if (group_id === undefined) throw unprocessable("Attribute 'group_id' required!");
    let customer_id = this.lookupUser(body, 'customer');
    if (!this.isAgent(by)) customer_id = by.id;
    if (customer_id === undefined) throw unprocessable("Attribute 'customer_id' required!");
    if (this.isAgent(by) && !(String(group_id) in by.group_ids)) throw forbidden();
    const state_id = this.lookup(body, 'state', this.states) ?? this.defaultOf(this.states);
    const priority_id = this.lookup(body, 'priority', this.priorities) ?? this.defaultOf(this.priorities);
    const owner_id = this.lookupUser(body, 'owner') ?? 1;
    if (!this.canOwn(owner_id, group_id)) throw this.invalidOwner(owner_id, by);
    const id = this.next.ticket++;
    const t = ticketRow({
      id,
      group_id,
      priority_id,
      state_id,
      owner_id,
      customer_id,
      organization_id: this.user(customer_id).organization_id,
      number: `${seed.SYSTEM_ID}${String(id).padStart(3, '0')}`,
      title: String(body.title),
      pending_time: body.pending_time ?? null,
      note: body.note ?? null,
      updated_by_id: by.id,
      created_by_id: by.id,
    });
    this.tickets.set(id, t);
    if (typeof body.tags === 'string')
      this.tags.set(id, [
        ...new Set(
          body.tags
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
        ),
      ]);
    if (body.article && typeof body.article === 'object') {
      const a = this.createArticle({ ...(body.article as Row), ticket_id: id }, by);
      t.create_article_type_id = a.type_id;
      t.create_article_sender_id = a.sender_id;
    }
    return t;
  }

  /**
   * Who may own a ticket of a group: user 1 ("unassigned") or an active agent with full access to it
   * (app/models/core_workflow/attributes/user.rb, ticket_owner_id; app/models/ticket.rb, check_owner_active).
   */
  canOwn(userId: number, groupId: number): boolean {
    if (userId === 1) return true;
    const u = this.users.get(userId);
    return !!u && u.active !== false && this.isAgent(u) && (u.group_ids[String(groupId)] ?? []).includes('full');
  }

  /**
   * ChecksCoreWorkflow#check_restrict_values raises Exceptions::ApplicationModel "Invalid value '<id>' for field
   * 'owner_id'!" (422). handles_errors.rb gives it no error_human, and shows the text only to callers allowed to
   * view details (admins); anyone else gets an error id.
   */
  private invalidOwner(ownerId: number, by: User): Refusal {
    const text = this.can(by, 'admin')
      ? `Invalid value '${ownerId}' for field 'owner_id'!`
      : `Error ID ${randomUUID().slice(0, 8)}: Please contact your administrator.`;
    return new Refusal(422, text, false);
  }

  private defaultOf(table: Map<number, Row>): number {
    return ([...table.values()].find((r) => r.default_create)?.id as number) ?? 1;
  }

  updateTicket(id: unknown, body: Row, by: User): Row {
    const t = this.visibleTicket(by, id);
    const next: Row = {};
    if (body.title !== undefined) next.title = String(body.title);
    const group_id = this.lookup(body, 'group', this.groups);
    if (group_id !== undefined) next.group_id = group_id;
    const state_id = this.lookup(body, 'state', this.states);
    if (state_id !== undefined) next.state_id = state_id;
    const priority_id = this.lookup(body, 'priority', this.priorities);
    if (priority_id !== undefined) next.priority_id = priority_id;
    if (this.isAgent(by)) {
      const owner_id = this.lookupUser(body, 'owner');
      if (owner_id !== undefined && owner_id !== t.owner_id) {
        const group = (next.group_id ?? t.group_id) as number;
        const state = (next.state_id ?? t.state_id) as number;
        if (this.canOwn(owner_id, group)) next.owner_id = owner_id;
        // check_owner_active leaves closed tickets alone, so the core workflow check refuses the owner there;
        // on any other ticket it quietly makes the ticket unassigned.
        else if (this.states.get(state)?.state_type_id === 5) throw this.invalidOwner(owner_id, by);
        else next.owner_id = 1;
      }
      const customer_id = this.lookupUser(body, 'customer');
      if (customer_id !== undefined)
        Object.assign(next, { customer_id, organization_id: this.user(customer_id).organization_id });
    }
    if (body.pending_time !== undefined) next.pending_time = body.pending_time;
    if (body.note !== undefined) next.note = body.note;
    Object.assign(t, next);
    if (body.article && typeof body.article === 'object')
      this.createArticle({ ...(body.article as Row), ticket_id: t.id }, by);
    this.touch(t, by);
    return t;
  }

  deleteTicket(id: unknown, by: User): void {
    this.ticket(id);
    this.require(by, 'admin');
    const n = Number(id);
    this.tickets.delete(n);
    this.tags.delete(n);
    for (const aid of this.articleIds(n)) this.articles.delete(aid);
  }

  /** Zammad answers a failed merge with 200 and `{result: "failed"}`. */
  merge(sourceId: unknown, targetNumber: string, by: User): Row {
    const source = this.tickets.get(Number(sourceId));
    if (!source) return { result: 'failed', message: 'The source ticket could not be found.' };
    const target = [...this.tickets.values()].find((t) => t.number === targetNumber);
    if (!target) return { result: 'failed', message: 'The target ticket number could not be found.' };
    if (!this.sees(by, source) || !this.sees(by, target)) throw forbidden();
    if (source.id === target.id) throw unprocessable("Can't merge ticket with itself!");
    for (const a of this.articles.values()) if (a.ticket_id === source.id) a.ticket_id = target.id;
    source.state_id = 5;
    source.article_count = 0;
    target.article_count = this.articleIds(target.id as number).length;
    this.touch(source, by);
    this.touch(target, by);
    return { result: 'success', target_ticket: target, source_ticket: source };
  }

  // ---- articles ----

  createArticle(body: Row, by: User): Row {
    const t = this.visibleTicket(by, body.ticket_id);
    const typeName = body.type ?? 'note';
    const type =
      seed.ARTICLE_TYPES.find((x) => x.name === lc(typeName)) ??
      (body.type_id ? seed.ARTICLE_TYPES.find((x) => x.id === Number(body.type_id)) : undefined);
    if (!type) throw lookupFailed('type', typeName);
    const senderName = body.sender ?? (this.isAgent(by) ? 'Agent' : 'Customer');
    const sender = seed.SENDERS.find((x) => lc(x.name) === lc(senderName));
    if (!sender) throw lookupFailed('sender', senderName);
    const a = articleRow({
      id: this.next.article++,
      ticket_id: t.id,
      type_id: type.id,
      sender_id: sender.id,
      from: body.from ?? `${by.firstname} ${by.lastname}`.trim(),
      to: body.to ?? null,
      cc: body.cc ?? null,
      subject: body.subject ?? null,
      content_type: body.content_type ?? 'text/plain',
      body: String(body.body ?? ''),
      internal: body.internal === true,
      updated_by_id: by.id,
      created_by_id: by.id,
    });
    this.articles.set(a.id as number, a);
    t.article_count = this.articleIds(t.id as number).length;
    this.touch(t, by);
    return a;
  }

  articlesOf(ticketId: unknown, by: User): Row[] {
    const t = this.visibleTicket(by, ticketId);
    return [...this.articles.values()].filter((a) => a.ticket_id === t.id && (this.isAgent(by) || a.internal !== true));
  }

  // ---- tags ----

  tagsOf(ticketId: unknown, by: User): string[] {
    return this.tags.get(this.visibleTicket(by, ticketId).id as number) ?? [];
  }
  tag(op: 'add' | 'remove', body: Row, by: User): void {
    if (body.object !== 'Ticket') throw unprocessable(`Invalid object ${JSON.stringify(String(body.object ?? ''))}`);
    if (!body.item) throw unprocessable("Attribute 'item' required!");
    const t = this.visibleTicket(by, body.o_id);
    const list = this.tags.get(t.id as number) ?? [];
    const item = String(body.item).trim();
    this.tags.set(
      t.id as number,
      op === 'add' ? [...new Set([...list, item])] : list.filter((x) => lc(x) !== lc(item)),
    );
  }

  // ---- users ----

  createUser(body: Row, by: User): User {
    const ids = ['firstname', 'lastname', 'email', 'login', 'phone', 'mobile'];
    if (!ids.some((k) => body[k])) {
      throw unprocessable(
        'At least one identifier (firstname, lastname, phone, mobile or email) for user is required.',
      );
    }
    const email = String(body.email ?? '').trim();
    if (email && !EMAIL.test(email)) throw unprocessable(`Invalid email '${email}'`);
    if (email && [...this.users.values()].some((u) => lc(u.email) === lc(email))) {
      throw unprocessable(`Email address '${lc(email)}' is already used for another user.`);
    }
    const login = lc(body.login || email || `auto-${randomUUID()}`);
    if ([...this.users.values()].some((u) => lc(u.login) === login)) throw unprocessable('This object already exists.');
    const id = this.next.user++;
    const u = {
      ...userRow({ ...this.userFields(body), id, login, email: lc(email), updated_by_id: by.id, created_by_id: by.id }),
      role_ids: this.roleIds(body) ?? [3],
      group_ids: {},
    } as User;
    this.users.set(id, u);
    return u;
  }

  private userFields(body: Row): Row {
    const out: Row = {};
    for (const k of ['firstname', 'lastname', 'phone', 'note', 'active', 'mobile', 'web', 'vip', 'department'])
      if (body[k] !== undefined) out[k] = body[k];
    const org = this.lookup(body, 'organization', this.organizations);
    if (org !== undefined) out.organization_id = org;
    return out;
  }

  private roleIds(body: Row): number[] | undefined {
    if (Array.isArray(body.role_ids)) return body.role_ids.map(Number);
    if (!Array.isArray(body.roles)) return undefined;
    return body.roles.map((name) => {
      const r = seed.ROLES.find((x) => lc(x.name) === lc(name));
      if (!r) throw lookupFailed('roles', name);
      return r.id;
    });
  }

  updateUser(id: unknown, body: Row, by: User): User {
    const u = this.user(id);
    if (!this.isAgent(by) && by.id !== u.id) throw forbidden();
    const next = this.userFields(body);
    if (body.email !== undefined) {
      const email = lc(body.email);
      if ([...this.users.values()].some((x) => x.id !== u.id && lc(x.email) === email)) {
        throw unprocessable(`Email address '${email}' is already used for another user.`);
      }
      next.email = email;
    }
    if (body.login !== undefined) next.login = lc(body.login);
    const roles = this.roleIds(body);
    if (roles) {
      this.require(by, 'admin.user');
      u.role_ids = roles;
    }
    Object.assign(u, next);
    this.touch(u, by);
    return u;
  }

  /** Any ticket, article or record authorship keeps a user alive. */
  deleteUser(id: unknown, by: User): void {
    const u = this.user(id);
    this.require(by, 'admin.user');
    const refs =
      [...this.tickets.values()].some(
        (t) => t.customer_id === u.id || t.owner_id === u.id || t.created_by_id === u.id,
      ) || [...this.articles.values()].some((a) => a.created_by_id === u.id);
    if (refs || u.id === 1) throw unprocessable("Can't delete, object has references.");
    this.users.delete(u.id);
  }

  // ---- organizations ----

  private orgFields(body: Row): Row {
    const out: Row = {};
    for (const k of ['name', 'shared', 'domain', 'domain_assignment', 'active', 'vip', 'note'])
      if (body[k] !== undefined) out[k] = body[k];
    return out;
  }

  createOrganization(body: Row, by: User): Row {
    this.require(by, 'ticket.agent');
    if (!body.name) throw unprocessable("Attribute 'name' required!");
    if ([...this.organizations.values()].some((o) => lc(o.name) === lc(body.name)))
      throw unprocessable('This object already exists.');
    const id = this.next.organization++;
    const o = organizationRow({ ...this.orgFields(body), id, updated_by_id: by.id, created_by_id: by.id });
    this.organizations.set(id, o);
    return o;
  }

  updateOrganization(id: unknown, body: Row, by: User): Row {
    const o = this.organization(id);
    this.require(by, 'ticket.agent');
    const f = this.orgFields(body);
    if (
      f.name !== undefined &&
      [...this.organizations.values()].some((x) => x.id !== o.id && lc(x.name) === lc(f.name))
    ) {
      throw unprocessable('This object already exists.');
    }
    Object.assign(o, f);
    this.touch(o, by);
    return o;
  }

  deleteOrganization(id: unknown, by: User): void {
    const o = this.organization(id);
    this.require(by, 'admin.organization');
    const refs =
      [...this.users.values()].some((u) => u.organization_id === o.id) ||
      [...this.tickets.values()].some((t) => t.organization_id === o.id);
    if (refs) throw unprocessable("Can't delete, object has references.");
    this.organizations.delete(o.id as number);
  }

  // ---- groups ----

  createGroup(body: Row, by: User): Row {
    this.require(by, 'admin.group');
    if (!body.name) throw unprocessable("Attribute 'name' required!");
    if ([...this.groups.values()].some((g) => lc(g.name) === lc(body.name)))
      throw unprocessable('This object already exists.');
    const id = this.next.group++;
    const g = groupRow({ ...body, id, name_last: body.name, updated_by_id: by.id, created_by_id: by.id });
    this.groups.set(id, g);
    return g;
  }

  updateGroup(id: unknown, body: Row, by: User): Row {
    const g = this.group(id);
    this.require(by, 'admin.group');
    for (const k of [
      'name',
      'note',
      'active',
      'follow_up_possible',
      'follow_up_assignment',
      'assignment_timeout',
      'signature_id',
      'email_address_id',
    ]) {
      if (body[k] !== undefined) g[k] = body[k];
    }
    if (body.name !== undefined) g.name_last = body.name;
    this.touch(g, by);
    return g;
  }

  deleteGroup(id: unknown, by: User): void {
    const g = this.group(id);
    this.require(by, 'admin.group');
    if ([...this.tickets.values()].some((t) => t.group_id === g.id))
      throw unprocessable("Can't delete, object has references.");
    this.groups.delete(g.id as number);
    for (const u of this.users.values()) delete u.group_ids[String(g.id)];
  }
}

export { seed };
