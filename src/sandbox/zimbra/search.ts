import { fault } from './faults.ts';
import { fileAsStr, type Mailbox, type StoredContact, TRASH } from './mailbox.ts';

// A subset of Zimbra's query language for contacts: words and "phrases" (any attribute), #attr:value,
// in:folder, inid:N, tag:name, is:flagged, negation with - or not, `or` between terms, implicit `and`.

type Test = (c: StoredContact) => boolean;

function tokens(q: string): string[] {
  const out: string[] = [];
  const re = /\s*(-?[#\w]*:"[^"]*"|-?"[^"]*"|\(|\)|[^\s()]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  for (;;) {
    re.lastIndex = at;
    m = re.exec(q);
    if (!m) break;
    at = re.lastIndex;
    const tok = m[1] ?? '';
    if ((tok.match(/"/g)?.length ?? 0) % 2) throw fault.queryParse(`unbalanced quote in ${tok}`);
    if (tok) out.push(tok);
  }
  if (q.slice(at).trim()) throw fault.queryParse(q.slice(at).trim());
  return out;
}

const unquote = (s: string) => s.replace(/^"(.*)"$/, '$1');
const values = (c: StoredContact, only?: string) =>
  Object.entries(c.attrs)
    .filter(([n]) => only === undefined || n.toLowerCase() === only)
    .flatMap(([, v]) => (Array.isArray(v) ? v : [v]))
    .map((v) => v.toLowerCase());
const matches = (value: string, word: string) =>
  word.endsWith('*')
    ? value.split(/[\s@.,<>"]+/).some((w) => w.startsWith(word.slice(0, -1))) || value.startsWith(word.slice(0, -1))
    : value.includes(word);

function folderId(mb: Mailbox, name: string): number {
  const hit = mb.folderNamed(name);
  if (!hit) throw fault.noFolder(name);
  return hit.id;
}

function term(mb: Mailbox, raw: string, scoped: { folder: boolean }): Test {
  const colon = raw.startsWith('"') ? -1 : raw.indexOf(':');
  if (colon < 0) {
    const word = unquote(raw).toLowerCase();
    return (c) => values(c).some((v) => matches(v, word)) || fileAsStr(c).toLowerCase().includes(word);
  }
  const field = raw.slice(0, colon).toLowerCase();
  const arg = unquote(raw.slice(colon + 1));
  if (!arg) throw fault.queryParse(raw);
  if (field.startsWith('#'))
    return (c) => values(c, field.slice(1).toLowerCase()).some((v) => matches(v, arg.toLowerCase()));
  switch (field) {
    case 'in': {
      scoped.folder = true;
      const id = folderId(mb, arg);
      return (c) => c.folder === id;
    }
    case 'inid': {
      scoped.folder = true;
      const id = mb.folder(arg);
      return (c) => c.folder === id;
    }
    case 'tag':
      return (c) => c.tags.some((t) => t.toLowerCase() === arg.toLowerCase());
    case 'is':
      if (arg === 'flagged') return (c) => c.flags.includes('f');
      if (arg === 'unflagged') return (c) => !c.flags.includes('f');
      throw fault.queryParse(raw);
    default:
      throw fault.queryParse(`unknown field: ${field}`);
  }
}

/** The contacts a query finds, sorted by name; Trash is left out unless the query names a folder. */
export function search(mb: Mailbox, query: string): StoredContact[] {
  const scoped = { folder: false };
  const toks = tokens(query);
  if (toks.some((t) => t === '(' || t === ')')) throw fault.queryParse('parentheses are not supported by this sandbox');
  // A query is an `and` of groups; each group is an `or` of (possibly negated) terms.
  const groups: Test[][] = [];
  let joinNext = false;
  for (let i = 0; i < toks.length; i++) {
    let t = toks[i] as string;
    const low = t.toLowerCase();
    if (low === 'and') continue;
    if (low === 'or') {
      if (!groups.length) throw fault.queryParse(query);
      joinNext = true;
      continue;
    }
    let negate = false;
    if (low === 'not') {
      negate = true;
      t = toks[++i] ?? '';
      if (!t) throw fault.queryParse(query);
    } else if (t.startsWith('-') && t.length > 1) {
      negate = true;
      t = t.slice(1);
    }
    const test = term(mb, t, scoped);
    const final: Test = negate ? (c) => !test(c) : test;
    if (joinNext) groups[groups.length - 1]?.push(final);
    else groups.push([final]);
    joinNext = false;
  }
  if (joinNext) throw fault.queryParse(query);
  return [...mb.contacts.values()]
    .filter((c) => scoped.folder || c.folder !== TRASH)
    .filter((c) => groups.every((g) => g.some((test) => test(c))))
    .sort((a, b) => fileAsStr(a).localeCompare(fileAsStr(b)) || a.id - b.id);
}
