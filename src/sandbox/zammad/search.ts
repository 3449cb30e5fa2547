// Zammad's search as its Elasticsearch backend runs it (lib/search_index_backend.rb, search_by_index): a
// `query_string` query with `default_operator: 'AND'` and `analyze_wildcard: true`, and a `*` appended to a query
// without a colon (append_wildcard_to_simple_query). Documents are built as Zammad indexes them
// (app/models/application_model/can_lookup_search_index_attributes.rb): every `<x>_id` column also appears as `<x>`
// holding the related record's own attributes, so `state.name:open` and `owner.email:a@b.com` match; tickets add
// `tags` and `article` (app/models/ticket/search_index.rb), users `fullname` and `permissions`
// (app/models/user/search_index.rb). This stand-in covers AND/OR/NOT (and `+`/`-`), parentheses, quoted phrases,
// `field:value` on dotted paths, `field:(a OR b)` groups, `*`/`?` wildcards and `.keyword` exact matches.
// A query Elasticsearch cannot parse makes Zammad log the error and answer with no hits; so does this one.

import type { Row, ZammadState } from './state.ts';
import { seed } from './state.ts';

/** The document a record is indexed as: its columns plus related records as nested objects. */
export function document(s: ZammadState, kind: 'tickets' | 'users' | 'organizations', r: Row): Row {
  const user = (id: unknown) => userDoc(s, s.users.get(Number(id)));
  if (kind === 'tickets') {
    return {
      ...r,
      state: s.states.get(r.state_id as number) ?? null,
      priority: s.priorities.get(r.priority_id as number) ?? null,
      group: s.groups.get(r.group_id as number) ?? null,
      organization: s.organizations.get(r.organization_id as number) ?? null,
      customer: user(r.customer_id),
      owner: user(r.owner_id),
      created_by: user(r.created_by_id),
      updated_by: user(r.updated_by_id),
      tags: s.tags.get(r.id as number) ?? [],
      article: [...s.articles.values()]
        .filter((a) => a.ticket_id === r.id)
        .map((a) => ({ subject: a.subject, body: a.body, from: a.from, to: a.to, cc: a.cc, internal: a.internal })),
    };
  }
  if (kind === 'users') {
    const u = r as Row & { role_ids: number[] };
    return {
      ...userDoc(s, u),
      organization: s.organizations.get(r.organization_id as number) ?? null,
      role_ids: u.role_ids,
      permissions: u.role_ids.flatMap((id) => seed.ROLES.find((x) => x.id === id)?.permissions ?? []),
    };
  }
  return r;
}

/** A user as a reference inside another document (include_references: false): columns plus fullname. */
function userDoc(_s: ZammadState, u: Row | undefined): Row | null {
  if (!u) return null;
  const { role_ids: _r, group_ids: _g, preferences: _p, ...cols } = u;
  return { ...cols, fullname: `${u.firstname ?? ''} ${u.lastname ?? ''}`.trim() };
}

// ---- parsing ----

type Node =
  | { t: 'and' | 'or'; a: Node; b: Node }
  | { t: 'not'; a: Node }
  | { t: 'term'; field?: string; text: string; phrase: boolean };

class SyntaxError_ extends Error {}

function lex(q: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i] as string;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      out.push(c);
      i++;
    } else if (c === '"') {
      const end = q.indexOf('"', i + 1);
      if (end < 0) throw new SyntaxError_('unbalanced quote');
      out.push(q.slice(i, end + 1));
      i = end + 1;
    } else {
      let j = i;
      while (j < q.length && !/[\s()"]/.test(q[j] as string)) j++;
      // `field:"a phrase"` and `field:(a OR b)` stay split after the colon: the parser joins them.
      out.push(q.slice(i, j));
      i = j;
    }
  }
  return out;
}

