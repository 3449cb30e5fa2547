import type { ZimbraConfig } from '../../config.ts';
import { BackendError, cleanText } from '../../errors.ts';
import { addSecret } from '../../redact.ts';
import { describe, type Failure, HttpClient, type Req, type Res } from '../http.ts';
import { contactOf, foldersOf } from './contact.ts';
import * as R from './requests.ts';
import { assertNone, modifyProblems } from './rules.ts';
import type {
  ActionResult,
  Contact,
  ContactFolder,
  ContactOp,
  ContactQuery,
  ModifySpec,
  NewContact,
  SearchPage,
  SearchSpec,
  Target,
  ZimbraApi,
} from './types.ts';
import {
  attr,
  bodyOf,
  child,
  children,
  envelope,
  type Fault,
  faultOf,
  loadXml,
  parseXml,
  textOf,
  type XNode,
} from './xml.ts';

export const SOAP_PATH = '/service/soap';
const RELOGIN = new Set(['service.AUTH_EXPIRED', 'service.AUTH_REQUIRED']);
const TOKEN_HINT = 'Set a fresh ZIMBRA_AUTH_TOKEN, or configure ZIMBRA_USERNAME and ZIMBRA_PASSWORD.';
// Renew a little before the lifetime AuthResponse announced runs out.
const EXPIRY_MARGIN_MS = 60_000;

const HINTS: Record<string, string> = {
  'mail.NO_SUCH_CONTACT': 'Check the id with zimbra_search_contacts.',
  'mail.NO_SUCH_FOLDER': 'Check folder_id with zimbra_list_contact_folders.',
  'mail.CANNOT_CONTAIN': 'Contacts go in a contact folder; see zimbra_list_contact_folders.',
  'mail.NO_SUCH_ITEM': 'Check item_id.',
  'mail.NO_SUCH_UPLOAD': 'Upload the file again and use the new upload id.',
  'mail.MODIFY_CONFLICT': 'Read the contact again, then retry.',
  'mail.QUERY_PARSE_ERROR': 'Fix the query syntax, e.g. in:contacts smith.',
  'mail.TOO_MANY_CONTACTS': 'Delete contacts or ask the administrator to raise the limit.',
  'service.PERM_DENIED': 'This login has no rights on that mailbox; check account.',
  'account.NO_SUCH_ACCOUNT': 'Check the account address.',
  'account.AUTH_FAILED': 'Check ZIMBRA_USERNAME and ZIMBRA_PASSWORD.',
  'service.AUTH_EXPIRED': TOKEN_HINT,
  'service.AUTH_REQUIRED': TOKEN_HINT,
};

/** A SOAP fault from Zimbra: status 500, Zimbra's reason and `Error/Code`. */
export class ZimbraFault extends BackendError {
  constructor(
    status: number,
    readonly fault: Fault,
  ) {
    const code = fault.code ? ` (${fault.code})` : '';
    const hint =
      (fault.code && HINTS[fault.code]) ?? (fault.sender ? undefined : 'The Zimbra server failed; retry later.');
    super('zimbra', status, `${cleanText(fault.reason) || 'SOAP fault'}${code}.`, hint);
  }
  get code(): string | undefined {
    return this.fault.code;
  }
}

/** A failed answer: the SOAP fault it holds, else what a proxy or web server said instead. */
function failure(res: Res, f: Failure): BackendError {
  let fault: Fault | undefined;
  try {
    fault = faultOf(bodyOf(parseXml(res.text)));
  } catch {
    // not XML
  }
  return fault ? new ZimbraFault(res.status, fault) : new BackendError('zimbra', res.status, f.message, f.hint);
}

/** Zimbra's SOAP API (SOAP 1.2 XML) for contacts in urn:zimbraMail. */
export class ZimbraSoap implements ZimbraApi {
  readonly http: HttpClient;
  private token?: string;
  private expiresAt = Number.POSITIVE_INFINITY;
  private login?: Promise<string>;

  constructor(
    private readonly cfg: ZimbraConfig,
    opts: { timeoutMs: number; maxRetryWaitMs: number },
  ) {
    if (cfg.auth.kind === 'token') this.token = cfg.auth.token;
    this.http = new HttpClient({
      backend: 'zimbra',
      baseUrl: cfg.url,
      timeoutMs: opts.timeoutMs,
      maxRetryWaitMs: opts.maxRetryWaitMs,
      headers: () => ({ accept: 'application/soap+xml, text/xml' }),
      // Zimbra does not throttle with a status of its own; faults are never retried.
      throttled: () => undefined,
      message: (res) => (res.text.trim().startsWith('<') ? `HTTP ${res.status} without a SOAP answer` : res.text),
      failure,
    });
  }

  /** The HTTP request for one SOAP call; the token also goes in the cookie that Zimbra's proxy routes by. */
  static request(call: R.SoapCall, ctx: { authToken?: string; account?: string }): Req {
    return {
      method: 'POST',
      path: SOAP_PATH,
      body: envelope(call.name, call.node, ctx),
      contentType: 'application/soap+xml; charset=utf-8',
      headers: ctx.authToken ? { cookie: `ZM_AUTH_TOKEN=${ctx.authToken}` } : undefined,
    };
  }

  previewModify(spec: ModifySpec, account?: string): string {
    return preview(R.modifyContact(spec), 'cn', account);
  }

  previewAction(op: ContactOp, ids: string[], folderId?: number, account?: string): string {
    return preview(R.contactAction(op, ids, folderId), 'action', account);
  }

