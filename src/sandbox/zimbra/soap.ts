import {
  attr,
  bodyOf,
  buildXml,
  child,
  children,
  el,
  loadXml,
  NS,
  parseXml,
  SOAP11,
  SOAP12,
  textOf,
  type XNode,
} from '../../backends/zimbra/xml.ts';
import { type Call, Emulator, type Reply } from '../emulator.ts';
import { fault, SoapFault } from './faults.ts';
import {
  type AttrIn,
  fileAsStr,
  type Mailbox,
  type MemberIn,
  type StoredContact,
  type StoredFolder,
  TRASH,
} from './mailbox.ts';
import { search } from './search.ts';
import type { Account, ZimbraState } from './state.ts';

// Zimbra's SOAP endpoint over XML (SOAP 1.2, and 1.1 for faults): faults come back with HTTP 500.

interface Req {
  name: string;
  node: XNode;
  caller: Account;
  mailbox: Mailbox;
}
type Handler = (r: Req, st: ZimbraState) => XNode;

function bool(node: XNode, name: string, dflt: boolean): boolean {
  const v = attr(node, name);
  if (v === undefined) return dflt;
  const s = v.toLowerCase();
  if (s === '1' || s === 'true') return true;
  if (s === '0' || s === 'false') return false;
  throw fault.invalid(`invalid boolean value: ${v}`);
}

const attrsIn = (cn: XNode): AttrIn[] =>
  children(cn, 'a').map((a) => ({
    n: attr(a, 'n'),
    op: attr(a, 'op'),
    aid: attr(a, 'aid'),
    id: attr(a, 'id'),
    part: attr(a, 'part'),
    value: textOf(a),
  }));
const membersIn = (cn: XNode): MemberIn[] =>
  children(cn, 'm').map((m) => ({ op: attr(m, 'op'), type: attr(m, 'type'), value: attr(m, 'value') }));

interface Shape {
  fields?: Set<string>;
  memberOf?: boolean;
  deref?: boolean;
  imapUid?: boolean;
  modSeq?: boolean;
  md?: boolean;
  sf?: boolean;
}

/** ContactInfo as Zimbra encodes it. */
export function cnNode(mb: Mailbox, c: StoredContact, o: Shape = {}): XNode {
  const keep = (n: string) => !o.fields || o.fields.has(n);
  const a: XNode[] = [];
  for (const [n, v] of Object.entries(c.attrs))
    if (keep(n)) for (const x of Array.isArray(v) ? v : [v]) a.push(el({ n }, {}, x));
  for (const [n, p] of Object.entries(c.parts))
    if (keep(n)) a.push(el({ part: p.part, ct: p.ct, s: p.s, filename: p.filename, n }));
  const m = c.members.map((x) => {
    const ref = o.deref && x.type === 'C' ? safeContact(mb, x.value) : undefined;
    return el({ type: x.type, value: x.value }, { cn: ref ? [cnNode(mb, ref)] : undefined });
  });
  const groups = o.memberOf ? mb.memberOf(c) : [];
  const file = fileAsStr(c);
  return el(
    {
      id: c.id,
      i4uid: o.imapUid ? c.imapUid : undefined,
      l: c.folder,
      f: c.flags || undefined,
      t: c.tags.length ? c.tags.map((t) => mb.tagIds.get(t)).join(',') : undefined,
      tn: c.tags.length ? c.tags.join(',') : undefined,
      md: o.md ? c.md : undefined,
      ms: o.modSeq ? c.ms : undefined,
      d: c.date,
      rev: c.rev,
      sf: o.sf ? file.toLowerCase() : undefined,
      fileAsStr: file,
    },
    {
      a: a.length ? a : undefined,
      m: m.length ? m : undefined,
      memberOf: groups.length ? el({}, {}, groups.join(',')) : undefined,
    },
  );
}

// MailItem.Type names a `view` may take.
const VIEWS = new Set([
  'search folder',
  'tag',
  'conversation',
  'message',
  'contact',
  'document',
  'appointment',
  'task',
]);