function parse(query: string): Node {
  const toks = lex(query);
  let pos = 0;
  const peek = () => toks[pos];
  const next = () => toks[pos++];

  function or(field?: string): Node {
    let left = and(field);
    while (peek() === 'OR' || peek() === '||') {
      next();
      left = { t: 'or', a: left, b: and(field) };
    }
    return left;
  }
  function and(field?: string): Node {
    let left = unary(field);
    while (pos < toks.length && peek() !== ')' && peek() !== 'OR' && peek() !== '||') {
      if (peek() === 'AND' || peek() === '&&') next();
      left = { t: 'and', a: left, b: unary(field) };
    }
    return left;
  }
  function unary(field?: string): Node {
    const tok = peek();
    if (tok === undefined) throw new SyntaxError_('unexpected end');
    if (tok === 'NOT' || tok === '!') {
      next();
      return { t: 'not', a: unary(field) };
    }
    if (tok.length > 1 && (tok.startsWith('-') || tok.startsWith('!'))) {
      toks[pos] = tok.slice(1);
      return { t: 'not', a: unary(field) };
    }
    if (tok.length > 1 && tok.startsWith('+')) toks[pos] = tok.slice(1);
    return primary(field);
  }
  function group(field?: string): Node {
    next(); // (
    const inner = or(field);
    if (next() !== ')') throw new SyntaxError_('unbalanced parenthesis');
    return inner;
  }
  function primary(field?: string): Node {
    const tok = peek() as string;
    if (tok === '(') return group(field);
    if (tok === ')') throw new SyntaxError_('unbalanced parenthesis');
    next();
    const colon = tok.startsWith('"') ? -1 : tok.indexOf(':');
    if (colon > 0 && field === undefined) {
      const name = tok.slice(0, colon);
      const rest = tok.slice(colon + 1);
      if (rest !== '') return value(rest, name);
      const after = peek();
      if (after === '(') return group(name);
      if (after?.startsWith('"')) return value(next() as string, name);
      throw new SyntaxError_(`no value after ${name}:`);
    }
    return value(tok, field);
  }
  function value(tok: string, field?: string): Node {
    if (tok.startsWith('"')) return { t: 'term', field, text: tok.slice(1, -1), phrase: true };
    return { t: 'term', field, text: tok.replace(/\\(.)/g, '$1'), phrase: false };
  }

  const node = or();
  if (pos < toks.length) throw new SyntaxError_('unbalanced parenthesis');
  return node;
}

// ---- matching ----

/** Words as the standard analyzer cuts them: letters and digits, joined by `.`, `'` or `_` inside a word. */
const words = (text: string): string[] =>
  [...text.toLowerCase().matchAll(/[\p{L}\p{N}_]+(?:[.'’][\p{L}\p{N}_]+)*/gu)].map((m) => m[0]);

function glob(pattern: string, lower = true): RegExp {
  const body = (lower ? pattern.toLowerCase() : pattern)
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'u');
}

/** Every leaf under `v` (objects and lists are walked). */
function leaves(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (Array.isArray(v)) for (const x of v) leaves(x, out);
  else if (typeof v === 'object') for (const x of Object.values(v)) leaves(x, out);
  else out.push(String(v));
  return out;
}

/** The leaf values at a dotted path; a path that ends at an object (`state:open`) has none, as in Elasticsearch. */
function at(doc: unknown, path: string): string[] {
  let cur: unknown[] = [doc];
  for (const part of path.split('.')) {
    cur = cur.flatMap((x) => {
      const v = x && typeof x === 'object' ? (x as Row)[part] : undefined;
      return Array.isArray(v) ? v : [v];
    });
  }
  return cur.filter((v) => v !== null && v !== undefined && typeof v !== 'object').map(String);
}

function termMatches(doc: Row, n: Extract<Node, { t: 'term' }>): boolean {
  if (n.field?.endsWith('.keyword')) {
    // Keyword subfields hold the whole value, not analyzed: exact and case-sensitive.
    const values = at(doc, n.field.slice(0, -'.keyword'.length));
    const re = !n.phrase && /[*?]/.test(n.text) ? glob(n.text, false) : undefined;
    return values.some((v) => (re ? re.test(v) : v === n.text));
  }
  const values = n.field ? at(doc, n.field) : leaves(doc);
  const fieldWords = values.map(words);
  if (!n.phrase && /[*?]/.test(n.text)) {
    const re = glob(n.text);
    return fieldWords.some((ws) => ws.some((w) => re.test(w))) || values.some((v) => re.test(v.toLowerCase()));
  }
  const want = words(n.text);
  if (want.length === 0) return false;
  if (n.phrase) {
    return fieldWords.some((ws) => ws.some((_, i) => want.every((w, k) => ws[i + k] === w)));
  }
  // Unquoted words are all required (default_operator AND), in any order, within one field.
  return fieldWords.some((ws) => want.every((w) => ws.includes(w)));
}

function evaluate(doc: Row, n: Node): boolean {
  switch (n.t) {
    case 'and':
      return evaluate(doc, n.a) && evaluate(doc, n.b);
    case 'or':
      return evaluate(doc, n.a) || evaluate(doc, n.b);
    case 'not':
      return !evaluate(doc, n.a);
    case 'term':
      return termMatches(doc, n);
  }
}

/** A compiled query: `undefined` where Elasticsearch would refuse it (Zammad then answers with no hits). */
export function compile(query: string): ((doc: Row) => boolean) | undefined {
  let q = query.trim();
  if (q === '' || q === '*') return () => true;
  if (!q.includes(':')) q += '*';
  try {
    const node = parse(q);
    return (doc) => evaluate(doc, node);
  } catch (err) {
    if (err instanceof SyntaxError_) return undefined;
    throw err;
  }
}

export function matches(doc: Row, query: string): boolean {
  return compile(query)?.(doc) ?? false;
}