  async modifyContact(spec: ModifySpec, t: Target = {}): Promise<Contact> {
    assertNone(modifyProblems(spec));
    const res = await this.invoke(R.modifyContact(spec), t);
    return contactOf(this.expect(child(res, 'cn'), 'cn in ModifyContactResponse'));
  }

  async createContact(spec: NewContact, t: Target = {}): Promise<Contact> {
    const res = await this.invoke(R.createContact(spec), t);
    return contactOf(this.expect(child(res, 'cn'), 'cn in CreateContactResponse'));
  }

  async getContacts(q: ContactQuery, t: Target = {}): Promise<Contact[]> {
    const res = await this.invoke(R.getContacts(q), t);
    return children(res, 'cn').map(contactOf);
  }

  async contactType(id: number, t: Target = {}): Promise<string> {
    const [c] = await this.getContacts({ ids: [String(id)], attrs: ['type'] }, t);
    const type = c?.attrs?.type;
    return typeof type === 'string' ? type : 'contact';
  }

  async searchContacts(s: SearchSpec, t: Target = {}): Promise<SearchPage> {
    const res = await this.invoke(R.search(s), t);
    const items = children(res, 'cn').map(contactOf);
    const more = attr(res, 'more');
    return {
      items,
      offset: Number(attr(res, 'offset') ?? s.offset ?? 0),
      limit: s.limit ?? 10,
      has_more: more === '1' || more === 'true',
    };
  }

  async listContactFolders(t: Target = {}): Promise<ContactFolder[]> {
    const res = await this.invoke(R.contactFolders(), t);
    return children(res, 'folder').flatMap(foldersOf);
  }

  async contactAction(
    op: ContactOp,
    ids: string[],
    folderId: number | undefined,
    t: Target = {},
  ): Promise<ActionResult> {
    const res = await this.invoke(R.contactAction(op, ids, folderId), t);
    const action = this.expect(child(res, 'action'), 'action in ContactActionResponse');
    const done = (attr(action, 'id') ?? '').split(',').filter(Boolean);
    const missing = ids.filter((id) => !done.includes(id));
    return { op: attr(action, 'op') ?? op, ids: done, not_done: missing.length ? missing : undefined };
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /** One authenticated call; a login that expired or went missing is renewed once (password auth only). */
  private async invoke(call: R.SoapCall, t: Target): Promise<XNode> {
    const token = await this.authToken(t.signal);
    try {
      return await this.post(call, { authToken: token, account: t.account }, t.signal);
    } catch (err) {
      if (!(err instanceof ZimbraFault && err.code && RELOGIN.has(err.code) && this.cfg.auth.kind === 'password'))
        throw err;
      if (this.token === token) this.token = undefined;
      const fresh = await this.authToken(t.signal);
      return this.post(call, { authToken: fresh, account: t.account }, t.signal);
    }
  }

  private authToken(signal?: AbortSignal): Promise<string> {
    const auth = this.cfg.auth;
    if (auth.kind === 'token') return Promise.resolve(auth.token);
    if (this.token && Date.now() < this.expiresAt) return Promise.resolve(this.token);
    // Shared by every caller waiting for it, so it runs on its own timeout (the client's per-request one),
    // never on one caller's signal: a caller that cancels stops waiting, the others still get the token.
    if (!this.login) {
      this.login = this.authenticate(auth.username, auth.password).finally(() => {
        this.login = undefined;
      });
      // Every caller may have given up by the time it fails: that is no unhandled rejection.
      this.login.catch(() => undefined);
    }
    return waitFor(this.login, signal);
  }

  private async authenticate(username: string, password: string): Promise<string> {
    const res = await this.post(R.auth(username, password), {});
    const token = textOf(child(res, 'authToken'));
    if (!token) throw new BackendError('zimbra', 200, 'AuthResponse without an authToken', 'Check ZIMBRA_URL.');
    addSecret(token);
    const lifetime = Number(textOf(child(res, 'lifetime')));
    this.token = token;
    this.expiresAt = lifetime > 0 ? Date.now() + lifetime - EXPIRY_MARGIN_MS : Number.POSITIVE_INFINITY;
    return token;
  }

  /** Sends one envelope and returns the `…Response` element. */
  private async post(
    call: R.SoapCall,
    ctx: { authToken?: string; account?: string },
    signal?: AbortSignal,
  ): Promise<XNode> {
    await loadXml();
    const res = await this.http.send(ZimbraSoap.request(call, ctx), signal);
    const expected = call.name.replace(/Request$/, 'Response');
    let body: XNode | undefined;
    try {
      body = bodyOf(parseXml(res.text));
    } catch {
      throw new BackendError(
        'zimbra',
        res.status,
        'answered with something other than a SOAP envelope',
        'Check ZIMBRA_URL (the server, not /service/soap).',
      );
    }
    const fault = faultOf(body);
    if (fault) throw new ZimbraFault(res.status, fault);
    return this.expect(child(body, expected), expected);
  }

  private expect(node: XNode | undefined, what: string): XNode {
    if (!node) throw new BackendError('zimbra', 200, `unexpected answer: no ${what}`, 'Check ZIMBRA_URL.');
    return node;
  }
}

/** `promise`, unless `signal` aborts first (then a cancellation; the promise itself runs on). */
function waitFor<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  const cancelled = () => new BackendError('zimbra', 0, 'request cancelled');
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

function preview(call: R.SoapCall, first: string, account?: string): string {
  const on = account ? ` in mailbox ${account}` : '';
  return `${describe({ method: 'POST', path: SOAP_PATH })} ${R.summary(call, first)}${on}`;
}
