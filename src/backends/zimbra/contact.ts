import type { AttrPart, AttrValue, Contact, ContactFolder, Member } from './types.ts';
import { attr, child, children, textOf, type XNode } from './xml.ts';

const int = (s: string | undefined) => (s === undefined || s === '' || Number.isNaN(Number(s)) ? undefined : Number(s));
const bool = (s: string | undefined) => (s === undefined ? undefined : s === '1' || s === 'true');
const list = (s: string | undefined) => (s ? s.split(',').filter(Boolean) : undefined);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** An attribute value: its text, or for an attachment attribute (`part`) the part's description. */
function value(a: XNode): string | AttrPart {
  const part = attr(a, 'part');
  if (part === undefined) return textOf(a);
  return { part, content_type: attr(a, 'ct'), size: int(attr(a, 's')), filename: attr(a, 'filename') };
}

/** Repeated `<a n="x">` become a list, as Zimbra stores multi-valued attributes. */
export function attrMap(nodes: XNode[]): Record<string, AttrValue> | undefined {
  if (nodes.length === 0) return undefined;
  const out: Record<string, AttrValue> = {};
  for (const a of nodes) {
    const n = attr(a, 'n');
    if (n === undefined) continue;
    const v = value(a);
    const prev = out[n];
    out[n] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function member(m: XNode): Member {
  const cn = child(m, 'cn');
  return { type: attr(m, 'type') ?? '', value: attr(m, 'value') ?? '', contact: cn ? contactOf(cn) : undefined };
}

/** ContactInfo (`<cn>`) as a plain record with readable names. */
export function contactOf(cn: XNode): Contact {
  const md = int(attr(cn, 'md'));
  const memberOf = textOf(child(cn, 'memberOf'));
  const members = children(cn, 'm').map(member);
  const meta = children(cn, 'meta').map((m) => ({
    section: attr(m, 'section'),
    attrs: Object.fromEntries(children(m, 'a').map((a) => [attr(a, 'n') ?? '', textOf(a)])),
  }));
  return {
    id: attr(cn, 'id') ?? '',
    folder_id: attr(cn, 'l'),
    type: attr(cn, 'type'),
    file_as: attr(cn, 'fileAsStr'),
    sort_field: attr(cn, 'sf'),
    attrs: attrMap(children(cn, 'a')),
    members: members.length ? members : undefined,
    member_of: list(memberOf),
    tags: list(attr(cn, 'tn')),
    tag_ids: list(attr(cn, 't')),
    flags: attr(cn, 'f'),
    date: iso(int(attr(cn, 'd'))),
    modified: iso(md === undefined ? undefined : md * 1000),
    rev: int(attr(cn, 'rev')),
    mod_seq: int(attr(cn, 'ms')),
    imap_uid: int(attr(cn, 'i4uid')),
    email: attr(cn, 'email'),
    email2: attr(cn, 'email2'),
    email3: attr(cn, 'email3'),
    dlist: attr(cn, 'dlist'),
    ref: attr(cn, 'ref'),
    can_expand: bool(attr(cn, 'exp')),
    too_many_members: bool(attr(cn, 'tooManyMembers')),
    meta: meta.length ? meta : undefined,
  };
}

/** `7`, or `zimbraId:7` in another mailbox: the item number, which `folder_id` takes with the same `account`. */
const itemNo = (id: string | undefined) => int(id?.slice(id.lastIndexOf(':') + 1));

/**
 * The folders of a GetFolderResponse tree, flattened. Placeholders (`<folder id name>` only: folders of
 * another view that hold a contact folder somewhere below) are skipped; Trash is kept, as the server keeps it.
 */
export function foldersOf(node: XNode): ContactFolder[] {
  const out: ContactFolder[] = [];
  const walk = (f: XNode, link: boolean) => {
    const id = itemNo(attr(f, 'id'));
    if (id !== undefined && (attr(f, 'view') !== undefined || attr(f, 'n') !== undefined)) {
      out.push({
        id,
        name: attr(f, 'name') ?? '',
        path: attr(f, 'absFolderPath'),
        parent_id: itemNo(attr(f, 'l')),
        count: int(attr(f, 'n')),
        shared_by: link ? (attr(f, 'owner') ?? '') : undefined,
      });
    }
    for (const c of children(f, 'folder')) walk(c, false);
    for (const c of children(f, 'link')) walk(c, true);
  };
  walk(node, false);
  return out;
}
