// The mail server behind both mailcow emulator styles: domains, mailboxes, aliases and sync jobs,
// with mailcow's rules. Failures carry an HTTP status (REST style) and mailcow's message key (native style).

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly key: string,
    readonly arg: string,
    message: string,
    /** Further arguments of the native message (`["max_mailbox_exceeded", count, max]`). */
    readonly more: string[] = [],
  ) {
    super(message);
  }
}

export interface Domain {
  domain: string;
  description: string;
  active: boolean;
  aliases: number;
  mailboxes: number;
  defquota: number;
  maxquota: number;
  quota: number;
  backupmx: boolean;
  created: string;
  modified: string | null;
}
export interface Mailbox {
  username: string;
  domain: string;
  local_part: string;
  name: string;
  password: string;
  quota: number;
  active: boolean;
  force_pw_update: boolean;
  tls_enforce_in: boolean;
  tls_enforce_out: boolean;
  created: string;
  modified: string | null;
}
export interface Alias {
  id: number;
  address: string;
  goto: string;
  domain: string;
  active: boolean;
  /** Shown in SOGo's address book; the destinations may send as the alias (native add/alias stores 0 when missing). */
  sogo_visible: boolean;
  sender_allowed: boolean;
  created: string;
  modified: string | null;
}
export interface SyncJob {
  id: number;
  username: string;
  host1: string;
  port1: number;
  user1: string;
  password1: string;
  enc1: 'TLS' | 'SSL' | 'PLAIN';
  mins_interval: number;
  subfolder2: string;
  maxage: number;
  maxbytespersecond: number;
  exclude: string;
  delete1: boolean;
  delete2: boolean;
  delete2duplicates: boolean;
  automap: boolean;
  skipcrossduplicates: boolean;
  subscribeall: boolean;
  active: boolean;
  created: string;
  modified: string | null;
  /** Set by a run (see runDue). */
  last_run: string | null;
  success: boolean | null;
  exit_status: string | null;
}

