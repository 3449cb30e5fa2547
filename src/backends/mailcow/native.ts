import type { MailcowConfig } from '../../config.ts';
import { BackendError, InputError } from '../../errors.ts';
import { given } from '../../objects.ts';
import { describe, type HttpClient, parseJson, type Req, type Res, segment } from '../http.ts';
import { mailcowHttp } from './http.ts';
import { keyOf, words } from './messages.ts';
import {
  type AliasFields,
  type DeleteOp,
  DOMAIN_DEFAULTS,
  type DomainFields,
  MAILBOX_DEFAULTS,
  type MailboxFields,
  type MailcowApi,
  type NewMailbox,
  type NewSyncJob,
  type Outcome,
  type Row,
  type SyncJobFields,
  withJobDefaults,
} from './types.ts';

const API = '/api/v1';
const MiB = 1024 * 1024;

/** mailcow mixes "1"/"0", 1/0 and booleans. */
const bool = (v: unknown) => v === true || v === 1 || v === '1';
const num = (v: unknown) => (v === null || v === undefined || v === '' ? undefined : Number(v));
const mib = (v: unknown) => {
  const n = num(v);
  return n === undefined ? undefined : Math.round(n / MiB);
};

// Native records are mapped onto the REST style's field names, so both styles answer alike (quotas in MiB).
function domainRow(d: Row): Row {
  return given({
    domain: d.domain_name,
    description: d.description,
    active: bool(d.active),
    aliases: num(d.max_num_aliases_for_domain),
    mailboxes: num(d.max_num_mboxes_for_domain),
    defquota: mib(d.def_quota_for_mbox),
    maxquota: mib(d.max_quota_for_mbox),
    quota: mib(d.max_quota_for_domain),
    backupmx: bool(d.backupmx),
    mailboxes_in_domain: num(d.mboxes_in_domain),
    aliases_in_domain: num(d.aliases_in_domain),
    quota_used_in_domain: mib(d.quota_used_in_domain),
    messages: num(d.msgs_total),
    tags: d.tags,
  });
}

function mailboxRow(m: Row): Row {
  const a = (m.attributes ?? {}) as Row;
  // A mailbox's `active` is 1, 0 or 2: "disallow login", where mail is still received
  // (data/web/templates/edit/mailbox.twig).
  const loginOff = m.active === 2 || m.active === '2';
  return given({
    username: m.username,
    domain: m.domain,
    local_part: m.local_part,
    name: m.name,
    active: bool(m.active) || loginOff,
    login_disabled: loginOff || undefined,
    quota: mib(m.quota),
    quota_used: mib(m.quota_used),
    messages: num(m.messages),
    force_pw_update: bool(a.force_pw_update),
    tls_enforce_in: bool(a.tls_enforce_in),
    tls_enforce_out: bool(a.tls_enforce_out),
    tags: m.tags,
  });
}

function aliasRow(a: Row): Row {
  return given({
    id: num(a.id),
    address: a.address,
    goto: a.goto,
    domain: a.domain,
    active: bool(a.active),
    is_catch_all: bool(a.is_catch_all),
    created: a.created,
    modified: a.modified,
  });
}

const JOB_FLAGS = ['delete1', 'delete2', 'delete2duplicates', 'automap', 'skipcrossduplicates', 'active'] as const;
function jobRow(j: Row): Row {
  return given({
    id: num(j.id),
    username: j.user2,
    host1: j.host1,
    port1: num(j.port1),
    user1: j.user1,
    enc1: j.enc1,
    mins_interval: num(j.mins_interval),
    subfolder2: j.subfolder2,
    maxage: num(j.maxage),
    maxbytespersecond: num(j.maxbytespersecond),
    exclude: j.exclude,
    ...Object.fromEntries(JOB_FLAGS.map((f) => [f, bool(j[f])])),
    is_running: bool(j.is_running),
    last_run: j.last_run,
    success: j.success === null || j.success === undefined ? undefined : bool(j.success),
    exit_status: j.exit_status,
    created: j.created,
    modified: j.modified,
  });
}

