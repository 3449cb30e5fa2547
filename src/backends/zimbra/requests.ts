import type { ContactOp, ContactQuery, ModifySpec, NewContact, SearchSpec } from './types.ts';
import { el, NS, type XNode } from './xml.ts';

// urn:zimbraMail request elements, shaped as the seed documents them. Pure: the client adds the envelope.

export interface SoapCall {
  /** Request element name, e.g. `ModifyContactRequest`. */
  name: string;
  node: XNode;
}

const tn = (tags: string[] | undefined) => tags?.join(',');

export function modifyContact(s: ModifySpec): SoapCall {
  const a = (s.attrs ?? []).map((x) =>
    el({ op: x.op, n: x.name, aid: x.upload_id, id: x.item_id, part: x.part }, {}, x.value ?? ''),
  );
  const m = (s.members ?? []).map((x) => el({ op: x.op, type: x.type, value: x.value }));
  const cn = el({ id: s.id, tn: tn(s.tags) }, { a: a.length ? a : undefined, m: m.length ? m : undefined });
  return {
    name: 'ModifyContactRequest',
    node: el(
      {
        xmlns: NS.mail,
        replace: s.replace,
        verbose: s.verbose,
        wantImapUid: s.want_imap_uid,
        wantModSeq: s.want_mod_seq,
      },
      { cn },
    ),
  };
}

export function createContact(s: NewContact): SoapCall {
  const a = Object.entries(s.attrs).flatMap(([n, v]) => (Array.isArray(v) ? v : [v]).map((x) => el({ n }, {}, x)));
  const m = (s.members ?? []).map((x) => el({ type: x.type, value: x.value }));
  const cn = el({ l: s.folder_id, tn: tn(s.tags) }, { a, m: m.length ? m : undefined });
  return { name: 'CreateContactRequest', node: el({ xmlns: NS.mail }, { cn }) };
}

/** Always asks for `memberOf`, so every contact says which groups hold it. */
export function getContacts(q: ContactQuery): SoapCall {
  const a = (q.attrs ?? []).map((n) => el({ n }));
  const cn = (q.ids ?? []).map((id) => el({ id }));
  return {
    name: 'GetContactsRequest',
    node: el(
      { xmlns: NS.mail, sortBy: q.sort_by, l: q.folder_id, derefGroupMember: q.deref_group_members, memberOf: true },
      { a: a.length ? a : undefined, cn: cn.length ? cn : undefined },
    ),
  };
}

export function search(s: SearchSpec): SoapCall {
  return {
    name: 'SearchRequest',
    node: el({ xmlns: NS.mail, types: 'contact', limit: s.limit, offset: s.offset }, { query: el({}, {}, s.query) }),
  };
}

/** The folder tree from USER_ROOT, non-contact folders reduced to placeholders (zm-mailbox GetFolder.java). */
export function contactFolders(): SoapCall {
  return { name: 'GetFolderRequest', node: el({ xmlns: NS.mail, view: 'contact' }) };
}

export function contactAction(op: ContactOp, ids: string[], folderId?: number): SoapCall {
  return {
    name: 'ContactActionRequest',
    node: el({ xmlns: NS.mail }, { action: el({ id: ids.join(','), op, l: folderId }) }),
  };
}

export function auth(username: string, password: string): SoapCall {
  return {
    name: 'AuthRequest',
    node: el({ xmlns: NS.account }, { account: el({ by: 'name' }, {}, username), password: el({}, {}, password) }),
  };
}

const quoteAttrs = (node: XNode | undefined) =>
  Object.entries(node ?? {})
    .filter(([k]) => k.startsWith('@_') && k !== '@_xmlns')
    .map(([k, v]) => ` ${k.slice(2)}=${JSON.stringify(String(v))}`)
    .join('');

/** `ModifyContactRequest replace="1" <cn id="257">`: the request element and its first child's attributes. */
export function summary(call: SoapCall, first: string): string {
  const inner = call.node[first] as XNode | XNode[] | undefined;
  const head = Array.isArray(inner) ? inner[0] : inner;
  return `${call.name}${quoteAttrs(call.node)} <${first}${quoteAttrs(head)}>`;
}
