import type { RackspaceConfig } from '../../config.ts';
import { BackendError } from '../../errors.ts';
import { VERSION } from '../../version.ts';
import { describe, type Failure, HttpClient, impliedWait, parseJson, type Req, type Res, segment } from '../http.ts';
import { apiSignature } from './sign.ts';
import type {
  Done,
  Listing,
  MailboxFields,
  MobileService,
  NewMailbox,
  Page,
  Row,
  SpamList,
  SpamSettings,
} from './types.ts';

export const USER_AGENT = `mailops-mcp/${VERSION}`;
export const THROTTLED = 'Exceeded request limits';

export interface RackspaceOptions {
  timeoutMs: number;
  maxRetryWaitMs: number;
  userAgent?: string;
  /** Clock for the signature timestamp (tests). */
  now?: () => Date;
  /** First wait after `Exceeded request limits`; doubles while throttling lasts. */
  throttleWaitMs?: number;
}

const isRow = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown) =>
  typeof v === 'number'
    ? v
    : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
      ? Number(v)
      : undefined;

/** The backend's own words: a fault body (`badRequestFault`, `itemNotFoundFault`, …), else `x-error-message`. */
export function faultMessage(res: Res): string {
  try {
    const body = JSON.parse(res.text) as unknown;
    if (isRow(body)) {
      for (const [key, value] of Object.entries(body)) {
        if (/fault$/i.test(key) && isRow(value) && typeof value.message === 'string') return value.message;
      }
    }
  } catch {
    // not JSON: fall through to the header
  }
  return res.headers['x-error-message'] || res.text || `HTTP ${res.status}`;
}

/** One Index answer as a listing: its collection (whatever its key) and `offset`/`size`/`total`. */
export function listing(body: unknown): Listing {
  if (Array.isArray(body)) return { items: body };
  if (!isRow(body)) return { items: [] };
  const items = Object.values(body).find(Array.isArray) ?? [];
  const out: Listing = { items };
  for (const k of ['offset', 'size', 'total'] as const) {
    const n = num(body[k]);
    if (n !== undefined) out[k] = n;
  }
  return out;
}

function form(fields: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = String(v);
  return out;
}

/** The backend's message (passwords the request carried are already scrubbed by the core), and a next step. */
function failure(res: Res, { message, hint: coreHint }: Failure): BackendError {
  let hint = coreHint ?? hintFor(res.status, message);
  if (message === THROTTLED) hint = `${hint ?? ''} Rackspace counts requests per key per minute.`.trim();
  return new BackendError('rackspace', res.status, message, hint);
}

function hintFor(status: number, message: string): string | undefined {
  if (status === 403 && /authentication failed/i.test(message)) {
    return 'Check RACKSPACE_USER_KEY, RACKSPACE_SECRET_KEY and the system clock (the signature carries a UTC timestamp).';
  }
  if (status === 404 && /customer not found/i.test(message)) return 'Check RACKSPACE_CUSTOMER_ID.';
  if (status === 404 && /mailbox not found|no user with/i.test(message))
    return 'Check the name with rackspace_list_exchange_mailboxes.';
  if (status === 404 && /^\S+ not found$/i.test(message)) return 'Check the domain name.';
  return undefined;
}

/** Rackspace Email REST API: signed requests under `/customers/{id}/domains/{domain}/ex/…`. */
export class RackspaceClient {
  readonly http: HttpClient;
  private readonly root: string;
  private streak = 0;