function messageOf(res: Res): string {
  try {
    const body = JSON.parse(res.text) as Row;
    return body && 'msg' in body ? words(body.msg) : res.text;
  } catch {
    return res.text;
  }
}

/**
 * Sync-job fields on mailcow's wire: the spec types `port1` as a string; the host is lower-cased as add/syncjob
 * does (edit/syncjob stores it as sent).
 */
function jobAttr(f: SyncJobFields): Row {
  return given({ ...f, host1: f.host1?.toLowerCase(), port1: f.port1 === undefined ? undefined : String(f.port1) });
}

// mailcow answers access_denied (or alias_invalid, domain_invalid) where an object does not exist.
const NOT_FOUND = {
  domain: 'mailcow answers this for a domain that does not exist: check it with mailcow_list_domains.',
  mailbox: 'mailcow answers this for a mailbox that does not exist: check it with mailcow_list_mailboxes.',
  alias: 'mailcow answers this for an alias id that does not exist: check it with mailcow_list_aliases.',
  syncjob: 'mailcow answers this for a sync job id that does not exist: check it with mailcow_list_sync_jobs.',
};

/**
 * mailcow-dockerized's own API: `X-API-Key`, action paths, `{items, attr}` edits, id-array deletes, and
 * business errors as HTTP 200 entries of type `danger`.
 */
export class MailcowNative implements MailcowApi {
  readonly http: HttpClient;

  constructor(cfg: MailcowConfig, opts: { timeoutMs: number; maxRetryWaitMs: number }) {
    this.http = mailcowHttp(cfg, opts, { 'x-api-key': cfg.apiKey }, messageOf);
  }

  static requests: Record<DeleteOp, (id: string) => Req> = {
    deleteDomain: (d) => ({ method: 'POST', path: `${API}/delete/domain`, json: [d] }),
    deleteMailbox: (e) => ({ method: 'POST', path: `${API}/delete/mailbox`, json: [e] }),
    deleteAlias: (id) => ({ method: 'POST', path: `${API}/delete/alias`, json: [id] }),
    deleteSyncJob: (id) => ({ method: 'POST', path: `${API}/delete/syncjob`, json: [id] }),
  };

  preview(op: DeleteOp, id: string | number): string {
    const req = MailcowNative.requests[op](String(id));
    return `${describe(req)} ${JSON.stringify(req.json)}`;
  }

  private async get(path: string, signal?: AbortSignal): Promise<unknown> {
    const body = await this.http.json<unknown>({ method: 'GET', path: `${API}/get/${path}` }, signal);
    // An answer without a key (or with a key not allowed here) is an empty 200.
    if (body === undefined)
      throw new BackendError('mailcow', 200, 'empty answer: the API key was not accepted', 'Check MAILCOW_API_KEY.');
    return body;
  }

  private async list(path: string, map: (r: Row) => Row, signal?: AbortSignal): Promise<Row[]> {
    const body = await this.get(path, signal);
    if (Array.isArray(body)) return (body as Row[]).map(map);
    if (body && typeof body === 'object' && Object.keys(body).length === 0) return [];
    if (body && typeof body === 'object') return [map(body as Row)];
    throw new BackendError('mailcow', 200, `unexpected answer to GET ${API}/get/${path}`);
  }

