import type { MailcowConfig } from '../../config.ts';
import { BackendError } from '../../errors.ts';
import { given } from '../../objects.ts';
import { describe, type HttpClient, parseJson, type Req, type Res, segment } from '../http.ts';
import { mailcowHttp } from './http.ts';
import {
  type AliasFields,
  type DeleteOp,
  DOMAIN_DEFAULTS,
  type DomainFields,
  domainOf,
  MAILBOX_DEFAULTS,
  type MailboxFields,
  type MailcowApi,
  type NewMailbox,
  type NewSyncJob,
  type Outcome,
  type Row,
  type SyncJobFields,
  same,
  withJobDefaults,
} from './types.ts';

const API = '/api/v1';

export function mailcowMessage(body: unknown): string | undefined {
  if (body && typeof body === 'object' && 'msg' in body) {
    const msg = (body as { msg: unknown }).msg;
    return Array.isArray(msg) ? msg.map(String).join(' ') : String(msg);
  }
  return undefined;
}

function messageOf(res: Res): string {
  try {
    return mailcowMessage(JSON.parse(res.text)) ?? res.text;
  } catch {
    return res.text;
  }
}

function withGoto<T extends { goto?: string[] }>(fields: T): Omit<T, 'goto'> & { goto?: string } {
  const { goto, ...rest } = fields;
  return given({ ...rest, goto: goto?.join(',') }) as Omit<T, 'goto'> & { goto?: string };
}

/** The RESTful Email Management API of the seed: Bearer auth, JSON bodies, `{type, msg}` answers. */
export class MailcowRest implements MailcowApi {
  readonly http: HttpClient;

  constructor(cfg: MailcowConfig, opts: { timeoutMs: number; maxRetryWaitMs: number }) {
    this.http = mailcowHttp(cfg, opts, { authorization: `Bearer ${cfg.apiKey}` }, messageOf);
  }

  static requests = {
    deleteDomain: (d: string): Req => ({ method: 'DELETE', path: `${API}/domains/${segment(d)}` }),
    deleteMailbox: (e: string): Req => ({ method: 'DELETE', path: `${API}/mailboxes/${segment(e)}` }),
    deleteAlias: (id: string | number): Req => ({ method: 'DELETE', path: `${API}/aliases/${segment(id)}` }),
    deleteSyncJob: (id: string | number): Req => ({ method: 'DELETE', path: `${API}/syncjobs/${segment(id)}` }),
  };

  preview(op: DeleteOp, id: string | number): string {
    return describe(MailcowRest.requests[op](String(id)));
  }

  private async list(path: string, signal?: AbortSignal): Promise<Row[]> {
    const body = await this.http.json<unknown>({ method: 'GET', path: `${API}/${path}` }, signal);
    if (Array.isArray(body)) return body as Row[];
    if (body && typeof body === 'object') {
      const inner = (body as Row).items ?? (body as Row).data;
      if (Array.isArray(inner)) return inner as Row[];
      if (Object.keys(body).length === 0) return [];
    }
    if (body === undefined) return [];
    throw new BackendError('mailcow', 200, `unexpected answer to GET ${API}/${path}`);
  }

  /** A write: 2xx with `{type: "success"}`; an error `type` in a 2xx answer is still a failure. */
  private async write(req: Req, signal?: AbortSignal): Promise<Outcome> {
    const res = await this.http.send(req, signal);
    const body = parseJson('mailcow', res);
    const outcome = (
      body && typeof body === 'object' && !Array.isArray(body) ? body : { type: 'success', msg: body }
    ) as Outcome;
    if (outcome.type === 'error' || outcome.type === 'danger') {
      throw new BackendError('mailcow', res.status, mailcowMessage(outcome) ?? 'error');
    }
    return outcome;
  }

