import { given } from '../../objects.ts';
import { type Call, Emulator, type Reply } from '../emulator.ts';
import { type Alias, type Domain, type Mailbox, MailcowState, Refusal, type SyncJob } from './state.ts';

// mailcow-dockerized's action-style API (json_api.php) over the same state as the REST emulator:
// X-API-Key (rw or ro), GET get/…, POST add/edit/delete/…, HTTP 200 with `danger` entries for business
// errors, `{}` for missing objects, quotas in MiB on input and bytes on output.

const MiB = 1024 * 1024;
const flag = (v: unknown) => (v === true || v === 1 || v === '1' ? 1 : 0);
const str01 = (b: boolean) => (b ? '1' : '0');
const int = (v: unknown, fallback: number) => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
};
const error = (status: number, msg: string): Reply => ({ status, body: { type: 'error', msg } });

type Entry = { type: 'success' | 'danger' | 'error'; log: unknown[]; msg: unknown };
const masked = (data: unknown) =>
  JSON.parse(JSON.stringify(data ?? null), (k, v) => (/^password\d?$/.test(k) && typeof v === 'string' ? '*' : v));

function domainOut(s: MailcowState, d: Domain) {
  const boxes = s.mailboxesIn(d.domain);
  const aliases = s.aliasesIn(d.domain).length;
  const used = boxes.reduce((n, m) => n + m.quota, 0);
  return {
    active: str01(d.active),
    aliases_in_domain: aliases,
    aliases_left: d.aliases - aliases,
    backupmx: str01(d.backupmx),
    bytes_total: '0',
    def_new_mailbox_quota: Math.min(d.defquota, d.quota - used) * MiB,
    def_quota_for_mbox: d.defquota * MiB,
    description: d.description,
    domain_name: d.domain,
    gal: '0',
    max_new_mailbox_quota: Math.min(d.maxquota, d.quota - used) * MiB,
    max_num_aliases_for_domain: d.aliases,
    max_num_mboxes_for_domain: d.mailboxes,
    max_quota_for_domain: d.quota * MiB,
    max_quota_for_mbox: d.maxquota * MiB,
    mboxes_in_domain: boxes.length,
    mboxes_left: d.mailboxes - boxes.length,
    msgs_total: '0',
    quota_used_in_domain: String(used * MiB),
    relay_all_recipients: '0',
    relayhost: '0',
    rl: false,
    tags: [] as string[],
  };
}

function mailboxOut(m: Mailbox) {
  return {
    active: str01(m.active),
    attributes: {
      force_pw_update: str01(m.force_pw_update),
      force_tfa: '0',
      mailbox_format: 'maildir:',
      quarantine_notification: 'never',
      sogo_access: '1',
      tls_enforce_in: str01(m.tls_enforce_in),
      tls_enforce_out: str01(m.tls_enforce_out),
    },
    domain: m.domain,
    is_relayed: 0,
    local_part: m.local_part,
    max_new_quota: m.quota * MiB,
    messages: 0,
    name: m.name,
    percent_class: 'success',
    percent_in_use: 0,
    quota: m.quota * MiB,
    quota_used: 0,
    rl: false,
    sender_acl: [] as string[],
    spam_aliases: 0,
    username: m.username,
    tags: [] as string[],
  };
}

function aliasOut(a: Alias) {
  return {
    active: str01(a.active),
    address: a.address,
    created: a.created,
    domain: a.domain,
    goto: a.goto,
    id: a.id,
    in_primary_domain: '',
    is_catch_all: a.address.startsWith('@') ? 1 : 0,
    modified: a.modified,
    private_comment: null,
    public_comment: null,
  };
}

function jobOut(j: SyncJob) {
  return {
    active: str01(j.active),
    authmd51: 0,
    authmech1: 'PLAIN',
    automap: flag(j.automap),
    created: j.created,
    custom_params: '',
    delete1: flag(j.delete1),
    delete2: flag(j.delete2),
    delete2duplicates: flag(j.delete2duplicates),
    domain2: '',
    enc1: j.enc1,
    exclude: j.exclude,
    host1: j.host1,
    id: j.id,
    is_running: 0,
    last_run: null,
    log: '',
    maxage: j.maxage,
    maxbytespersecond: String(j.maxbytespersecond),
    mins_interval: String(j.mins_interval),
    modified: j.modified,
    port1: j.port1,
    regextrans2: '',
    skipcrossduplicates: flag(j.skipcrossduplicates),
    subfolder2: j.subfolder2,
    subscribeall: 1,
    timeout1: 600,
    timeout2: 600,
    user1: j.user1,
    user2: j.username,
  };
}