/**
 * GetFolder's tree (zm-mailbox GetFolder.java `filterByView` + ToXML `encodeFolder`): with a `view`, folders of
 * another view (Trash excepted) shrink to `<folder id name>` placeholders and are dropped when nothing below
 * them matches; the others carry their attributes, `n` being the item count.
 */
function folderNode(mb: Mailbox, f: StoredFolder, view: string | undefined): XNode | undefined {
  const subs = [...mb.folders.values()]
    .filter((x) => x.parent === f.id && x.id !== f.id)
    .sort((a, b) => a.id - b.id)
    .map((x) => folderNode(mb, x, view))
    .filter((x): x is XNode => x !== undefined);
  const kids = { folder: subs.length ? subs : undefined };
  const match = view === undefined || f.id === TRASH || f.view === view;
  if (!match) return subs.length ? el({ id: f.id, name: f.name }, kids) : undefined;
  const n = [...mb.contacts.values()].filter((c) => c.folder === f.id).length;
  return el(
    {
      id: f.id,
      deletable: f.id >= 256,
      name: f.name,
      absFolderPath: mb.path(f),
      l: f.parent,
      view: f.view,
      rev: 1,
      ms: 1,
      n,
      s: 0,
    },
    kids,
  );
}

function safeContact(mb: Mailbox, id: string): StoredContact | undefined {
  try {
    return mb.contact(id);
  } catch {
    return undefined;
  }
}

