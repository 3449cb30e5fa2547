import { fault } from './faults.ts';

// One Zimbra mailbox's contacts, with ModifyContact's merge/replace matrix and group members.

export type Part = { part: string; ct: string; s: number; filename: string };
export type Member = { type: string; value: string };

export interface StoredContact {
  id: number;
  folder: number;
  /** Multi-valued attributes are lists, as Zimbra stores them (a JSON array). */
  attrs: Record<string, string | string[]>;
  parts: Record<string, Part>;
  members: Member[];
  tags: string[];
  flags: string;
  /** Creation date, ms. */
  date: number;
  /** Change date, seconds. */
  md: number;
  ms: number;
  rev: number;
  imapUid: number;
}

export interface AttrIn {
  n?: string;
  op?: string;
  aid?: string;
  id?: string;
  part?: string;
  value: string;
}
export interface MemberIn {
  op?: string;
  type?: string;
  value?: string;
}
export interface ModifyIn {
  id?: string;
  tn?: string;
  replace: boolean;
  attrs: AttrIn[];
  members: MemberIn[];
}
export interface CreateIn {
  l?: string;
  tn?: string;
  attrs: AttrIn[];
  members: MemberIn[];
}

/** A folder of the mailbox tree; `view` is its default item type (`contact` for contact folders). */
export interface StoredFolder {
  id: number;
  name: string;
  /** Parent folder id (`l`); USER_ROOT's parent is the internal ROOT, 11. */
  parent: number;
  view?: string;
}

/** The system folders every Zimbra mailbox starts with (Mailbox.ID_FOLDER_*), with their default views. */
export const SYSTEM_FOLDERS: StoredFolder[] = [
  { id: 1, name: 'USER_ROOT', parent: 11 },
  { id: 2, name: 'Inbox', parent: 1, view: 'message' },
  { id: 3, name: 'Trash', parent: 1 },
  { id: 4, name: 'Junk', parent: 1, view: 'message' },
  { id: 5, name: 'Sent', parent: 1, view: 'message' },
  { id: 6, name: 'Drafts', parent: 1, view: 'message' },
  { id: 7, name: 'Contacts', parent: 1, view: 'contact' },
  { id: 10, name: 'Calendar', parent: 1, view: 'appointment' },
  { id: 13, name: 'Emailed Contacts', parent: 1, view: 'contact' },
  { id: 15, name: 'Tasks', parent: 1, view: 'task' },
];
export const TRASH = 3;
const CONTACTS = 7;
const MEMBER_TYPES = new Set(['C', 'G', 'I']);

export interface Upload {
  ct: string;
  filename: string;
  size: number;
}

export class Mailbox {
  readonly contacts = new Map<number, StoredContact>();
  readonly tagIds = new Map<string, number>();
  readonly folders = new Map<number, StoredFolder>(SYSTEM_FOLDERS.map((f) => [f.id, { ...f }]));
  private nextId = 257;
  private nextTag = 64;
  changeId = 100;

  constructor(
    readonly name: string,
    readonly zimbraId: string,
    private readonly uploads: Map<string, Upload>,
  ) {}

  contact(id: string | number): StoredContact {
    const s = String(id);
    const local = s.startsWith(`${this.zimbraId}:`) ? s.slice(this.zimbraId.length + 1) : s;
    const c = /^\d+$/.test(local) ? this.contacts.get(Number(local)) : undefined;
    if (!c) throw fault.noContact(s);
    return c;
  }

  folder(l: string | undefined, fallback = CONTACTS): number {
    if (l === undefined || l === '') return fallback;
    const id = Number(l);
    if (!Number.isInteger(id) || !this.folders.has(id)) throw fault.noFolder(l);
    if (id === 1) throw fault.cannotContain();
    return id;
  }

  /** A user folder; item ids are shared by folders and contacts, as in Zimbra. */
  addFolder(name: string, parent: number, view?: string): StoredFolder {
    if (!this.folders.has(parent)) throw fault.noFolder(String(parent));
    const f: StoredFolder = { id: this.nextId++, name, parent, view };
    this.folders.set(f.id, f);
    this.changeId++;
    return f;
  }

  /** `/Contacts/Suppliers`: the folder's path from USER_ROOT. */
  path(f: StoredFolder): string {
    const names: string[] = [];
    for (let at: StoredFolder | undefined = f; at && at.id !== 1; at = this.folders.get(at.parent))
      names.unshift(at.name);
    return `/${names.join('/')}`;
  }

