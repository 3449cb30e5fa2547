import { type Call, Emulator, jsonBody, type Reply } from '../emulator.ts';
import { type Alias, type Domain, type Mailbox, MailcowState, Refusal, type SyncJob } from './state.ts';

type Kind = 'string' | 'integer' | 'boolean' | 'stringOrList';
type Spec = Record<string, { kind: Kind; required?: boolean }>;

const DOMAIN: Spec = {
  domain: { kind: 'string', required: true },
  active: { kind: 'boolean', required: true },
  aliases: { kind: 'integer', required: true },
  backupmx: { kind: 'boolean' },
  defquota: { kind: 'integer', required: true },
  description: { kind: 'string' },
  mailboxes: { kind: 'integer', required: true },
  maxquota: { kind: 'integer', required: true },
  quota: { kind: 'integer', required: true },
};
const MAILBOX: Spec = {
  active: { kind: 'boolean', required: true },
  domain: { kind: 'string', required: true },
  local_part: { kind: 'string', required: true },
  name: { kind: 'string', required: true },
  password: { kind: 'string', required: true },
  quota: { kind: 'integer', required: true },
  force_pw_update: { kind: 'boolean' },
  tls_enforce_in: { kind: 'boolean' },
  tls_enforce_out: { kind: 'boolean' },
};
const ALIAS: Spec = {
  address: { kind: 'string', required: true },
  goto: { kind: 'stringOrList', required: true },
  active: { kind: 'boolean' },
};
const SYNCJOB: Spec = {
  username: { kind: 'string', required: true },
  host1: { kind: 'string', required: true },
  user1: { kind: 'string', required: true },
  password1: { kind: 'string', required: true },
  port1: { kind: 'integer' },
  enc1: { kind: 'string' },
  mins_interval: { kind: 'integer' },
  subfolder2: { kind: 'string' },
  maxage: { kind: 'integer' },
  maxbytespersecond: { kind: 'integer' },
  exclude: { kind: 'string' },
  delete1: { kind: 'boolean' },
  delete2: { kind: 'boolean' },
  delete2duplicates: { kind: 'boolean' },
  automap: { kind: 'boolean' },
  skipcrossduplicates: { kind: 'boolean' },
  active: { kind: 'boolean' },
};

const ok = (msg: string, extra: Record<string, unknown> = {}, status = 200): Reply => ({
  status,
  body: { type: 'success', msg, ...extra },
});
const fail = (status: number, msg: string): Reply => ({ status, body: { type: 'error', msg } });

function typeOk(kind: Kind, v: unknown): boolean {
  switch (kind) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0;
    case 'boolean':
      return typeof v === 'boolean';
    case 'stringOrList':
      return typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
  }
}

/** Validates a JSON body against a spec; `partial` for PUT (nothing required). Returns the body or throws a 400. */
function body(call: Call, spec: Spec, partial: boolean): Record<string, unknown> {
  const b = jsonBody(call);
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new Refusal(400, 'invalid_json', '', 'Invalid parameters: the body must be a JSON object');
  const rec = b as Record<string, unknown>;
  for (const [field, { kind, required }] of Object.entries(spec)) {
    if (rec[field] === undefined) {
      if (required && !partial) throw new Refusal(400, 'missing', field, `Invalid parameters: ${field} is required`);
      continue;
    }
    if (!typeOk(kind, rec[field]))
      throw new Refusal(
        400,
        'invalid',
        field,
        `Invalid parameters: ${field} must be ${kind === 'stringOrList' ? 'a string' : `a ${kind}`}`,
      );
  }
  for (const field of Object.keys(rec))
    if (!(field in spec)) throw new Refusal(400, 'unknown', field, `Invalid parameters: unknown field ${field}`);
  return rec;
}

const goto = (v: unknown) => (Array.isArray(v) ? v.join(',') : (v as string | undefined));
const intId = (s: string | undefined) => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Refusal(404, 'not_found', String(s), `Resource ${s} doesn't exist`);
  return n;
};