  /**
   * Success or failure is read from each entry's `type`, never from the HTTP status alone. mailcow answers one
   * entry per step (add/mailbox: `rl_saved`, then `mailbox_added`); `warning` entries (a tag limit, a mail
   * store not cleaned up) do not undo the change. An answer with a failed entry next to a successful one was
   * partly applied (edit/alias drops an invalid destination and saves the rest), and says so.
   */
  private async write(req: Req, signal?: AbortSignal, hint?: (key: unknown) => string | undefined): Promise<Outcome> {
    const res = await this.http.send(req, signal);
    const body = parseJson('mailcow', res);
    const entries = ((Array.isArray(body) ? body : [body]) as Row[]).filter((e) => e && typeof e === 'object');
    const of = (type: string) => entries.filter((e) => e.type === type).map((e) => words(e.msg));
    const failed = entries.filter((e) => e.type === 'danger' || e.type === 'error');
    if (failed.length > 0) {
      const done = of('success');
      const also = done.length ? ` Applied nonetheless: ${done.join('; ')}.` : '';
      const first = keyOf(failed[0]?.msg);
      throw new BackendError(
        'mailcow',
        res.status,
        failed.map((e) => words(e.msg)).join('; ') + also,
        hint?.(first) ?? hintFor(first),
      );
    }
    if (!entries.some((e) => e.type === 'success')) {
      const warned = of('warning');
      throw new BackendError(
        'mailcow',
        res.status,
        warned.length ? warned.join('; ') : `unexpected answer: ${res.text.slice(0, 200)}`,
      );
    }
    const outcome: Outcome = { type: 'success', msg: [...of('success'), ...of('warning')].join('; ') };
    const added = entries.find((e) => Array.isArray(e.msg) && e.msg[0] === 'alias_added')?.msg as unknown[] | undefined;
    if (added?.[2] !== undefined) outcome.id = num(added[2]);
    return outcome;
  }

  private edit(kind: keyof typeof NOT_FOUND | 'tls_policy', ids: string[], attr: Row, signal?: AbortSignal) {
    const missing = NOT_FOUND[kind === 'tls_policy' ? 'mailbox' : kind];
    return this.write({ method: 'POST', path: `${API}/edit/${kind}`, json: { items: ids, attr } }, signal, (key) =>
      key === 'access_denied' || key === 'alias_invalid' || key === 'domain_invalid' ? missing : undefined,
    );
  }

  private remove(op: DeleteOp, id: string, kind: keyof typeof NOT_FOUND, signal?: AbortSignal) {
    return this.write(MailcowNative.requests[op](id), signal, (key) =>
      key === 'access_denied' ? NOT_FOUND[kind] : undefined,
    );
  }

  listDomains(signal?: AbortSignal) {
    return this.list('domain/all', domainRow, signal);
  }
  createDomain(domain: string, f: DomainFields, signal?: AbortSignal) {
    const d = { ...DOMAIN_DEFAULTS, ...given(f) };
    const json = given({ domain, ...d, backupmx: f.backupmx, description: f.description });
    return this.write({ method: 'POST', path: `${API}/add/domain`, json }, signal);
  }
  updateDomain(domain: string, f: DomainFields, signal?: AbortSignal) {
    // edit/domain reads `aliases` and `description` only when non-empty and keeps the current value otherwise.
    if (f.aliases === 0)
      throw new InputError('aliases', 'mailcow keeps the current limit when 0 is sent; give 1 or more');
    if (f.description === '')
      throw new InputError('description', 'mailcow keeps the current description when an empty one is sent');
    return this.edit('domain', [domain], given(f), signal);
  }
  deleteDomain(domain: string, signal?: AbortSignal) {
    return this.write(MailcowNative.requests.deleteDomain(domain), signal);
  }

