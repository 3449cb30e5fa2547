// Names for state, priority, group and owner, checked before a ticket is written. Zammad answers an unknown name
// with a 422 that names neither the valid values (association_name_to_id_convert in
// app/models/application_model/can_associations.rb: "No lookup value found for 'priority': \"high\"") nor, for an
// owner who is not an agent of the group, anything at all on update: check_owner_active in app/models/ticket.rb
// quietly makes the ticket unassigned. So the valid values are looked up (briefly cached) and named in the error.

import { BackendError, InputError } from '../../errors.ts';
import type { Call, Row } from './types.ts';

const TTL_MS = 60_000;
/** How many valid values an error lists before pointing at the listing tool. */
const SHOWN = 25;

export type RefKind = 'state' | 'priority' | 'group' | 'owner';

const SOURCE: Record<Exclude<RefKind, 'owner'>, { path: string; tool: string }> = {
  state: { path: 'ticket_states', tool: 'zammad_list_ticket_states' },
  priority: { path: 'ticket_priorities', tool: 'zammad_list_ticket_priorities' },
  group: { path: 'groups', tool: 'zammad_list_groups' },
};
/** Agents: users holding ticket.agent (users_controller#search passes `permissions` to User.search). */
export const AGENTS = { path: 'users/search', query: { query: '*', permissions: 'ticket.agent', per_page: 1000 } };

export type Fetch = (path: string, query: Record<string, string | number>, o: Call) => Promise<Row[]>;

const lc = (v: unknown) => String(v ?? '').toLowerCase();
const quoted = (names: string[]) => {
  const shown = names.slice(0, SHOWN).map((n) => JSON.stringify(n));
  return names.length > SHOWN ? `${shown.join(', ')} and ${names.length - SHOWN} more` : shown.join(', ');
};

export class Refs {
  private cache = new Map<string, { at: number; rows: Promise<Row[]> }>();

  constructor(private readonly fetch: Fetch) {}

  private rows(key: string, path: string, query: Record<string, string | number>, o: Call): Promise<Row[]> {
    const k = `${key}|${o.as ?? ''}`;
    const hit = this.cache.get(k);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.rows;
    const rows = this.fetch(path, query, o);
    this.cache.set(k, { at: Date.now(), rows });
    rows.catch(() => this.cache.delete(k));
    return rows;
  }

  /**
   * The canonical name (or the id as given) of a state, priority or group; an unknown one is refused with the
   * valid names. When the list cannot be read (no permission), the value goes to Zammad as given.
   */
  async name(kind: Exclude<RefKind, 'owner'>, value: string, o: Call): Promise<string> {
    const src = SOURCE[kind];
    let rows: Row[];
    try {
      rows = await this.rows(kind, src.path, {}, o);
    } catch (err) {
      if (err instanceof BackendError) return value;
      throw err;
    }
    if (/^\d+$/.test(value) && rows.some((r) => String(r.id) === value)) return value;
    const exact = rows.find((r) => r.name === value) ?? rows.find((r) => lc(r.name) === lc(value));
    if (exact) return String(exact.name);
    const valid = rows.filter((r) => r.active !== false).map((r) => String(r.name));
    const near = valid.filter((n) => lc(n).includes(lc(value).trim()));
    const hint = near.length === 1 ? `did you mean ${JSON.stringify(near[0])}? ` : '';
    throw new InputError(
      kind,
      `unknown ${kind} ${JSON.stringify(value)}; ${hint}valid: ${quoted(valid)} (${src.tool})`,
    );
  }

  /**
   * The user id of an active agent given by id, login or email. Anyone else is refused with the agents' logins
   * (a partial list, when there are more agents than one page, lets the value through to Zammad).
   */
  async owner(value: string, o: Call): Promise<string> {
    let rows: Row[];
    try {
      rows = await this.rows('owner', AGENTS.path, AGENTS.query, o);
    } catch (err) {
      if (err instanceof BackendError) return value;
      throw err;
    }
    const agents = rows.filter((u) => u.active !== false && u.id !== 1);
    const v = lc(value).trim();
    const hit = agents.find((u) => (/^\d+$/.test(v) ? String(u.id) === v : lc(u.login) === v || lc(u.email) === v));
    if (hit) return String(hit.id);
    if (rows.length >= AGENTS.query.per_page) return value;
    const names = agents.map((u) => `${String(u.login)} (id ${String(u.id)})`);
    throw new InputError(
      'owner',
      `${JSON.stringify(value)} is not an active agent (a ticket owner must be one); agents: ${names.slice(0, SHOWN).join(', ')}${names.length > SHOWN ? ` and ${names.length - SHOWN} more (zammad_search_users)` : ''}`,
    );
  }
}
