// A small stand-in for Zammad's Elasticsearch query strings: free words, `field:value` (dotted paths into related
// records, such as state.name:open or customer.email:a@b.com), `*` wildcards, AND (implicit), OR, NOT / leading `-`.

import type { Row, ZammadState } from './state.ts';
import { seed } from './state.ts';

/** The document a record is indexed as: its columns plus related records as nested objects. */
export function document(s: ZammadState, kind: 'tickets' | 'users' | 'organizations', r: Row): Row {
  const user = (id: unknown) => s.users.get(Number(id)) ?? null;
  if (kind === 'tickets') {
    return {
      ...r,
      state: s.states.get(r.state_id as number) ?? null,
      priority: s.priorities.get(r.priority_id as number) ?? null,
      group: s.groups.get(r.group_id as number) ?? null,
      organization: s.organizations.get(r.organization_id as number) ?? null,
      customer: user(r.customer_id),
      owner: user(r.owner_id),
      tags: s.tags.get(r.id as number) ?? [],
      article: [...s.articles.values()]
        .filter((a) => a.ticket_id === r.id)
        .map((a) => ({ subject: a.subject, body: a.body, from: a.from, to: a.to })),
    };
  }
  if (kind === 'users') {
    const u = r as Row & { role_ids: number[] };
    return {
      ...r,
      organization: s.organizations.get(r.organization_id as number) ?? null,
      role: u.role_ids.map((id) => seed.ROLES.find((x) => x.id === id)?.name),
    };
  }
  return r;
}

function tokens(query: string): string[] {
  return [...query.matchAll(/(-?[\w.]+:"[^"]*"|"[^"]*"|\S+)/g)].map((m) => (m[1] as string).replace(/"/g, ''));
}

function glob(pattern: string): RegExp {
  const body = pattern
    .toLowerCase()
    .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*');
  return new RegExp(`^${body}$`);
}

/** Every string or number leaf under `v`. */
function leaves(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  else out.push(String(v).toLowerCase());
  return out;
}

function at(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur)) cur = cur.map((x) => (x as Row)?.[part]);
    else cur = (cur as Row | null)?.[part];
  }
  // `state:open` means the related record's name.
  return cur && typeof cur === 'object' && !Array.isArray(cur) && 'name' in cur ? (cur as Row).name : cur;
}

function term(doc: Row, t: string): boolean {
  const colon = t.indexOf(':');
  if (colon > 0) {
    const re = glob(t.slice(colon + 1));
    return leaves(at(doc, t.slice(0, colon))).some((v) => re.test(v));
  }
  const word = t.toLowerCase();
  const re = word.includes('*') ? glob(word) : undefined;
  return leaves(doc).some((v) => (re ? re.test(v) || v.split(/\s+/).some((w) => re.test(w)) : v.includes(word)));
}

export function matches(doc: Row, query: string): boolean {
  const q = query.trim();
  if (q === '' || q === '*') return true;
  const alternatives: string[][] = [[]];
  for (const t of tokens(q)) {
    if (t === 'OR') alternatives.push([]);
    else if (t !== 'AND') alternatives.at(-1)?.push(t);
  }
  return alternatives.some((all) => {
    let negate = false;
    return all.every((t) => {
      if (t === 'NOT') {
        negate = true;
        return true;
      }
      const neg = negate || (t.startsWith('-') && t.length > 1);
      negate = false;
      const hit = term(doc, t.startsWith('-') ? t.slice(1) : t);
      return neg ? !hit : hit;
    });
  });
}