const handlers: Record<string, Handler> = {
  CreateContactRequest: ({ node, mailbox }) => {
    const cn = child(node, 'cn');
    if (!cn) throw fault.invalid('missing required element: cn');
    if (child(cn, 'vcard')) throw fault.invalid('vcard is not supported by this sandbox; send <a> attributes');
    const verbose = bool(node, 'verbose', true);
    const c = mailbox.create({ l: attr(cn, 'l'), tn: attr(cn, 'tn'), attrs: attrsIn(cn), members: membersIn(cn) });
    return el({ xmlns: NS.mail }, { cn: [verbose ? cnNode(mailbox, c, { md: true, deref: true }) : el({ id: c.id })] });
  },

  ModifyContactRequest: ({ node, mailbox }) => {
    const cn = child(node, 'cn');
    if (!cn) throw fault.invalid('missing required element: cn');
    const replace = bool(node, 'replace', false);
    const verbose = bool(node, 'verbose', true);
    const imapUid = bool(node, 'wantImapUid', false);
    const modSeq = bool(node, 'wantModSeq', false);
    const c = mailbox.modify({
      id: attr(cn, 'id'),
      tn: attr(cn, 'tn'),
      replace,
      attrs: attrsIn(cn),
      members: membersIn(cn),
    });
    const out = verbose
      ? cnNode(mailbox, c, { md: true, deref: true, imapUid, modSeq })
      : el({ id: c.id, i4uid: imapUid ? c.imapUid : undefined, ms: modSeq ? c.ms : undefined });
    return el({ xmlns: NS.mail }, { cn: [out] });
  },

  GetContactsRequest: ({ node, mailbox }) => {
    const sortBy = attr(node, 'sortBy');
    if (sortBy !== undefined && sortBy !== 'nameAsc' && sortBy !== 'nameDesc' && sortBy !== 'none') {
      throw fault.invalid(`invalid sortBy: ${sortBy}`);
    }
    const ids = children(node, 'cn').flatMap((c) => (attr(c, 'id') ?? '').split(',').filter(Boolean));
    const l = attr(node, 'l');
    const folder = l === undefined ? undefined : mailbox.folder(l);
    let list = ids.length ? ids.map((id) => mailbox.contact(id)) : [...mailbox.contacts.values()];
    if (folder !== undefined) list = list.filter((c) => c.folder === folder);
    if (sortBy === 'nameAsc' || sortBy === 'nameDesc') {
      list = [...list].sort((x, y) => fileAsStr(x).localeCompare(fileAsStr(y)) * (sortBy === 'nameAsc' ? 1 : -1));
    }
    const names = children(node, 'a').map((a) => attr(a, 'n') ?? '');
    const shape: Shape = {
      fields: names.length ? new Set(names) : undefined,
      memberOf: bool(node, 'memberOf', false),
      // Zimbra dereferences members only for contacts asked for by id.
      deref: bool(node, 'derefGroupMember', false) && ids.length > 0,
      md: bool(node, 'sync', false),
    };
    return el({ xmlns: NS.mail }, { cn: list.map((c) => cnNode(mailbox, c, shape)) });
  },

  SearchRequest: ({ node, mailbox }) => {
    const types = attr(node, 'types') ?? 'conversation';
    if (types !== 'contact') throw fault.invalid(`this sandbox only searches types="contact", not "${types}"`);
    const query = child(node, 'query');
    if (!query) throw fault.invalid('missing required element: query');
    const limit = Math.min(Math.max(Number(attr(node, 'limit') ?? 10) || 10, 1), 1000);
    const offset = Math.max(Number(attr(node, 'offset') ?? 0) || 0, 0);
    const hits = search(mailbox, textOf(query));
    const page = hits.slice(offset, offset + limit);
    return el(
      { xmlns: NS.mail, sortBy: 'nameAsc', offset, more: offset + limit < hits.length },
      { cn: page.map((c) => cnNode(mailbox, c, { md: true, sf: true })) },
    );
  },

  GetFolderRequest: ({ node, mailbox }) => {
    const view = attr(node, 'view');
    if (view !== undefined && !VIEWS.has(view)) throw fault.invalid(`unknown item type: ${view}`);
    const base = attr(child(node, 'folder'), 'l') ?? '1';
    const root = /^\d+$/.test(base) ? mailbox.folders.get(Number(base)) : undefined;
    if (!root) throw fault.noFolder(base);
    const tree = folderNode(mailbox, root, view);
    return el({ xmlns: NS.mail }, { folder: tree ? [tree] : undefined });
  },

  ContactActionRequest: ({ node, mailbox }) => {
    const action = child(node, 'action');
    if (!action) throw fault.invalid('missing required element: action');
    const op = (attr(action, 'op') ?? '').toLowerCase();
    if (!op) throw fault.invalid('missing required attribute: op');
    if (op === 'read' || op === 'spam' || op === '!spam') throw fault.invalid(`invalid operation on contact: ${op}`);
    const ids = (attr(action, 'id') ?? '').split(',').filter(Boolean);
    if (!ids.length) throw fault.invalid('missing required attribute: id');
    const done = mailbox.action(op, ids, attr(action, 'l'), attr(action, 'tn'));
    return el({ xmlns: NS.mail }, { action: [el({ id: done.join(','), op })] });
  },
};

function authenticate(node: XNode, st: ZimbraState): XNode {
  const account = child(node, 'account');
  const name = textOf(account);
  const by = attr(account, 'by') ?? 'name';
  if (!name) throw fault.invalid('missing required element: account');
  if (by !== 'name') throw fault.invalid(`this sandbox only logs in by="name", not "${by}"`);
  const password = child(node, 'password');
  if (!password) throw fault.invalid('must specify password');
  const { token, lifetime } = st.login(name, textOf(password));
  return el(
    { xmlns: NS.account },
    { authToken: el({}, {}, token), lifetime: el({}, {}, String(lifetime)), skin: el({}, {}, 'harmony') },
  );
}

function cookieToken(call: Call): string | undefined {
  const m = /(?:^|;\s*)ZM_AUTH_TOKEN=([^;]+)/.exec(call.headers.cookie ?? '');
  return m?.[1];
}

interface Parsed {
  soap11: boolean;
  header?: XNode;
  name: string;
  node: XNode;
}