const showDomain = (s: MailcowState, d: Domain) => {
  const boxes = s.mailboxesIn(d.domain);
  const aliases = s.aliasesIn(d.domain);
  return {
    ...d,
    mailboxes_in_domain: boxes.length,
    aliases_in_domain: aliases.length,
    quota_used_in_domain: boxes.reduce((n, m) => n + m.quota, 0),
  };
};
const showMailbox = ({ password: _p, ...m }: Mailbox) => ({ ...m, quota_used: 0, messages: 0 });
const showAlias = (a: Alias) => a;
const showJob = ({ password1: _p, ...j }: SyncJob) => ({ ...j, is_running: false });

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/** The seed's RESTful Email Management API over a MailcowState. */
export function mailcowRestEmulator(opts: { apiKey: string; state?: MailcowState; rateLimit?: RateLimit }): Emulator {
  const state = opts.state ?? MailcowState.seeded();
  const rl = opts.rateLimit ?? { limit: 100, windowMs: 60_000 };
  let windowStart = Date.now();
  let used = 0;
  const emu = new Emulator('mailcow');
  const resetAt = () => Math.ceil((windowStart + rl.windowMs) / 1000);

  emu.hook((call) => {
    if (call.headers.authorization !== `Bearer ${opts.apiKey}`) return fail(401, 'Invalid credentials');
    if (Date.now() - windowStart >= rl.windowMs) {
      windowStart = Date.now();
      used = 0;
    }
    if (used >= rl.limit) return fail(429, 'Rate limit exceeded');
    used++;
    return undefined;
  });
  emu.decorate = (_call, reply) => {
    reply.headers = {
      ...reply.headers,
      'x-ratelimit-limit': String(rl.limit),
      'x-ratelimit-remaining': String(Math.max(0, rl.limit - used)),
      'x-ratelimit-reset': String(resetAt()),
    };
  };
  emu.fallback = (_c, mismatch) => (mismatch ? fail(405, 'Method not allowed') : fail(404, "Resource doesn't exist"));

  const guard =
    (fn: (call: Call) => Reply) =>
    (call: Call): Reply => {
      try {
        return fn(call);
      } catch (err) {
        if (err instanceof Refusal) return fail(err.status, err.message);
        throw err;
      }
    };
  const r = (method: string, path: string, fn: (call: Call) => Reply) => emu.route(method, `/api/v1${path}`, guard(fn));

  r('GET', '/domains', () => ({ status: 200, body: [...state.domains.values()].map((d) => showDomain(state, d)) }));
  r('POST', '/domains', (c) => {
    const b = body(c, DOMAIN, false) as unknown as Domain;
    state.addDomain({ ...b, description: b.description ?? '', backupmx: b.backupmx ?? false });
    return ok('Domain has been added to system', {}, 201);
  });
  r('PUT', '/domains/:domain', (c) => {
    const b = body(c, DOMAIN, true);
    if (b.domain !== undefined && String(b.domain).toLowerCase() !== c.params.domain?.toLowerCase()) {
      throw new Refusal(400, 'invalid', 'domain', 'Invalid parameters: a domain cannot be renamed');
    }
    state.editDomain(c.params.domain as string, b as Partial<Domain>);
    return ok('Domain has been updated');
  });
  r('DELETE', '/domains/:domain', (c) => {
    state.deleteDomain(c.params.domain as string);
    return ok('Domain has been removed');
  });

  r('GET', '/mailboxes', () => ({ status: 200, body: [...state.mailboxes.values()].map(showMailbox) }));
  r('GET', '/mailboxes/:email', (c) => ({ status: 200, body: showMailbox(state.mailboxOf(c.params.email as string)) }));
  r('POST', '/mailboxes', (c) => {
    const b = body(c, MAILBOX, false) as unknown as Mailbox;
    state.addMailbox(b);
    return ok('Mailbox has been added', {}, 201);
  });
  r('PUT', '/mailboxes/:email', (c) => {
    const { domain, local_part, ...rest } = body(c, MAILBOX, true);
    if (domain !== undefined || local_part !== undefined)
      throw new Refusal(400, 'invalid', 'domain', 'Invalid parameters: the address of a mailbox cannot change');
    state.editMailbox(c.params.email as string, rest as Partial<Mailbox>);
    return ok('Mailbox has been updated');
  });
  r('DELETE', '/mailboxes/:email', (c) => {
    state.deleteMailbox(c.params.email as string);
    return ok('Mailbox has been removed');
  });

  r('GET', '/aliases', () => ({ status: 200, body: [...state.aliases.values()].map(showAlias) }));
  r('POST', '/aliases', (c) => {
    const b = body(c, ALIAS, false);
    const a = state.addAlias({
      address: b.address as string,
      goto: goto(b.goto) as string,
      active: b.active as boolean | undefined,
    });
    return ok(`Alias ${a.address} has been added`, { id: a.id }, 201);
  });
  r('PUT', '/aliases/:id', (c) => {
    const b = body(c, ALIAS, true);
    state.editAlias(intId(c.params.id), {
      address: b.address as string | undefined,
      goto: goto(b.goto),
      active: b.active as boolean | undefined,
    });
    return ok('Alias has been updated');
  });
  r('DELETE', '/aliases/:id', (c) => {
    state.deleteAlias(intId(c.params.id));
    return ok('Alias has been removed');
  });

  r('GET', '/syncjobs', () => {
    state.runDue();
    return { status: 200, body: [...state.syncjobs.values()].map(showJob) };
  });
  r('POST', '/syncjobs', (c) => {
    const b = body(c, SYNCJOB, false) as unknown as SyncJob;
    if (b.enc1 !== undefined && !['TLS', 'SSL', 'PLAIN'].includes(b.enc1))
      throw new Refusal(400, 'invalid', 'enc1', 'Invalid parameters: enc1 must be TLS, SSL or PLAIN');
    const j = state.addSyncJob(b);
    return ok('Sync job has been added', { id: j.id }, 201);
  });
  r('PUT', '/syncjobs/:id', (c) => {
    const b = body(c, SYNCJOB, true) as Partial<SyncJob>;
    if (b.username !== undefined)
      throw new Refusal(
        400,
        'invalid',
        'username',
        'Invalid parameters: the target mailbox of a sync job cannot change',
      );
    state.editSyncJob(intId(c.params.id), b);
    return ok('Sync job has been updated');
  });
  r('DELETE', '/syncjobs/:id', (c) => {
    state.deleteSyncJob(intId(c.params.id));
    return ok('Sync job has been removed');
  });
  return emu;
}
