// How Zammad shows records: plain columns (`show`), columns plus `*_ids` (lists, create, update), and with
// `expand=true` also the names of related records.

import type { Row, User, ZammadState } from './state.ts';
import { seed } from './state.ts';

export type View = 'columns' | 'ids' | 'expand';

const loginOf = (s: ZammadState, id: unknown) => (s.users.get(Number(id))?.login as string | undefined) ?? null;
const nameOf = (table: Map<number, Row>, id: unknown) => (table.get(Number(id))?.name as string | undefined) ?? null;
const by = (s: ZammadState, r: Row) => ({
  created_by: loginOf(s, r.created_by_id),
  updated_by: loginOf(s, r.updated_by_id),
});

export function ticket(s: ZammadState, t: Row, view: View): Row {
  if (view === 'columns') return { ...t };
  const ids = { ...t, article_ids: s.articleIds(t.id as number), ticket_time_accounting_ids: [] };
  if (view === 'ids') return ids;
  return {
    ...ids,
    group: nameOf(s.groups, t.group_id),
    ...(t.organization_id ? { organization: nameOf(s.organizations, t.organization_id) } : {}),
    ticket_time_accounting: [],
    state: nameOf(s.states, t.state_id),
    priority: nameOf(s.priorities, t.priority_id),
    owner: loginOf(s, t.owner_id),
    customer: loginOf(s, t.customer_id),
    ...by(s, t),
    create_article_type: seed.ARTICLE_TYPES.find((x) => x.id === t.create_article_type_id)?.name ?? null,
    create_article_sender: seed.SENDERS.find((x) => x.id === t.create_article_sender_id)?.name ?? null,
  };
}

export function user(s: ZammadState, u: User, view: View): Row {
  const { role_ids, group_ids, ...columns } = u;
  const ids = {
    ...columns,
    role_ids,
    two_factor_preference_ids: [],
    organization_ids: [],
    authorization_ids: [],
    overview_sorting_ids: [],
    group_ids,
  };
  if (view !== 'expand') return ids;
  return {
    ...ids,
    roles: role_ids.map((id) => seed.ROLES.find((r) => r.id === id)?.name),
    two_factor_preferences: [],
    organizations: [],
    authorizations: [],
    overview_sortings: [],
    ...(u.organization_id ? { organization: nameOf(s.organizations, u.organization_id) } : {}),
    groups: Object.fromEntries(Object.entries(group_ids).map(([gid, access]) => [nameOf(s.groups, gid), access])),
    ...by(s, u),
  };
}

export function organization(s: ZammadState, o: Row, view: View): Row {
  const members = [...s.users.values()].filter((u) => u.organization_id === o.id);
  const ids = { ...o, member_ids: members.map((u) => u.id), secondary_member_ids: [] };
  if (view !== 'expand') return ids;
  return { ...ids, members: members.map((u) => u.login), secondary_members: [], ...by(s, o) };
}

export function group(s: ZammadState, g: Row, view: View): Row {
  const members = [...s.users.values()].filter((u) => String(g.id) in u.group_ids && u.active !== false);
  const ids = { ...g, user_ids: members.map((u) => u.id) };
  if (view !== 'expand') return ids;
  const signature = seed.SIGNATURES.find((x) => x.id === g.signature_id)?.name;
  return { ...ids, ...by(s, g), ...(signature ? { signature } : {}), users: members.map((u) => u.login) };
}

export function state(s: ZammadState, st: Row, view: View): Row {
  if (view !== 'expand') return { ...st };
  const type = seed.STATE_TYPES.find((x) => x.id === st.state_type_id)?.name ?? null;
  return {
    ...st,
    state_type: type,
    ...(st.next_state_id ? { next_state: nameOf(s.states, st.next_state_id) } : {}),
    ...by(s, st),
  };
}

export function priority(s: ZammadState, p: Row, view: View): Row {
  return view === 'expand' ? { ...p, ...by(s, p) } : { ...p };
}

/** Articles always come with names. */
export function article(s: ZammadState, a: Row): Row {
  return {
    ...a,
    attachments: [],
    type: seed.ARTICLE_TYPES.find((x) => x.id === a.type_id)?.name ?? null,
    sender: seed.SENDERS.find((x) => x.id === a.sender_id)?.name ?? null,
    ...by(s, a),
    time_unit: null,
  };
}
