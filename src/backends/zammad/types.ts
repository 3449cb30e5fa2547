// The Zammad operations in the tools' own vocabulary. Records stay as Zammad sends them.

export type Row = Record<string, unknown>;

/** Every call may act on behalf of another user (`From` header) and be cancelled. */
export interface Call {
  /** User id, login or email, sent as `From`. */
  as?: string;
  signal?: AbortSignal;
}
export interface Read extends Call {
  expand?: boolean;
}
export interface Paging extends Read {
  page?: number;
  per_page?: number;
  sort_by?: string;
  order_by?: 'asc' | 'desc';
}

/** One page of a list; Zammad gives no total, so a full page means there may be more. */
export interface Page {
  items: Row[];
  page: number;
  per_page: number;
  has_more: boolean;
}

/** Resources with the same list/show/create/update/delete routes. */
export type Resource = 'tickets' | 'users' | 'organizations' | 'groups' | 'ticket_states' | 'ticket_priorities';
export type Searchable = 'tickets' | 'users' | 'organizations';

export interface ArticleFields {
  body: string;
  subject?: string;
  type?: string;
  internal?: boolean;
  content_type?: 'text/plain' | 'text/html';
  sender?: 'Agent' | 'Customer' | 'System';
  to?: string;
  cc?: string;
}

export interface TicketFields {
  title?: string;
  /** Name, or id as digits. */
  group?: string;
  state?: string;
  priority?: string;
  owner?: string;
  /** User id, login or email. */
  customer?: string;
  pending_time?: string;
  article?: ArticleFields;
}
export interface NewTicket extends TicketFields {
  title: string;
  group: string;
  customer: string;
  tags?: string[];
}

export interface UserFields {
  firstname?: string;
  lastname?: string;
  email?: string;
  login?: string;
  organization?: string;
  roles?: string[];
  phone?: string;
  note?: string;
  active?: boolean;
}

export interface OrganizationFields {
  name?: string;
  shared?: boolean;
  domain?: string;
  domain_assignment?: boolean;
  active?: boolean;
  vip?: boolean;
  note?: string;
}

export interface ZammadApi {
  list(resource: Resource, o: Paging): Promise<Page>;
  search(resource: Searchable, query: string, o: Paging): Promise<Page>;
  get(resource: Resource, id: number, o: Read): Promise<Row>;
  /** A ticket by the number users see (found by search, then read by id). */
  getByNumber(number: string, o: Read): Promise<Row>;
  me(o: Read): Promise<Row>;
  remove(resource: 'tickets' | 'users' | 'organizations', id: number, o: Call): Promise<Row>;
  createTicket(t: NewTicket, o: Call): Promise<Row>;
  updateTicket(id: number, t: TicketFields, o: Call): Promise<Row>;
  mergeTickets(sourceId: number, targetNumber: string, o: Call): Promise<Row>;
  listArticles(ticketId: number, o: Call): Promise<Row[]>;
  createArticle(ticketId: number, a: ArticleFields, o: Call): Promise<Row>;
  createUser(u: UserFields, o: Call): Promise<Row>;
  updateUser(id: number, u: UserFields, o: Call): Promise<Row>;
  createOrganization(org: OrganizationFields & { name: string }, o: Call): Promise<Row>;
  updateOrganization(id: number, org: OrganizationFields, o: Call): Promise<Row>;
  listAll(resource: 'ticket_states' | 'ticket_priorities', o: Call): Promise<Row[]>;
  tags(ticketId: number, o: Call): Promise<string[]>;
  tag(op: 'add' | 'remove', ticketId: number, tag: string, o: Call): Promise<Row>;
  /** `METHOD /path` of a destructive request, exactly as it would be sent. */
  previewDelete(resource: 'tickets' | 'users' | 'organizations', id: number): string;
  previewMerge(sourceId: number, targetNumber: string): string;
}