  listDomains(signal?: AbortSignal) {
    return this.list('domains', signal);
  }
  createDomain(domain: string, f: DomainFields, signal?: AbortSignal) {
    const d = { ...DOMAIN_DEFAULTS, ...given(f) };
    const json = given({
      domain,
      active: d.active,
      aliases: d.aliases,
      backupmx: f.backupmx,
      defquota: d.defquota,
      description: f.description,
      mailboxes: d.mailboxes,
      maxquota: d.maxquota,
      quota: d.quota,
    });
    return this.write({ method: 'POST', path: `${API}/domains`, json }, signal);
  }
  updateDomain(domain: string, f: DomainFields, signal?: AbortSignal) {
    return this.write({ method: 'PUT', path: `${API}/domains/${segment(domain)}`, json: given(f) }, signal);
  }
  deleteDomain(domain: string, signal?: AbortSignal) {
    return this.write(MailcowRest.requests.deleteDomain(domain), signal);
  }

  async listMailboxes(domain?: string, signal?: AbortSignal) {
    const all = await this.list('mailboxes', signal);
    return domain ? all.filter((m) => same(m.domain ?? domainOf(m.username), domain)) : all;
  }
  async getMailbox(email: string, signal?: AbortSignal) {
    const body = await this.http.json<Row>({ method: 'GET', path: `${API}/mailboxes/${segment(email)}` }, signal);
    return body ?? {};
  }
  createMailbox(m: NewMailbox, signal?: AbortSignal) {
    const json = given({
      active: m.active ?? MAILBOX_DEFAULTS.active,
      domain: m.domain,
      local_part: m.local_part,
      name: m.name,
      password: m.password,
      quota: m.quota ?? MAILBOX_DEFAULTS.quota,
      force_pw_update: m.force_pw_update,
      tls_enforce_in: m.tls_enforce_in,
      tls_enforce_out: m.tls_enforce_out,
    });
    return this.write({ method: 'POST', path: `${API}/mailboxes`, json }, signal);
  }
  updateMailbox(email: string, f: MailboxFields, signal?: AbortSignal) {
    return this.write({ method: 'PUT', path: `${API}/mailboxes/${segment(email)}`, json: given(f) }, signal);
  }
  deleteMailbox(email: string, signal?: AbortSignal) {
    return this.write(MailcowRest.requests.deleteMailbox(email), signal);
  }

  async listAliases(domain?: string, signal?: AbortSignal) {
    const all = await this.list('aliases', signal);
    return domain ? all.filter((a) => same(a.domain ?? domainOf(a.address), domain)) : all;
  }
  createAlias(f: AliasFields & { address: string; goto: string[] }, signal?: AbortSignal) {
    return this.write({ method: 'POST', path: `${API}/aliases`, json: withGoto(f) }, signal);
  }
  updateAlias(id: number, f: AliasFields, signal?: AbortSignal) {
    return this.write({ method: 'PUT', path: `${API}/aliases/${segment(id)}`, json: withGoto(f) }, signal);
  }
  deleteAlias(id: number, signal?: AbortSignal) {
    return this.write(MailcowRest.requests.deleteAlias(id), signal);
  }

  async listSyncJobs(mailbox?: string, signal?: AbortSignal) {
    const all = await this.list('syncjobs', signal);
    return mailbox ? all.filter((j) => same(j.username ?? j.user2, mailbox)) : all;
  }
  /** The same defaults as the native style, sent explicitly, so a job behaves alike in both. */
  createSyncJob(job: NewSyncJob, signal?: AbortSignal) {
    return this.write({ method: 'POST', path: `${API}/syncjobs`, json: withJobDefaults(job) }, signal);
  }
  updateSyncJob(id: number, f: SyncJobFields, signal?: AbortSignal) {
    return this.write({ method: 'PUT', path: `${API}/syncjobs/${segment(id)}`, json: given(f) }, signal);
  }
  deleteSyncJob(id: number, signal?: AbortSignal) {
    return this.write(MailcowRest.requests.deleteSyncJob(id), signal);
  }
}