function parseCall(call: Call): Parsed {
  const soap11 = call.body.includes(SOAP11) && !call.body.includes(SOAP12);
  if (call.body.trimStart().startsWith('{'))
    throw fault.invalid('this sandbox speaks SOAP XML only, not the JSON protocol');
  let doc: XNode;
  try {
    doc = parseXml(call.body);
  } catch (err) {
    throw fault.parse((err as Error).message);
  }
  const body = bodyOf(doc);
  if (!body) throw fault.parse('no soap Envelope/Body');
  const name = Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text');
  if (!name) throw fault.parse('empty soap Body');
  const node = child(body, name) ?? {};
  return { soap11, header: child(child(child(doc, 'Envelope'), 'Header'), 'context'), name, node };
}

export function envelopeXml(soap11: boolean, content: XNode, changeToken?: number): string {
  const ns = soap11 ? SOAP11 : SOAP12;
  const header =
    changeToken === undefined
      ? undefined
      : { context: el({ xmlns: NS.zimbra }, { change: el({ token: changeToken }) }) };
  return buildXml({ 'soap:Envelope': el({ 'xmlns:soap': ns }, { 'soap:Header': header, 'soap:Body': content }) });
}

export function faultXml(soap11: boolean, f: SoapFault): string {
  const error = el(
    { xmlns: NS.zimbra },
    {
      Code: el({}, {}, f.code),
      Trace: el({}, {}, `qtp-sandbox:${Date.now()}`),
      a: f.args.length ? f.args.map((x) => el({ n: x.n, t: x.t }, {}, x.v)) : undefined,
    },
  );
  const side = f.sender ? (soap11 ? 'soap:Client' : 'soap:Sender') : soap11 ? 'soap:Server' : 'soap:Receiver';
  const body = soap11
    ? { 'soap:Fault': { faultcode: el({}, {}, side), faultstring: el({}, {}, f.message), detail: { Error: error } } }
    : {
        'soap:Fault': {
          'soap:Code': { 'soap:Value': el({}, {}, side) },
          'soap:Reason': { 'soap:Text': el({}, {}, f.message) },
          'soap:Detail': { Error: error },
        },
      };
  return envelopeXml(soap11, body);
}

const XML_HEADERS = { 'content-type': 'text/xml; charset=utf-8', 'cache-control': 'no-store, no-cache' };

/** Answers one SOAP call against the state. */
export function answer(call: Call, st: ZimbraState): Reply {
  let soap11 = false;
  try {
    const p = parseCall(call);
    soap11 = p.soap11;
    const requestId = attr(p.node, 'requestId');
    const respName = p.name.replace(/Request$/, 'Response');
    let content: XNode;
    let change: number | undefined;
    if (p.name === 'AuthRequest') content = authenticate(p.node, st);
    else {
      const handler = handlers[p.name];
      if (!handler) throw fault.unknownDocument(p.name);
      const caller = st.session(textOf(child(p.header, 'authToken')) || cookieToken(call));
      const target = child(p.header, 'account');
      const mailbox = st.target(caller, attr(target, 'by'), target ? textOf(target) : undefined);
      content = handler({ name: p.name, node: p.node, caller, mailbox }, st);
      change = mailbox.changeId;
    }
    if (requestId !== undefined) content['@_requestId'] = requestId;
    return { status: 200, headers: XML_HEADERS, body: envelopeXml(soap11, { [respName]: content }, change) };
  } catch (err) {
    const f = err instanceof SoapFault ? err : fault.failure((err as Error).message);
    return { status: 500, headers: XML_HEADERS, body: faultXml(soap11, f) };
  }
}

/** The Zimbra SOAP emulator at `/service/soap` (a trailing `/` is accepted too). */
export function zimbraSoapEmulator(state: ZimbraState): Emulator & { state: ZimbraState } {
  const emu = new Emulator('zimbra') as Emulator & { state: ZimbraState };
  emu.state = state;
  emu.route('POST', '/service/soap', async (call) => {
    await loadXml();
    return answer(call, state);
  });
  emu.fallback = (_c, mismatch) =>
    mismatch
      ? { status: 405, headers: { allow: 'POST' }, body: 'HTTP method GET is not supported by this URL' }
      : { status: 404, body: 'Not Found' };
  return emu;
}
