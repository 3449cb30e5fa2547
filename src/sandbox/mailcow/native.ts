import { given } from '../../objects.ts';
import { type Call, Emulator, type Reply } from '../emulator.ts';
import { type Alias, type Domain, EMAIL_RE, type Mailbox, MailcowState, Refusal, type SyncJob } from './state.ts';

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
const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);

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
    dry: 0,
    enc1: j.enc1,
    exclude: j.exclude,
    exit_status: j.exit_status,
    host1: j.host1,
    id: j.id,
    is_running: 0,
    last_run: j.last_run,
    log: '',
    maxage: j.maxage,
    maxbytespersecond: String(j.maxbytespersecond),
    mins_interval: String(j.mins_interval),
    modified: j.modified,
    port1: j.port1,
    regextrans2: '',
    skipcrossduplicates: flag(j.skipcrossduplicates),
    subfolder2: j.subfolder2,
    subscribeall: flag(j.subscribeall),
    success: j.success === null ? null : flag(j.success),
    timeout1: 600,
    timeout2: 600,
    user1: j.user1,
    user2: j.username,
  };
}

// Keys mailcow sends bare, without arguments (functions.mailbox.inc.php).
const BARE = new Set([
  'access_denied',
  'alias_empty',
  'alias_goto_identical',
  'defquota_empty',
  'domain_invalid',
  'goto_empty',
  'mailbox_defquota_exceeds_mailbox_maxquota',
  'mailbox_invalid',
  'mailbox_quota_exceeds_domain_quota',
  'max_alias_exceeded',
  'maxquota_empty',
  'no_user_defined',
  'password_complexity',
  'password_mismatch',
]);
const deny = () => new Refusal(200, 'access_denied', '', '');
/** A failure with no JSON answer at all (an exception inside the PHP handler). */
class Crash extends Error {}

/** Runs one item of a write; its messages become `success` entries, a refusal one `danger` entry. */
function entries(log: unknown[], fn: () => unknown[][]): Entry[] {
  try {
    return fn().map((msg) => ({ type: 'success', log, msg }));
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    const msg = BARE.has(err.key) ? err.key : [err.key, err.arg, ...err.more];
    return [{ type: 'danger', log, msg }];
  }
}

const bool = (v: unknown, fallback: boolean) => (v === undefined ? fallback : flag(v) === 1);
const opt = (v: unknown) => (v === undefined ? undefined : flag(v) === 1);
const filled = (v: unknown) => v !== undefined && v !== null && v !== '' && v !== 0 && v !== '0' && v !== false;
/** PHP's filter_var($v, FILTER_VALIDATE_INT, min_range…max_range). */
const intIn = (v: unknown, min: number, max: number) => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[+-]?\d+$/.test(v.trim()) ? Number(v) : Number.NaN;
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
};
/** functions.inc.php is_valid_domain_name: labels of letters, digits and inner hyphens (an IPv4 address passes). */
const validHost = (h: string) =>
  /^([a-z\d](-*[a-z\d])*)(\.([a-z\d](-*[a-z\d])*))*$/i.test(h) &&
  h.length <= 253 &&
  /^[^.]{1,63}(\.[^.]{1,63})*$/.test(h);
/**
 * add/edit syncjob test `@preg_match("/" . $exclude . "/", null) === false`: an unescaped `/` ends the pattern;
 * otherwise a JS RegExp (without PCRE's inline `(?i)`) stands in for PCRE.
 */