  /** Folder by name or path, case-insensitive (`in:` queries). */
  folderNamed(name: string): StoredFolder | undefined {
    const n = name.replace(/^\//, '').toLowerCase();
    return [...this.folders.values()].find((f) => this.path(f).slice(1).toLowerCase() === n);
  }

  tagsFrom(tn: string): string[] {
    const names = [
      ...new Set(
        tn
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      ),
    ];
    for (const n of names) if (!this.tagIds.has(n)) this.tagIds.set(n, this.nextTag++);
    return names;
  }

  /** md/ms/rev move on every change; md is in seconds, kept strictly increasing so each change shows. */
  touch(c: StoredContact): void {
    c.ms = c.rev = ++this.changeId;
    c.md = Math.max(Math.floor(Date.now() / 1000), c.md + 1);
  }

  create(spec: CreateIn): StoredContact {
    const folder = this.folder(spec.l);
    const c: StoredContact = {
      id: this.nextId++,
      folder,
      attrs: {},
      parts: {},
      members: [],
      tags: spec.tn === undefined ? [] : this.tagsFrom(spec.tn),
      flags: '',
      date: Date.now(),
      md: 0,
      ms: 0,
      rev: 0,
      imapUid: 0,
    };
    this.setAll(c, spec.attrs);
    if (spec.members.length) {
      if (c.attrs.type !== 'group') throw fault.invalid('m is only allowed for contact group');
      c.members = spec.members.map((m) => this.member(m));
    }
    c.imapUid = c.id;
    this.touch(c);
    this.contacts.set(c.id, c);
    return c;
  }

  modify(spec: ModifyIn): StoredContact {
    if (spec.id === undefined) throw fault.invalid('missing required attribute: id');
    const c = this.contact(spec.id);
    const next = { attrs: { ...c.attrs }, parts: { ...c.parts } } as StoredContact;
    if (spec.replace) {
      if ([...spec.attrs, ...spec.members].some((x) => x.op !== undefined))
        throw fault.invalid('op must not be set in replace mode');
      next.attrs = {};
      next.parts = {};
      this.setAll(next, spec.attrs);
    } else {
      for (const a of spec.attrs) this.mergeAttr(next, a);
    }
    const group = next.attrs.type === 'group';
    if (spec.members.length && !group) throw fault.invalid('m is only allowed for contact group');
    let members = spec.replace ? [] : [...c.members];
    for (const m of spec.members) members = spec.replace ? [...members, this.member(m)] : this.mergeMember(members, m);
    c.attrs = next.attrs;
    c.parts = next.parts;
    c.members = group ? members : [];
    if (spec.tn !== undefined) c.tags = this.tagsFrom(spec.tn);
    this.touch(c);
    return c;
  }

  /** ContactActionRequest ops on contacts; all ids are checked before anything changes. */
  action(op: string, ids: string[], l?: string, tn?: string): string[] {
    const items = ids.map((id) => this.contact(id));
    const target = op === 'move' ? this.folder(l ?? '', -1) : undefined;
    if (target === -1) throw fault.invalid('missing required attribute: l');
    for (const c of items) {
      switch (op) {
        case 'move':
          c.folder = target as number;
          break;
        case 'trash':
          c.folder = TRASH;
          break;
        case 'delete':
          this.contacts.delete(c.id);
          continue;
        case 'flag':
        case '!flag':
          c.flags = op === 'flag' ? `${c.flags.replace('f', '')}f` : c.flags.replace('f', '');
          break;
        case 'tag':
        case '!tag': {
          const names = this.tagsFrom(tn ?? '');
          if (!names.length) throw fault.invalid('missing required attribute: tn');
          c.tags = op === 'tag' ? [...new Set([...c.tags, ...names])] : c.tags.filter((t) => !names.includes(t));
          break;
        }
        default:
          throw fault.invalid(`unknown operation: ${op}`);
      }
      this.touch(c);
    }
    return items.map((c) => String(c.id));
  }

  /** Groups that reference this contact as a `C` member. */
  memberOf(c: StoredContact): number[] {
    const ids = new Set([String(c.id), `${this.zimbraId}:${c.id}`]);
    return [...this.contacts.values()]
      .filter((g) => g.members.some((m) => m.type === 'C' && ids.has(m.value)))
      .map((g) => g.id);
  }

  private setAll(c: StoredContact, attrs: AttrIn[]): void {
    for (const a of attrs) {
      const n = this.attrName(a);
      if (this.attach(c, n, a)) continue;
      if (a.value === '') continue;
      const prev = c.attrs[n];
      c.attrs[n] = prev === undefined ? a.value : [...(Array.isArray(prev) ? prev : [prev]), a.value];
    }
  }

  private mergeAttr(c: StoredContact, a: AttrIn): void {
    const n = this.attrName(a);
    if (a.op === undefined) {
      if (this.attach(c, n, a)) return;
      if (a.value === '') {
        delete c.attrs[n];
        delete c.parts[n];
      } else c.attrs[n] = a.value;
      return;
    }
    if (a.op !== '+' && a.op !== '-') throw fault.invalid(`unknown op: ${a.op}`);
    if (a.value === '') throw fault.invalid(`empty value not allowed with op ${a.op}`);
    const prev = c.attrs[n];
    const values = prev === undefined ? [] : Array.isArray(prev) ? [...prev] : [prev];
    const kept =
      a.op === '+' ? (values.includes(a.value) ? values : [...values, a.value]) : values.filter((v) => v !== a.value);
    if (kept.length === 0) delete c.attrs[n];
    else c.attrs[n] = kept.length === 1 ? (kept[0] as string) : kept;
  }

  /** `aid` (an upload) or `id` + `part` (another item's part) set an attachment attribute. */
  private attach(c: StoredContact, n: string, a: AttrIn): boolean {
    if (a.aid !== undefined) {
      const up = this.uploads.get(a.aid);
      if (!up) throw fault.noUpload(a.aid);
      c.parts[n] = { part: this.partNo(c), ct: up.ct, s: up.size, filename: up.filename };
      delete c.attrs[n];
      return true;
    }
    if (a.id !== undefined) {
      const src = /^\d+$/.test(a.id) ? this.contacts.get(Number(a.id)) : undefined;
      if (!src) throw fault.noItem(a.id);
      const part = Object.values(src.parts).find((p) => p.part === a.part);
      if (!part) throw fault.invalid(`no such part: ${a.part ?? ''}`);
      c.parts[n] = { ...part, part: this.partNo(c) };
      delete c.attrs[n];
      return true;
    }
    return false;
  }

  private partNo(c: StoredContact): string {
    return String(Object.keys(c.parts).length + 1);
  }

  private attrName(a: AttrIn): string {
    if (a.n === undefined || a.n.trim() === '') throw fault.invalid('at least one contact field name is blank');
    return a.n;
  }

  private member(m: MemberIn): Member {
    if (!m.type) throw fault.invalid('missing member type');
    if (!m.value) throw fault.invalid('missing member value');
    if (!MEMBER_TYPES.has(m.type)) throw fault.invalid(`invalid member type: ${m.type}`);
    if (m.type === 'C' && !m.value.includes(':')) this.contact(m.value);
    return { type: m.type, value: m.value };
  }

  private mergeMember(members: Member[], m: MemberIn): Member[] {
    if (m.op === undefined) throw fault.invalid('missing required attribute: op');
    if (m.op === 'reset') return [];
    if (m.op !== '+' && m.op !== '-') throw fault.invalid(`unknown member op: ${m.op}`);
    const mem = this.member(m);
    const same = (x: Member) => x.type === mem.type && x.value === mem.value;
    if (m.op === '+') {
      if (members.some(same)) throw fault.invalid(`member already exists: ${mem.value}`);
      return [...members, mem];
    }
    if (!members.some(same)) throw fault.invalid(`no such member: ${mem.value}`);
    return members.filter((x) => !same(x));
  }
}

/** Zimbra's `fileAs` rules (1–8) for the display/sort string. */
export function fileAsStr(c: StoredContact): string {
  const a = (n: string) => {
    const v = c.attrs[n];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  };
  const first = a('firstName');
  const last = a('lastName');
  const company = a('company');
  const lf = [last, first].filter(Boolean).join(', ');
  const fl = [first, last].filter(Boolean).join(' ');
  const paren = (x: string, y: string) => (x && y ? `${x} (${y})` : x || y);
  const fileAs = a('fileAs');
  if (fileAs.startsWith('8:')) return fileAs.slice(2);
  const byRule: Record<string, string> = {
    '2': fl,
    '3': company,
    '4': paren(lf, company),
    '5': paren(fl, company),
    '6': paren(company, lf),
    '7': paren(company, fl),
  };
  return byRule[fileAs] || lf || a('fullName') || a('nickname') || company || a('email');
}
