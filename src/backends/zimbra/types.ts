// Zimbra contact operations in the tools' own vocabulary; the client maps them onto urn:zimbraMail requests.

export type MemberType = 'C' | 'G' | 'I';

/** ModifyContactAttr: `<a n op aid id part>value</a>`. */
export interface AttrChange {
  name: string;
  value?: string;
  op?: '+' | '-';
  upload_id?: string;
  item_id?: number;
  part?: string;
}

/** ModifyContactGroupMember: `<m op type value/>`. */
export interface MemberChange {
  op?: '+' | '-' | 'reset';
  type?: MemberType;
  value?: string;
}

export interface ModifySpec {
  id: number;
  attrs?: AttrChange[];
  members?: MemberChange[];
  /** Sent as `tn`: exactly these tags afterwards; absent leaves tags alone. */
  tags?: string[];
  replace?: boolean;
  verbose?: boolean;
  want_imap_uid?: boolean;
  want_mod_seq?: boolean;
}

export interface NewContact {
  attrs: Record<string, string | string[]>;
  folder_id?: number;
  tags?: string[];
  members?: { type: MemberType; value: string }[];
}

export interface ContactQuery {
  ids?: string[];
  folder_id?: number;
  /** Only these attributes. */
  attrs?: string[];
  sort_by?: 'nameAsc' | 'nameDesc';
  deref_group_members?: boolean;
}

export interface SearchSpec {
  query: string;
  limit?: number;
  offset?: number;
}

/** An attachment attribute (`image`, certificates): the content stays on the server. */
export interface AttrPart {
  part?: string;
  content_type?: string;
  size?: number;
  filename?: string;
}
export type AttrValue = string | AttrPart | (string | AttrPart)[];

export interface Member {
  type: string;
  value: string;
  /** The referenced contact, when the server dereferenced it. */
  contact?: Contact;
}

/** The seed's ContactInfo with readable names; `attrs` is the contact's data as stored. */
export interface Contact {
  id: string;
  folder_id?: string;
  type?: string;
  file_as?: string;
  sort_field?: string;
  attrs?: Record<string, AttrValue>;
  members?: Member[];
  member_of?: string[];
  tags?: string[];
  tag_ids?: string[];
  flags?: string;
  /** Creation date (ISO) from `d`. */
  date?: string;
  /** Last change (ISO) from `md`. */
  modified?: string;
  rev?: number;
  mod_seq?: number;
  imap_uid?: number;
  email?: string;
  email2?: string;
  email3?: string;
  dlist?: string;
  ref?: string;
  can_expand?: boolean;
  too_many_members?: boolean;
  meta?: { section?: string; attrs: Record<string, string> }[];
}

export interface SearchPage {
  items: Contact[];
  offset: number;
  limit: number;
  has_more: boolean;
}

/** A contact folder from GetFolderResponse; `id` is what `folder_id` takes. */
export interface ContactFolder {
  id: number;
  name: string;
  /** `/Contacts/Suppliers` */
  path?: string;
  parent_id?: number;
  /** Items in the folder (`n`). */
  count?: number;
  /** Owner of a shared folder mounted here (`<link>`). */
  shared_by?: string;
}

export interface ActionResult {
  op: string;
  /** Ids the server reports as done. */
  ids: string[];
  /** Requested ids the server did not report as done. */
  not_done?: string[];
}

export type ContactOp = 'trash' | 'delete' | 'move';

export interface Target {
  /** Another mailbox to act on. */
  account?: string;
  signal?: AbortSignal;
}

export interface ZimbraApi {
  /** Method, path and request element of what an operation would send, for confirmations. */
  previewModify(spec: ModifySpec, account?: string): string;
  previewAction(op: ContactOp, ids: string[], folderId?: number, account?: string): string;
  modifyContact(spec: ModifySpec, t?: Target): Promise<Contact>;
  createContact(spec: NewContact, t?: Target): Promise<Contact>;
  getContacts(q: ContactQuery, t?: Target): Promise<Contact[]>;
  searchContacts(s: SearchSpec, t?: Target): Promise<SearchPage>;
  listContactFolders(t?: Target): Promise<ContactFolder[]>;
  contactAction(op: ContactOp, ids: string[], folderId: number | undefined, t?: Target): Promise<ActionResult>;
  /** The contact's `type` attribute (`group` for contact groups), read before member changes. */
  contactType(id: number, t?: Target): Promise<string>;
}