  constructor(cfg: RackspaceConfig, opts: RackspaceOptions) {
    const userAgent = opts.userAgent ?? USER_AGENT;
    const now = opts.now ?? (() => new Date());
    const base = opts.throttleWaitMs ?? 1000;
    this.root = `/customers/${segment(cfg.customerId)}/domains`;
    this.http = new HttpClient({
      backend: 'rackspace',
      baseUrl: cfg.url,
      timeoutMs: opts.timeoutMs,
      maxRetryWaitMs: opts.maxRetryWaitMs,
      // Runs on every attempt, so a retry carries a fresh timestamp.
      headers: () => ({
        'user-agent': userAgent,
        'x-api-signature': apiSignature(cfg.userKey, cfg.secretKey, userAgent, now()),
        accept: 'application/json',
      }),
      // Throttling is a 403 without Retry-After: back off 1 s, 2 s, 4 s… as the official client does.
      throttled: (res) => {
        if (res.status !== 403 || faultMessage(res).trim() !== THROTTLED) return undefined;
        return impliedWait(res.headers) ?? base * 2 ** this.streak++;
      },
      message: faultMessage,
      failure,
    });
  }

  /** Path of `…/domains/{domain}/ex/{parts}`, each part encoded as one segment. */
  private at(domain: string, ...parts: string[]): string {
    return [this.root, segment(domain), 'ex', ...parts.map(segment)].join('/');
  }

  /** Every operation's request: what is sent, and what confirmation previews show. */
  readonly req = {
    // The customer's domain index (the official clients' `GET /customers/{n}/domains`): the doctor's cheap read.
    listDomains: (p: Page = {}): Req => ({ method: 'GET', path: this.root, query: { size: p.size, offset: p.offset } }),
    listMailboxes: (d: string, p: Page = {}): Req => ({
      method: 'GET',
      path: this.at(d, 'mailboxes'),
      query: { size: p.size, offset: p.offset },
    }),
    getMailbox: (d: string, m: string): Req => ({ method: 'GET', path: this.at(d, 'mailboxes', m) }),
    createMailbox: (d: string, m: string, f: NewMailbox): Req => ({
      method: 'POST',
      path: this.at(d, 'mailboxes', m),
      form: form(f),
    }),
    updateMailbox: (d: string, m: string, f: MailboxFields): Req => ({
      method: 'PUT',
      path: this.at(d, 'mailboxes', m),
      form: form(f),
    }),
    deleteMailbox: (d: string, m: string): Req => ({ method: 'DELETE', path: this.at(d, 'mailboxes', m) }),
    addEmailAddress: (d: string, m: string, a: string): Req => ({
      method: 'POST',
      path: this.at(d, 'mailboxes', m, 'emailaddresses', a),
    }),
    removeEmailAddress: (d: string, m: string, a: string): Req => ({
      method: 'DELETE',
      path: this.at(d, 'mailboxes', m, 'emailaddresses', a),
    }),
    listSpam: (d: string, m: string, l: SpamList): Req => ({
      method: 'GET',
      path: this.at(d, 'mailboxes', m, 'spam', l),
    }),
    addSpamEntry: (d: string, m: string, l: SpamList, e: string): Req => ({
      method: 'POST',
      path: this.at(d, 'mailboxes', m, 'spam', l, e),
    }),
    removeSpamEntry: (d: string, m: string, l: SpamList, e: string): Req => ({
      method: 'DELETE',
      path: this.at(d, 'mailboxes', m, 'spam', l, e),
    }),
    getSpamSettings: (d: string, m: string): Req => ({
      method: 'GET',
      path: this.at(d, 'mailboxes', m, 'spam', 'settings'),
    }),
    updateSpamSettings: (d: string, m: string, s: SpamSettings): Req => ({
      method: 'PUT',
      path: this.at(d, 'mailboxes', m, 'spam', 'settings'),
      form: form(s),
    }),
    listService: (d: string, s: MobileService, p: Page = {}): Req => ({
      method: 'GET',
      path: this.at(d, `${s}mobileservices`),
      query: { size: p.size, offset: p.offset },
    }),
    addService: (d: string, m: string, s: MobileService, activationPassword?: string): Req => ({
      method: 'POST',
      path: this.at(d, 'mailboxes', m, `${s}mobileservice`),
      ...(activationPassword === undefined ? {} : { form: { activationPassword } }),
    }),
    removeService: (d: string, m: string, s: MobileService): Req => ({
      method: 'DELETE',
      path: this.at(d, 'mailboxes', m, `${s}mobileservice`),
    }),
  };