/** Runs one item of a write; a refusal becomes a `danger` entry, as mailcow's functions do. */
function entry(log: unknown[], fn: () => unknown[]): Entry {
  try {
    return { type: 'success', log, msg: fn() };
  } catch (err) {
    if (err instanceof Refusal) return { type: 'danger', log, msg: [err.key, err.arg] };
    throw err;
  }
}

const bool = (v: unknown, fallback: boolean) => (v === undefined ? fallback : flag(v) === 1);
const opt = (v: unknown) => (v === undefined ? undefined : flag(v) === 1);
const optStr = (v: unknown) => (v === undefined ? undefined : String(v));
const optInt = (v: unknown, fallback: number) => (v === undefined ? undefined : int(v, fallback));

export interface NativeKeys {
  rw: string;
  ro?: string;
}

export function mailcowNativeEmulator(opts: { keys: NativeKeys; state?: MailcowState }): Emulator {
  const state = opts.state ?? MailcowState.seeded();
  const emu = new Emulator('mailcow-native');

  const get = (category: string, id: string | undefined, extra: string | undefined): unknown => {
    const listOrEmpty = <T>(xs: T[]) => (xs.length ? xs : {});
    switch (category) {
      case 'domain': {
        if (!id || id === 'all') return listOrEmpty([...state.domains.values()].map((d) => domainOut(state, d)));
        const d = state.domains.get(id.toLowerCase());
        return d ? domainOut(state, d) : {};
      }
      case 'mailbox': {
        if (!id || id === 'all') {
          const domains = extra?.toLowerCase().split(',');
          return listOrEmpty(
            [...state.mailboxes.values()].filter((m) => !domains || domains.includes(m.domain)).map(mailboxOut),
          );
        }
        const m = state.mailboxes.get(id.toLowerCase());
        return m ? mailboxOut(m) : {};
      }
      case 'alias': {
        if (!id || id === 'all') {
          const domains = extra?.toLowerCase().split(',');
          return listOrEmpty(
            [...state.aliases.values()].filter((a) => !domains || domains.includes(a.domain)).map(aliasOut),
          );
        }
        const a = state.aliases.get(int(id, 0));
        return a ? aliasOut(a) : {};
      }
      case 'syncjobs': {
        const jobs = [...state.syncjobs.values()].filter((j) => !id || id === 'all' || j.username === id.toLowerCase());
        return listOrEmpty(jobs.map(jobOut));
      }
      default:
        return undefined;
    }
  };

  const add = (category: string, b: Record<string, unknown>): Entry[] | undefined => {
    const log = (obj: string) => ['mailbox', 'add', obj, masked(b), null];
    switch (category) {
      case 'domain':
        return [
          entry(log('domain'), () => {
            const name = String(b.domain ?? '');
            const maxquota = int(b.maxquota, 10240);
            const defquota = int(b.defquota, 3072);
            if (maxquota === 0) throw new Refusal(200, 'maxquota_empty', name, '');
            if (defquota === 0) throw new Refusal(200, 'defquota_empty', name, '');
            state.addDomain({
              domain: name,
              description: String(b.description ?? ''),
              active: bool(b.active, true),
              aliases: int(b.aliases, 400),
              mailboxes: int(b.mailboxes, 10),
              defquota,
              maxquota,
              quota: int(b.quota, 10240),
              backupmx: bool(b.backupmx, false),
            });
            return ['domain_added', name.toLowerCase()];
          }),
        ];
      case 'mailbox':
        return [
          entry(log('mailbox'), () => {
            if (b.password !== b.password2) throw new Refusal(200, 'password_mismatch', '', '');
            const domain = String(b.domain ?? '');
            if (!state.domains.has(domain.toLowerCase())) throw new Refusal(200, 'domain_not_found', domain, '');
            const m = state.addMailbox({
              domain,
              local_part: String(b.local_part ?? ''),
              name: String(b.name ?? ''),
              password: String(b.password ?? ''),
              quota: int(b.quota, state.domains.get(domain.toLowerCase())?.defquota ?? 3072),
              active: bool(b.active, true),
              force_pw_update: bool(b.force_pw_update, false),
              tls_enforce_in: bool(b.tls_enforce_in, false),
              tls_enforce_out: bool(b.tls_enforce_out, false),
            });
            return ['mailbox_added', m.username];
          }),
        ];
      case 'alias':
        return [
          entry(log('alias'), () => {
            if (!b.address) throw new Refusal(200, 'alias_empty', '', '');
            const a = state.addAlias({
              address: String(b.address),
              goto: String(b.goto ?? ''),
              active: bool(b.active, true),
            });
            return ['alias_added', a.address, a.id];
          }),
        ];
      case 'syncjob':
        return [
          entry(log('syncjob'), () => {
            if (!b.username) throw new Refusal(200, 'no_user_defined', '', '');
            const enc1 = String(b.enc1 ?? 'TLS');
            const port1 = int(b.port1, 993);
            const mins = int(b.mins_interval, 20);
            if (!['TLS', 'SSL', 'PLAIN'].includes(enc1) || port1 < 1 || port1 > 65535 || mins < 1 || mins > 43800) {
              throw new Refusal(200, 'access_denied', '', '');
            }
            const j = state.addSyncJob({
              username: String(b.username),
              host1: String(b.host1 ?? ''),
              user1: String(b.user1 ?? ''),
              password1: String(b.password1 ?? ''),
              port1,
              enc1: enc1 as SyncJob['enc1'],
              mins_interval: mins,
              ...syncFlags(b),
            });
            return ['mailbox_modified', j.username];
          }),
        ];
      default:
        return undefined;
    }
  };

  const edit = (category: string, ids: string[], attr: Record<string, unknown>): Entry[] | undefined => {
    const log = (obj: string) => ['mailbox', 'edit', obj, masked({ ...attr, id: ids }), null];
    const each = (obj: string, fn: (id: string) => unknown[]) => ids.map((id) => entry(log(obj), () => fn(id)));
    switch (category) {
      case 'domain':
        return each('domain', (id) => {
          const d = state.editDomain(
            id,
            given({
              description: optStr(attr.description),
              active: opt(attr.active),
              backupmx: opt(attr.backupmx),
              aliases: optInt(attr.aliases, 0),
              mailboxes: optInt(attr.mailboxes, 0),
              defquota: optInt(attr.defquota, 0),
              maxquota: optInt(attr.maxquota, 0),
              quota: optInt(attr.quota, 0),
            }),
          );
          return ['domain_modified', d.domain];
        });
      case 'mailbox':
        return each('mailbox', (id) => {
          if (attr.password !== undefined && attr.password !== attr.password2)
            throw new Refusal(200, 'password_mismatch', '', '');
          const m = state.editMailbox(
            id,
            given({
              name: optStr(attr.name),
              password: optStr(attr.password),
              quota: optInt(attr.quota, 0),
              active: opt(attr.active),
              force_pw_update: opt(attr.force_pw_update),
              tls_enforce_in: opt(attr.tls_enforce_in),
              tls_enforce_out: opt(attr.tls_enforce_out),
            }),
          );
          return ['mailbox_modified', m.username];
        });
      case 'alias':
        return each('alias', (id) => {
          const a = state.editAlias(int(id, 0), {
            address: optStr(attr.address),
            goto: optStr(attr.goto),
            active: opt(attr.active),
          });
          return ['alias_modified', a.address];
        });
      case 'syncjob':
        return each('syncjob', (id) => {
          const j = state.editSyncJob(
            int(id, 0),
            given({
              host1: optStr(attr.host1),
              user1: optStr(attr.user1),
              password1: optStr(attr.password1),
              port1: optInt(attr.port1, 993),
              enc1: attr.enc1 as SyncJob['enc1'] | undefined,
              mins_interval: optInt(attr.mins_interval, 20),
              ...syncFlags(attr),
            }),
          );
          return ['mailbox_modified', j.username];
        });
      default:
        return undefined;
    }
  };

  const del = (category: string, ids: string[]): Entry[] | undefined => {
    const log = (obj: string) => ['mailbox', 'delete', obj, { [obj]: ids }, null];
    const each = (obj: string, fn: (id: string) => unknown[]) => ids.map((id) => entry(log(obj), () => fn(id)));
    switch (category) {
      case 'domain':
        return each('domain', (id) => {
          state.deleteDomain(id);
          return ['domain_removed', id];
        });
      case 'mailbox':
        return each('mailbox', (id) => {
          state.deleteMailbox(id);
          return ['mailbox_removed', id];
        });
      case 'alias':
        return each('alias', (id) => {
          const a = state.aliasOf(int(id, 0));
          state.deleteAlias(a.id);
          return ['alias_removed', a.address];
        });
      case 'syncjob':
        return each('syncjob', (id) => {
          state.deleteSyncJob(int(id, 0));
          return ['deleted_syncjob', id];
        });
      default:
        return undefined;
    }
  };

  emu.hook((call: Call): Reply => {
    const parts = call.path.split('/').filter(Boolean).map(decodeURIComponent);
    const [api, version, action, category, id, extra] = parts;
    if (api !== 'api' || version !== 'v1' || !action || !category) return error(404, 'route not found');
    const key = (call.headers['x-api-key'] ?? '').replace(/[^A-Za-z0-9-]/g, '');
    const access = key === '' ? 'none' : key === opts.keys.rw ? 'rw' : key === opts.keys.ro ? 'ro' : 'bad';
    if (access === 'bad') return error(401, 'authentication failed');
    if (call.headers['sec-fetch-dest'] && call.headers['sec-fetch-dest'] !== 'empty') return { status: 403, body: '' };

    if (action === 'get') {
      if (call.method !== 'GET') return error(405, 'only GET method is allowed');
      if (access === 'none') return { status: 200, body: '' };
      const out = get(category, id, extra);
      return out === undefined ? error(404, 'route not found') : { status: 200, body: out };
    }
    if (!['add', 'edit', 'delete'].includes(action)) return error(404, 'route not found');
    if (call.method !== 'POST') return error(405, 'only POST method is allowed');
    if (access !== 'rw') return error(403, 'API read/write access denied');
    let body: unknown;
    try {
      body = JSON.parse(call.body);
    } catch {
      return error(400, "Request body doesn't contain valid json!");
    }
    let entries: Entry[] | undefined;
    if (action === 'add') {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return error(200, 'Cannot add item');
      entries = add(category, body as Record<string, unknown>);
    } else if (action === 'edit') {
      const b = body as { items?: unknown; attr?: unknown };
      if (!b || typeof b !== 'object' || b.items === undefined || !b.attr || typeof b.attr !== 'object') {
        return error(200, 'Cannot find attributes in post data');
      }
      const ids = (Array.isArray(b.items) ? b.items : [b.items]).map(String);
      entries = edit(category, ids, b.attr as Record<string, unknown>);
    } else {
      const ids = (Array.isArray(body) ? body : [body])
        .filter((x) => typeof x === 'string' || typeof x === 'number')
        .map(String);
      if (ids.length === 0) return error(200, 'Cannot delete item');
      entries = del(category, ids);
    }
    return entries === undefined ? error(404, 'route not found') : { status: 200, body: entries };
  });
  return emu;
}

function syncFlags(b: Record<string, unknown>) {
  const out: Partial<SyncJob> = {};
  for (const f of ['delete1', 'delete2', 'delete2duplicates', 'automap', 'skipcrossduplicates', 'active'] as const) {
    if (b[f] !== undefined) out[f] = flag(b[f]) === 1;
  }
  for (const f of ['maxage', 'maxbytespersecond'] as const) if (b[f] !== undefined) out[f] = int(b[f], 0);
  if (b.subfolder2 !== undefined) out.subfolder2 = String(b.subfolder2);
  if (b.exclude !== undefined) out.exclude = String(b.exclude);
  return out;
}