const now = () => new Date().toISOString().replace('T', ' ').slice(0, 19);
const lc = (s: string) => s.toLowerCase();
export const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;
export const EMAIL_RE = /^[A-Za-z0-9!#$%&'*+=?^_`{|}~.-]{1,64}@[A-Za-z0-9.-]{1,253}$/;

export class MailcowState {
  readonly domains = new Map<string, Domain>();
  readonly mailboxes = new Map<string, Mailbox>();
  readonly aliases = new Map<number, Alias>();
  readonly syncjobs = new Map<number, SyncJob>();
  private nextAlias = 1;
  private nextJob = 1;

  static seeded(): MailcowState {
    const s = new MailcowState();
    s.addDomain({
      domain: 'example.com',
      description: 'Example domain',
      active: true,
      aliases: 400,
      mailboxes: 10,
      defquota: 3072,
      maxquota: 10240,
      quota: 10240,
      backupmx: false,
    });
    s.addDomain({
      domain: 'example.org',
      description: 'Second domain',
      active: true,
      aliases: 50,
      mailboxes: 5,
      defquota: 1024,
      maxquota: 4096,
      quota: 8192,
      backupmx: false,
    });
    for (const [local, name, quota] of [
      ['info', 'Info Desk', 1024],
      ['john.doe', 'John Doe', 3072],
      ['jane.roe', 'Jane Roe', 3072],
    ] as const) {
      s.addMailbox({
        domain: 'example.com',
        local_part: local,
        name,
        password: 'sandbox-only-password',
        quota,
        active: true,
      });
    }
    s.addAlias({ address: 'sales@example.com', goto: 'john.doe@example.com,jane.roe@example.com', active: true });
    s.addAlias({ address: 'postmaster@example.com', goto: 'info@example.com', active: true });
    s.addSyncJob({
      username: 'john.doe@example.com',
      host1: 'imap.oldmail.example',
      user1: 'john',
      password1: 'sandbox-only-password',
    });
    return s;
  }

  domainOf(name: string): Domain {
    const d = this.domains.get(lc(name));
    if (!d) throw new Refusal(404, 'domain_not_found', name, `Domain ${name} doesn't exist`);
    return d;
  }

  addDomain(f: Omit<Domain, 'created' | 'modified'>): Domain {
    if (!DOMAIN_RE.test(f.domain))
      throw new Refusal(400, 'domain_invalid', f.domain, `Domain name ${f.domain} is invalid`);
    if (this.domains.has(lc(f.domain)))
      throw new Refusal(409, 'domain_exists', f.domain, `Domain ${f.domain} already exists`);
    checkQuotas(f);
    const d: Domain = { ...f, domain: lc(f.domain), created: now(), modified: null };
    this.domains.set(d.domain, d);
    return d;
  }

  editDomain(name: string, f: Partial<Domain>): Domain {
    const d = this.domainOf(name);
    const next = { ...d, ...f, domain: d.domain };
    checkQuotas(next);
    Object.assign(d, next, { modified: now() });
    return d;
  }

  deleteDomain(name: string): void {
    const d = this.domainOf(name);
    if (this.mailboxesIn(d.domain).length > 0) {
      throw new Refusal(
        409,
        'domain_not_empty',
        d.domain,
        `Domain ${d.domain} is not empty: delete its mailboxes first`,
      );
    }
    this.domains.delete(d.domain);
    for (const [id, a] of this.aliases) if (a.domain === d.domain) this.aliases.delete(id);
  }

  /** The mailboxes and aliases of one domain (its stored, lower-case name). */
  mailboxesIn(domain: string): Mailbox[] {
    return [...this.mailboxes.values()].filter((m) => m.domain === domain);
  }
  aliasesIn(domain: string): Alias[] {
    return [...this.aliases.values()].filter((a) => a.domain === domain);
  }

  mailboxOf(email: string): Mailbox {
    const m = this.mailboxes.get(lc(email));
    if (!m) throw new Refusal(404, 'mailbox_not_found', email, `Mailbox ${email} doesn't exist`);
    return m;
  }

  addMailbox(
    f: {
      domain: string;
      local_part: string;
      name: string;
      password: string;
      quota: number;
      active: boolean;
    } & Partial<Mailbox>,
  ): Mailbox {
    const d = this.domainOf(f.domain);
    const username = lc(`${f.local_part}@${d.domain}`);
    if (!EMAIL_RE.test(username))
      throw new Refusal(400, 'mailbox_invalid', username, `Mailbox address ${username} is invalid`);
    if (this.mailboxes.has(username)) {
      throw new Refusal(409, 'object_exists', username, `Mailbox ${username} already exists`);
    }
    if (this.aliasByAddress(username)) {
      throw new Refusal(409, 'is_alias', username, `${username} is already an alias address`);
    }
    const inDomain = this.mailboxesIn(d.domain);
    if (inDomain.length >= d.mailboxes)
      throw new Refusal(
        400,
        'max_mailbox_exceeded',
        String(inDomain.length),
        `Domain ${d.domain} allows at most ${d.mailboxes} mailboxes`,
        [String(d.mailboxes)],
      );
    this.checkMailboxQuota(d, f.quota, inDomain);
    const m: Mailbox = {
      username,
      domain: d.domain,
      local_part: lc(f.local_part),
      name: f.name,
      password: f.password,
      quota: f.quota,
      active: f.active,
      force_pw_update: f.force_pw_update ?? false,
      tls_enforce_in: f.tls_enforce_in ?? false,
      tls_enforce_out: f.tls_enforce_out ?? false,
      created: now(),
      modified: null,
    };
    this.mailboxes.set(username, m);
    return m;
  }

  editMailbox(email: string, f: Partial<Mailbox>): Mailbox {
    const m = this.mailboxOf(email);
    if (f.quota !== undefined) {
      const d = this.domainOf(m.domain);
      const others = this.mailboxesIn(d.domain).filter((x) => x !== m);
      this.checkMailboxQuota(d, f.quota, others);
    }
    Object.assign(m, f, { username: m.username, domain: m.domain, local_part: m.local_part, modified: now() });
    return m;
  }

  deleteMailbox(email: string): void {
    const m = this.mailboxOf(email);
    this.mailboxes.delete(m.username);
    for (const [id, j] of this.syncjobs) if (j.username === m.username) this.syncjobs.delete(id);
  }

  private checkMailboxQuota(d: Domain, quota: number, others: Mailbox[]): void {
    if (quota > d.maxquota) {
      throw new Refusal(
        400,
        'mailbox_quota_exceeded',
        String(d.maxquota),
        `Quota ${quota} MiB exceeds the domain's maximum of ${d.maxquota} MiB per mailbox`,
      );
    }
    const used = others.reduce((n, x) => n + x.quota, 0);
    if (used + quota > d.quota) {
      throw new Refusal(
        400,
        'mailbox_quota_left_exceeded',
        String(d.quota - used),
        `Only ${d.quota - used} MiB of the domain quota are left`,
      );
    }
  }

  aliasByAddress(address: string): Alias | undefined {
    return [...this.aliases.values()].find((a) => a.address === lc(address));
  }

  aliasOf(id: number): Alias {
    const a = this.aliases.get(id);
    if (!a) throw new Refusal(404, 'alias_not_found', String(id), `Alias ${id} doesn't exist`);
    return a;
  }

  private checkAlias(address: string, goto: string): { address: string; goto: string; domain: string } {
    const addr = lc(address.trim());
    const domain = addr.slice(addr.lastIndexOf('@') + 1);
    if (!(addr.startsWith('@') ? DOMAIN_RE.test(domain) : EMAIL_RE.test(addr))) {
      throw new Refusal(400, 'alias_invalid', address, `Alias address ${address} is invalid`);
    }
    this.domainOf(domain);
    const targets = goto
      .split(/[\s,]+/)
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
    if (targets.length === 0)
      throw new Refusal(400, 'goto_empty', address, 'Alias destination (goto) must not be empty');
    for (const t of targets)
      if (!EMAIL_RE.test(t)) throw new Refusal(400, 'goto_invalid', t, `Destination ${t} is invalid`);
    return { address: addr, goto: targets.join(','), domain };
  }

  addAlias(f: {
    address: string;
    goto: string;
    active?: boolean;
    sogo_visible?: boolean;
    sender_allowed?: boolean;
  }): Alias {
    const { address, goto, domain } = this.checkAlias(f.address, f.goto);
    if (this.aliasByAddress(address) || this.mailboxes.has(address)) {
      throw new Refusal(409, 'is_alias_or_mailbox', address, `${address} is already an alias or a mailbox`);
    }
    const d = this.domainOf(domain);
    const inDomain = this.aliasesIn(d.domain).length;
    if (inDomain >= d.aliases)
      throw new Refusal(
        400,
        'max_alias_exceeded',
        String(d.aliases),
        `Domain ${d.domain} allows at most ${d.aliases} aliases`,
      );
    const a: Alias = {
      id: this.nextAlias++,
      address,
      goto,
      domain,
      active: f.active ?? true,
      sogo_visible: f.sogo_visible ?? true,
      sender_allowed: f.sender_allowed ?? true,
      created: now(),
      modified: null,
    };
    this.aliases.set(a.id, a);
    return a;
  }

  editAlias(id: number, f: { address?: string; goto?: string; active?: boolean }): Alias {
    const a = this.aliasOf(id);
    const checked = this.checkAlias(f.address ?? a.address, f.goto ?? a.goto);
    const clash = this.aliasByAddress(checked.address);
    if ((clash && clash.id !== id) || this.mailboxes.has(checked.address)) {
      throw new Refusal(
        409,
        'is_alias_or_mailbox',
        checked.address,
        `${checked.address} is already an alias or a mailbox`,
      );
    }
    Object.assign(a, checked, f.active === undefined ? {} : { active: f.active }, { modified: now() });
    return a;
  }

  deleteAlias(id: number): void {
    this.aliasOf(id);
    this.aliases.delete(id);
  }

  jobOf(id: number): SyncJob {
    const j = this.syncjobs.get(id);
    if (!j) throw new Refusal(404, 'syncjob_not_found', String(id), `Sync job ${id} doesn't exist`);
    return j;
  }

  addSyncJob(f: Pick<SyncJob, 'username' | 'host1' | 'user1' | 'password1'> & Partial<SyncJob>): SyncJob {
    const username = lc(f.username);
    this.mailboxOf(username);
    const host1 = lc(f.host1);
    const dup = [...this.syncjobs.values()].find(
      (j) => j.username === username && j.user1 === f.user1 && j.host1 === host1,
    );
    if (dup)
      throw new Refusal(
        409,
        'object_exists',
        'host / user',
        `A sync job from ${f.user1} on ${host1} into ${username} already exists`,
      );
    const j: SyncJob = {
      id: this.nextJob++,
      port1: 993,
      enc1: 'SSL',
      mins_interval: 20,
      subfolder2: '',
      maxage: 0,
      maxbytespersecond: 0,
      exclude: '(?i)spam|(?i)junk',
      delete1: false,
      delete2: false,
      delete2duplicates: true,
      automap: true,
      skipcrossduplicates: false,
      subscribeall: true,
      active: true,
      ...f,
      username,
      host1,
      created: now(),
      modified: null,
      last_run: null,
      success: null,
      exit_status: null,
    };
    this.syncjobs.set(j.id, j);
    return j;
  }

  editSyncJob(id: number, f: Partial<SyncJob>): SyncJob {
    const j = this.jobOf(id);
    if (f.username !== undefined) this.mailboxOf(f.username);
    Object.assign(j, f, { id, modified: now() }, f.username ? { username: lc(f.username) } : {});
    return j;
  }

  deleteSyncJob(id: number): void {
    this.jobOf(id);
    this.syncjobs.delete(id);
  }

  /**
   * What mailcow's runner does each minute (data/Dockerfiles/dovecot/imapsync_runner.pl): every job with
   * `active = 1` whose `last_run` is NULL or older than `mins_interval` minutes runs. The sandbox has no
   * remote server, so a run succeeds at once; an inactive job never runs.
   */
  runDue(at = Date.now()): void {
    for (const j of this.syncjobs.values()) {
      const last = j.last_run ? Date.parse(`${j.last_run.replace(' ', 'T')}Z`) : undefined;
      if (!j.active || (last !== undefined && at - last <= j.mins_interval * 60_000)) continue;
      j.last_run = new Date(at).toISOString().replace('T', ' ').slice(0, 19);
      j.success = true;
      j.exit_status = 'EX_OK';
    }
  }
}

function checkQuotas(d: Pick<Domain, 'defquota' | 'maxquota' | 'quota'>): void {
  if (d.maxquota > d.quota)
    throw new Refusal(
      400,
      'mailbox_quota_exceeds_domain_quota',
      String(d.quota),
      'Max quota per mailbox exceeds the domain quota',
    );
  if (d.defquota > d.maxquota) {
    throw new Refusal(
      400,
      'mailbox_defquota_exceeds_mailbox_maxquota',
      String(d.maxquota),
      'Default mailbox quota exceeds the max quota per mailbox',
    );
  }
}