  listMailboxes(domain?: string, signal?: AbortSignal) {
    return this.list(domain ? `mailbox/all/${segment(domain)}` : 'mailbox/all', mailboxRow, signal);
  }
  async getMailbox(email: string, signal?: AbortSignal) {
    const body = (await this.get(`mailbox/${segment(email)}`, signal)) as Row;
    if (!body || Object.keys(body).length === 0) {
      throw new BackendError(
        'mailcow',
        200,
        `mailbox ${email} not found (mailcow answered {})`,
        'Check the address with mailcow_list_mailboxes.',
      );
    }
    return mailboxRow(body);
  }
  createMailbox(m: NewMailbox, signal?: AbortSignal) {
    const json = given({
      local_part: m.local_part,
      domain: m.domain,
      name: m.name,
      password: m.password,
      password2: m.password,
      quota: m.quota ?? MAILBOX_DEFAULTS.quota,
      active: m.active ?? MAILBOX_DEFAULTS.active,
      force_pw_update: m.force_pw_update,
      tls_enforce_in: m.tls_enforce_in,
      tls_enforce_out: m.tls_enforce_out,
    });
    // add/mailbox checks hasDomainAccess, false for a domain that does not exist, before domain_not_found.
    return this.write({ method: 'POST', path: `${API}/add/mailbox`, json }, signal, (key) =>
      key === 'access_denied' ? NOT_FOUND.domain : undefined,
    );
  }
  /** edit/mailbox never reads the TLS flags (and still answers success): they go to edit/tls_policy. */
  async updateMailbox(email: string, f: MailboxFields, signal?: AbortSignal) {
    const { tls_enforce_in, tls_enforce_out, ...rest } = given(f);
    const tls = given({ tls_enforce_in, tls_enforce_out });
    const steps: Outcome[] = [];
    if (Object.keys(rest).length > 0 || Object.keys(tls).length === 0) {
      steps.push(await this.edit('mailbox', [email], given({ ...rest, password2: rest.password }), signal));
    }
    if (Object.keys(tls).length > 0) {
      try {
        steps.push(await this.edit('tls_policy', [email], tls, signal));
      } catch (err) {
        if (steps.length && err instanceof BackendError) {
          throw new BackendError('mailcow', err.status, `${err.message} (the other changes were saved)`, err.hint);
        }
        throw err;
      }
    }
    return steps.length === 1 ? steps[0]! : { type: 'success', msg: steps.map((o) => o.msg).join('; ') };
  }
  deleteMailbox(email: string, signal?: AbortSignal) {
    return this.remove('deleteMailbox', email, 'mailbox', signal);
  }

  listAliases(domain?: string, signal?: AbortSignal) {
    return this.list(domain ? `alias/all/${segment(domain)}` : 'alias/all', aliasRow, signal);
  }
  createAlias(f: AliasFields & { address: string; goto: string[] }, signal?: AbortSignal) {
    // add/alias stores a missing flag as 0; these are its form's defaults (visible in SOGo, the destinations
    // may send as the alias).
    const json = {
      address: f.address,
      goto: f.goto.join(','),
      active: f.active ?? true,
      sogo_visible: true,
      sender_allowed: true,
    };
    return this.write({ method: 'POST', path: `${API}/add/alias`, json }, signal);
  }
  updateAlias(id: number, f: AliasFields, signal?: AbortSignal) {
    return this.edit('alias', [String(id)], given({ ...f, goto: f.goto?.join(',') }), signal);
  }
  deleteAlias(id: number, signal?: AbortSignal) {
    return this.remove('deleteAlias', String(id), 'alias', signal);
  }

  listSyncJobs(mailbox?: string, signal?: AbortSignal) {
    return this.list(`syncjobs/${mailbox ? segment(mailbox) : 'all'}/no_log`, jobRow, signal);
  }
  /** Sends every field with its default: add/syncjob has none for port, interval and encryption. */
  createSyncJob(job: NewSyncJob, signal?: AbortSignal) {
    const json = { ...jobAttr(withJobDefaults(job)), subscribeall: true };
    return this.write({ method: 'POST', path: `${API}/add/syncjob`, json }, signal, (key) =>
      key === 'access_denied'
        ? 'mailcow answers this when the target mailbox does not exist (check it with mailcow_list_mailboxes), or when the exclude regex does not compile.'
        : undefined,
    );
  }
  updateSyncJob(id: number, f: SyncJobFields, signal?: AbortSignal) {
    return this.edit('syncjob', [String(id)], jobAttr(f), signal);
  }
  deleteSyncJob(id: number, signal?: AbortSignal) {
    return this.remove('deleteSyncJob', String(id), 'syncjob', signal);
  }
}

function hintFor(key: unknown): string | undefined {
  if (key === 'domain_not_found') return 'Check the domain with mailcow_list_domains.';
  if (key === 'access_denied') return 'Check the values and that the API key is read/write.';
  return undefined;
}