  preview(req: Req): string {
    return describe(req);
  }

  /** Sends `r`; the throttling back-off starts over with each call. */
  private async send(r: Req, signal?: AbortSignal): Promise<Res> {
    try {
      return await this.http.send(r, signal);
    } finally {
      this.streak = 0;
    }
  }

  private async json(r: Req, signal?: AbortSignal): Promise<unknown> {
    return parseJson('rackspace', await this.send(r, signal));
  }

  private async write(r: Req, signal?: AbortSignal): Promise<Done> {
    // Rackspace answers a write with an empty body (or JSON); anything else is not Rackspace speaking.
    parseJson('rackspace', await this.send(r, signal));
    return { ok: true, request: describe(r) };
  }

  async listDomains(p: Page, signal?: AbortSignal): Promise<Listing> {
    return listing(await this.json(this.req.listDomains(p), signal));
  }
  async listMailboxes(d: string, p: Page, signal?: AbortSignal): Promise<Listing> {
    return listing(await this.json(this.req.listMailboxes(d, p), signal));
  }
  async getMailbox(d: string, m: string, signal?: AbortSignal): Promise<Row> {
    const body = await this.json(this.req.getMailbox(d, m), signal);
    if (!isRow(body))
      throw new BackendError('rackspace', 200, `unexpected answer to ${describe(this.req.getMailbox(d, m))}`);
    return body;
  }
  createMailbox(d: string, m: string, f: NewMailbox, signal?: AbortSignal) {
    return this.write(this.req.createMailbox(d, m, f), signal);
  }
  updateMailbox(d: string, m: string, f: MailboxFields, signal?: AbortSignal) {
    return this.write(this.req.updateMailbox(d, m, f), signal);
  }
  deleteMailbox(d: string, m: string, signal?: AbortSignal) {
    return this.write(this.req.deleteMailbox(d, m), signal);
  }
  addEmailAddress(d: string, m: string, a: string, signal?: AbortSignal) {
    return this.write(this.req.addEmailAddress(d, m, a), signal);
  }
  removeEmailAddress(d: string, m: string, a: string, signal?: AbortSignal) {
    return this.write(this.req.removeEmailAddress(d, m, a), signal);
  }

  async listSpam(d: string, m: string, l: SpamList, signal?: AbortSignal): Promise<Listing> {
    const { items } = listing(await this.json(this.req.listSpam(d, m, l), signal));
    return { items, total: items.length };
  }
  addSpamEntry(d: string, m: string, l: SpamList, e: string, signal?: AbortSignal) {
    return this.write(this.req.addSpamEntry(d, m, l, e), signal);
  }
  removeSpamEntry(d: string, m: string, l: SpamList, e: string, signal?: AbortSignal) {
    return this.write(this.req.removeSpamEntry(d, m, l, e), signal);
  }
  async getSpamSettings(d: string, m: string, signal?: AbortSignal): Promise<Row> {
    const body = await this.json(this.req.getSpamSettings(d, m), signal);
    return isRow(body) ? body : {};
  }
  updateSpamSettings(d: string, m: string, s: SpamSettings, signal?: AbortSignal) {
    return this.write(this.req.updateSpamSettings(d, m, s), signal);
  }

  /** Mailboxes with a mobile service: one page (Rackspace's default size is 50). */
  async listService(d: string, s: MobileService, p: Page = {}, signal?: AbortSignal): Promise<Listing> {
    return listing(await this.json(this.req.listService(d, s, p), signal));
  }
  addService(d: string, m: string, s: MobileService, activationPassword?: string, signal?: AbortSignal) {
    return this.write(this.req.addService(d, m, s, activationPassword), signal);
  }
  removeService(d: string, m: string, s: MobileService, signal?: AbortSignal) {
    return this.write(this.req.removeService(d, m, s), signal);
  }
}