function compiles(exclude: string): boolean {
  if (/(^|[^\\])(\\\\)*\//.test(exclude)) return false;
  try {
    new RegExp(exclude.replace(/\(\?[imsx]+\)/g, ''));
    return true;
  } catch {
    return false;
  }
}
const FLAGS = [
  'delete1',
  'delete2',
  'delete2duplicates',
  'automap',
  'skipcrossduplicates',
  'subscribeall',
  'active',
] as const;
/** add/syncjob: maxage 1–32000 and maxbytespersecond 1–125000000, else "0"; every flag intval() of what came. */
function jobNumbers(b: Record<string, unknown>) {
  return {
    maxage: intIn(b.maxage, 1, 32000) ?? 0,
    maxbytespersecond: intIn(b.maxbytespersecond, 1, 125_000_000) ?? 0,
    subfolder2: b.subfolder2 ? String(b.subfolder2) : '',
  };
}

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
        state.runDue();
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
      // functions.mailbox.inc.php mailbox('add', 'domain'): template defaults for what is missing, quota
      // checks in this order, then the name; a DKIM key is made with the template's selector (dkim_added).
      case 'domain':
        return entries(log('domain'), () => {
          const name = String(b.domain ?? '')
            .trim()
            .toLowerCase();
          const maxquota = int(b.maxquota, 10240);
          const defquota = int(b.defquota, 3072);
          const quota = int(b.quota, 10240);
          if (defquota > maxquota) throw new Refusal(200, 'mailbox_defquota_exceeds_mailbox_maxquota', '', '');
          if (maxquota > quota) throw new Refusal(200, 'mailbox_quota_exceeds_domain_quota', '', '');
          if (defquota === 0) throw new Refusal(200, 'defquota_empty', '', '');
          if (maxquota === 0) throw new Refusal(200, 'maxquota_empty', '', '');
          state.addDomain({
            domain: name,
            description: b.description ? String(b.description) : name,
            active: bool(b.active, true),
            aliases: int(b.aliases, 400),
            mailboxes: int(b.mailboxes, 10),
            defquota,
            maxquota,
            quota,
            backupmx: bool(b.backupmx, false),
          });
          return [
            ['dkim_added', name],
            ['domain_added', name],
          ];
        });
      // mailbox('add', 'mailbox'): the domain must be one the key may manage (hasDomainAccess, so a missing
      // domain is access_denied), a missing quota is the template's 0 (unlimited); the rate limit of the
      // template is saved first (rl_saved).
      case 'mailbox':
        return entries(log('mailbox'), () => {
          const domain = String(b.domain ?? '').toLowerCase();
          if (!b.local_part) throw new Refusal(200, 'mailbox_invalid', '', '');
          if (!state.domains.has(domain)) throw deny();
          const fresh = `${String(b.local_part).toLowerCase()}@${domain}`;
          if (state.mailboxes.has(fresh)) throw new Refusal(200, 'object_exists', fresh, '');
          if (state.aliasByAddress(fresh)) throw new Refusal(200, 'is_alias', fresh, '');
          if (!b.password || !b.password2) throw new Refusal(200, 'password_complexity', '', '');
          if (b.password !== b.password2) throw new Refusal(200, 'password_mismatch', '', '');
          const m = state.addMailbox({
            domain,
            local_part: String(b.local_part),
            name: b.name ? String(b.name) : String(b.local_part),
            password: String(b.password),
            quota: int(b.quota, 0),
            active: bool(b.active, true),
            force_pw_update: bool(b.force_pw_update, false),
            tls_enforce_in: bool(b.tls_enforce_in, false),
            tls_enforce_out: bool(b.tls_enforce_out, false),
          });
          return [
            ['rl_saved', m.username],
            ['mailbox_added', m.username],
          ];
        });
      // mailbox('add', 'alias'): every flag is intval() of what came, so a missing one is 0.
      case 'alias':
        return entries(log('alias'), () => {
          if (!b.address) throw new Refusal(200, 'alias_empty', '', '');
          if (!b.goto) throw new Refusal(200, 'goto_empty', '', '');
          const a = state.addAlias({
            address: String(b.address),
            goto: String(b.goto),
            active: flag(b.active) === 1,
            sogo_visible: flag(b.sogo_visible) === 1,
            sender_allowed: flag(b.sender_allowed) === 1,
          });
          return [['alias_added', a.address, a.id]];
        });
      // mailbox('add', 'syncjob'): no defaults for port1, mins_interval and enc1 (access_denied), every flag
      // intval() of what came (a job sent without `active` never runs).
      case 'syncjob':
        return entries(log('syncjob'), () => {
          const username = typeof b.username === 'string' && EMAIL_RE.test(b.username) ? b.username : undefined;
          if (!username) throw new Refusal(200, 'no_user_defined', '', '');
          if (!state.mailboxes.has(username.toLowerCase())) throw deny();
          const port1 = intIn(b.port1, 1, 65535);
          const mins = intIn(b.mins_interval, 1, 43800);
          if (port1 === undefined || mins === undefined || !['TLS', 'SSL', 'PLAIN'].includes(String(b.enc1)))
            throw deny();
          if (!compiles(String(b.exclude ?? ''))) throw deny();
          // [infer] user1, password1 and exclude are NOT NULL columns (init_db.inc.php) bound as sent: a missing
          // one makes the INSERT throw, and json_api.php answers nothing.
          if (b.user1 === undefined || b.password1 === undefined || b.exclude === undefined) throw new Crash();
          const host1 = String(b.host1 ?? '').toLowerCase();
          if (
            [...state.syncjobs.values()].some(
              (j) => j.username === username.toLowerCase() && j.user1 === b.user1 && j.host1 === host1,
            )
          ) {
            throw new Refusal(200, 'object_exists', `${host1} / ${String(b.user1)}`, '');
          }
          state.addSyncJob({
            username,
            host1,
            user1: String(b.user1),
            password1: String(b.password1),
            port1,
            enc1: b.enc1 as SyncJob['enc1'],
            mins_interval: mins,
            exclude: String(b.exclude),
            ...jobNumbers(b),
            ...Object.fromEntries(FLAGS.map((f) => [f, flag(b[f]) === 1])),
          });
          return [['mailbox_modified', username]];
        });
      default:
        return undefined;
    }
  };

  const edit = (category: string, ids: string[], attr: Record<string, unknown>): Entry[] | undefined => {
    const log = (obj: string) => ['mailbox', 'edit', obj, masked({ ...attr, id: ids }), null];
    const each = (obj: string, fn: (id: string) => unknown[][]) => ids.flatMap((id) => entries(log(obj), () => fn(id)));
    switch (category) {
      // mailbox('edit', 'domain'): a missing domain is domain_invalid; aliases, maxquota, quota and description
      // are read only when non-empty (0 keeps the current value); then the limits are held against what is in use.
      case 'domain':
        return each('domain', (id) => {
          const d = state.domains.get(id.toLowerCase());
          if (!d) throw new Refusal(200, 'domain_invalid', '', '');
          const has = (k: string) => attr[k] !== undefined && attr[k] !== '';
          const next = {
            aliases: filled(attr.aliases) ? int(attr.aliases, d.aliases) : d.aliases,
            mailboxes: has('mailboxes') ? int(attr.mailboxes, 0) : d.mailboxes,
            defquota: has('defquota') ? int(attr.defquota, 0) : d.defquota,
            maxquota: filled(attr.maxquota) ? int(attr.maxquota, 0) : d.maxquota,
            quota: filled(attr.quota) ? int(attr.quota, 0) : d.quota,
            description: filled(attr.description) ? String(attr.description) : d.description,
            active: bool(attr.active, d.active),
            backupmx: bool(attr.backupmx, d.backupmx),
          };
          const boxes = state.mailboxesIn(d.domain);
          const biggest = Math.max(0, ...boxes.map((m) => m.quota));
          const all = boxes.reduce((n, m) => n + m.quota, 0);
          const aliases = state.aliasesIn(d.domain).length;
          if (next.defquota > next.maxquota)
            throw new Refusal(200, 'mailbox_defquota_exceeds_mailbox_maxquota', '', '');
          if (next.defquota === 0) throw new Refusal(200, 'defquota_empty', '', '');
          if (next.maxquota > next.quota) throw new Refusal(200, 'mailbox_quota_exceeds_domain_quota', '', '');
          if (biggest > next.maxquota) throw new Refusal(200, 'max_quota_in_use', String(biggest), '');
          if (all > next.quota) throw new Refusal(200, 'domain_quota_m_in_use', String(all), '');
          if (boxes.length > next.mailboxes) throw new Refusal(200, 'mailboxes_in_use', String(boxes.length), '');
          if (aliases > next.aliases) throw new Refusal(200, 'aliases_in_use', String(aliases), '');
          state.editDomain(d.domain, next);
          return [['domain_modified', d.domain]];
        });
      // mailbox('edit', 'mailbox'): a missing mailbox is access_denied; tls_enforce_in/out are never read (they
      // belong to edit/tls_policy) and the answer is still success; a quota over what the domain leaves (its
      // per-mailbox maximum included) is mailbox_quota_left_exceeded.
      case 'mailbox':
        return each('mailbox', (id) => {
          const m = state.mailboxes.get(id.toLowerCase());
          if (!m) throw deny();
          const d = state.domainOf(m.domain);
          const quota = attr.quota !== undefined && attr.quota !== '' ? int(attr.quota, 0) : m.quota;
          const others = state.mailboxesIn(d.domain).reduce((n, x) => n + (x === m ? 0 : x.quota), 0);
          const left = Math.min(d.quota - others, d.maxquota);
          if (quota > left) throw new Refusal(200, 'mailbox_quota_left_exceeded', String(left), '');
          if (filled(attr.password) && attr.password !== attr.password2)
            throw new Refusal(200, 'password_mismatch', '', '');
          Object.assign(
            m,
            given({
              name: filled(attr.name) ? String(attr.name) : undefined,
              password: filled(attr.password) ? String(attr.password) : undefined,
              quota,
              active: opt(attr.active),
              force_pw_update: opt(attr.force_pw_update),
            }),
            { modified: now() },
          );
          return [['mailbox_modified', m.username]];
        });
      // mailbox('edit', 'tls_policy'): the TLS enforcement of existing mailboxes.
      case 'tls_policy':
        return each('tls_policy', (id) => {
          const m = state.mailboxes.get(id.toLowerCase());
          if (!m) throw deny();
          Object.assign(
            m,
            given({ tls_enforce_in: opt(attr.tls_enforce_in), tls_enforce_out: opt(attr.tls_enforce_out) }),
            { modified: now() },
          );
          return [['mailbox_modified', m.username]];
        });
      // mailbox('edit', 'alias'): a missing id is ["alias_invalid", null] (the address is not known yet).
      case 'alias':
        return ids.flatMap((id): Entry[] => {
          if (!state.aliases.has(int(id, 0)))
            return [{ type: 'danger', log: log('alias'), msg: ['alias_invalid', null] }];
          return entries(log('alias'), () => {
            const a = state.editAlias(int(id, 0), {
              address: filled(attr.address) ? String(attr.address) : undefined,
              goto: filled(attr.goto) ? String(attr.goto) : undefined,
              active: opt(attr.active),
            });
            return [['alias_modified', a.address]];
          });
        });
      // mailbox('edit', 'syncjob'): `username` is never read (the target cannot change); host, login, password,
      // port, encryption and interval are read only when non-empty; the result is validated as on add, and the
      // host must also pass is_valid_domain_name; a missing job is access_denied.
      case 'syncjob':
        return each('syncjob', (id) => {
          const j = state.syncjobs.get(int(id, 0));
          if (!j) throw deny();
          const host1 = filled(attr.host1) ? String(attr.host1) : j.host1;
          const port1 = intIn(filled(attr.port1) ? attr.port1 : j.port1, 1, 65535);
          const mins = intIn(filled(attr.mins_interval) ? attr.mins_interval : j.mins_interval, 1, 43800);
          const enc1 = filled(attr.enc1) ? String(attr.enc1) : j.enc1;
          const exclude = attr.exclude !== undefined ? String(attr.exclude) : j.exclude;
          if (port1 === undefined || mins === undefined || !validHost(host1)) throw deny();
          if (!['TLS', 'SSL', 'PLAIN'].includes(enc1) || !compiles(exclude)) throw deny();
          state.editSyncJob(j.id, {
            host1,
            port1,
            mins_interval: mins,
            enc1: enc1 as SyncJob['enc1'],
            exclude,
            user1: filled(attr.user1) ? String(attr.user1) : j.user1,
            password1: filled(attr.password1) ? String(attr.password1) : j.password1,
            subfolder2: attr.subfolder2 !== undefined ? String(attr.subfolder2 ?? '') : j.subfolder2,
            maxage: attr.maxage !== undefined && attr.maxage !== '' ? (intIn(attr.maxage, 1, 32000) ?? 0) : j.maxage,
            maxbytespersecond:
              attr.maxbytespersecond !== undefined && attr.maxbytespersecond !== ''
                ? (intIn(attr.maxbytespersecond, 1, 125_000_000) ?? 0)
                : j.maxbytespersecond,
            ...Object.fromEntries(FLAGS.filter((f) => attr[f] !== undefined).map((f) => [f, flag(attr[f]) === 1])),
          });
          return [['mailbox_modified', j.username]];
        });
      default:
        return undefined;
    }
  };

  const del = (category: string, ids: string[]): Entry[] | undefined => {
    const log = (obj: string) => ['mailbox', 'delete', obj, { [obj]: ids }, null];
    const each = (obj: string, fn: (id: string) => unknown[][]) => ids.flatMap((id) => entries(log(obj), () => fn(id)));
    switch (category) {
      // mailbox('delete', 'domain'): a domain that does not exist is "removed" too (nothing is checked).
      case 'domain':
        return each('domain', (id) => {
          if (!validHost(id) || !id.includes('.')) throw new Refusal(200, 'domain_invalid', '', '');
          if (state.domains.has(id.toLowerCase())) state.deleteDomain(id);
          return [['domain_removed', id.toLowerCase()]];
        });
      case 'mailbox':
        return each('mailbox', (id) => {
          if (!state.mailboxes.has(id.toLowerCase())) throw deny();
          state.deleteMailbox(id);
          return [['mailbox_removed', id.toLowerCase()]];
        });
      case 'alias':
        return each('alias', (id) => {
          const a = state.aliases.get(int(id, 0));
          if (!a) throw deny();
          state.deleteAlias(a.id);
          return [['alias_removed', a.address]];
        });
      case 'syncjob':
        return each('syncjob', (id) => {
          if (!state.syncjobs.has(int(id, 0))) throw deny();
          state.deleteSyncJob(int(id, 0));
          return [['deleted_syncjob', id]];
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
    let answer: Entry[] | undefined;
    try {
      answer = write(action, category, body);
    } catch (err) {
      if (err instanceof Crash) return { status: 500, body: '' };
      throw err;
    }
    if (answer === undefined) return error(404, 'route not found');
    return answer.length === 0 ? error(200, `Cannot ${action} item`) : { status: 200, body: answer };
  });
  return emu;

  function write(action: string, category: string, body: unknown): Entry[] | undefined {
    if (action === 'add') {
      if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
      return add(category, body as Record<string, unknown>);
    }
    if (action === 'edit') {
      // json_api.php always sets attr (json_encode of what came), so a missing one is an empty edit.
      const b = (body && typeof body === 'object' ? body : {}) as { items?: unknown; attr?: unknown };
      const ids = (Array.isArray(b.items) ? b.items : b.items === undefined ? [] : [b.items]).map(String);
      const attr = b.attr && typeof b.attr === 'object' ? (b.attr as Record<string, unknown>) : {};
      return edit(category, ids, attr);
    }
    const ids = (Array.isArray(body) ? body : [body]).filter((x) => typeof x === 'string' || typeof x === 'number');
    // delete/syncjob returns false, with no entry, at the first id that is not numeric.
    if (category === 'syncjob' && ids.some((x) => !/^\d+$/.test(String(x)))) return [];
    return del(category, ids.map(String));
  }
}
