import { createHash } from 'node:crypto';
import { type Call, Emulator, type Reply } from '../emulator.ts';
import {
  CONTACT_FIELDS,
  Fault,
  type FilterLevel,
  LISTS,
  type ListName,
  type Mailbox,
  type MailboxInput,
  RackspaceState,
  type Service,
  usDate,
} from './state.ts';

export interface Limits {
  /** Correctly signed GETs per window (Rackspace: 60 a minute). */
  get: number;
  /** Correctly signed POST/PUT/DELETEs per window (Rackspace: 30 a minute). */
  write: number;
  windowMs: number;
}

export interface RackspaceEmulatorOptions {
  userKey: string;
  secretKey: string;
  state?: RackspaceState;
  limits?: Limits;
  /** Allowed distance between the signature's timestamp and the emulator's clock (undocumented upstream). */
  skewMs?: number;
  now?: () => number;
}

const FAULT_KEYS: Record<number, string> = {
  400: 'badRequestFault',
  403: 'unauthorizedFault',
  404: 'itemNotFoundFault',
  405: 'badRequestFault',
};

/** A fault the way the API answers one: a JSON fault body and the `x-error-message` header. */
export function fault(status: number, message: string, resourceType?: string): Reply {
  const key = FAULT_KEYS[status] ?? 'appsFault';
  return {
    status,
    headers: { 'x-error-message': message.replace(/[^\x20-\x7e]/g, '?') },
    body: { [key]: { message, details: usDate(), code: status, ...(resourceType ? { resourceType } : {}) } },
  };
}

type Kind = 'string' | 'integer' | 'boolean';
interface FormSpec {
  fields: Record<string, Kind>;
  required?: string[];
  /** Fields that may be left out (on Edit) but never sent empty. */
  nonEmpty?: string[];
  /** The mailbox form words boolean errors `Invalid format for Enabled, input must be True or False`. */
  capitalBooleans?: boolean;
}

const CONTACT_FORM: Record<string, string> = {
  businessnumber: 'businessNumber',
  pagernumber: 'pagerNumber',
  homenumber: 'homeNumber',
  mobilenumber: 'mobileNumber',
  faxnumber: 'faxNumber',
};
const MAILBOX_FORM: FormSpec = {
  fields: {
    displayName: 'string',
    password: 'string',
    size: 'integer',
    isHidden: 'boolean',
    isPublicFolderAdmin: 'boolean',
    emailForwardingAddress: 'string',
    enabled: 'boolean',
    ...Object.fromEntries(
      CONTACT_FIELDS.map((f) => [CONTACT_FORM[f.toLowerCase()] ? f.toLowerCase() : f, 'string' as const]),
    ),
  },
  nonEmpty: ['displayName', 'password', 'size'],
  capitalBooleans: true,
};
const SPAM_FORM: FormSpec = {
  fields: { filterlevel: 'string', sendtodomainquarantine: 'boolean', quarantineowner: 'string' },
  required: ['filterlevel'],
  nonEmpty: ['filterlevel'],
};
const BLACKBERRY_FORM: FormSpec = {
  fields: { activationPassword: 'string' },
  required: ['activationPassword'],
  nonEmpty: ['activationPassword'],
};
const NO_FORM: FormSpec = { fields: {} };

function rawForm(call: Call): [string, string][] {
  if (call.headers['content-type']?.includes('application/json')) {
    try {
      const b = JSON.parse(call.body) as unknown;
      if (b && typeof b === 'object' && !Array.isArray(b)) return Object.entries(b).map(([k, v]) => [k, String(v)]);
    } catch {
      throw new Fault(400, 'Invalid request body');
    }
  }
  return [...new URLSearchParams(call.body).entries()];
}

/** Parses Add/Edit form fields against a spec, with the seed's messages; names match case-insensitively. */
function parseForm(call: Call, spec: FormSpec): Record<string, string | number | boolean> {
  const canonical = new Map(Object.keys(spec.fields).map((f) => [f.toLowerCase(), f]));
  const given = new Map<string, string>();
  for (const [key, value] of rawForm(call)) {
    const name = canonical.get(key.toLowerCase());
    if (!name) throw new Fault(400, `Unrecognized field: ${key}`);
    given.set(name, value);
  }
  for (const f of spec.required ?? []) if (!given.has(f)) throw new Fault(400, `Missing required field: ${f}`);
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of given) {
    if (spec.nonEmpty?.includes(name) && value.trim() === '')
      throw new Fault(400, `Required field ${name} cannot be empty`);
    const kind = spec.fields[name];
    if (kind === 'integer') {
      if (!/^\d+$/.test(value.trim())) throw new Fault(400, `Invalid format for ${name}, input must be an integer`);
      out[name] = Number(value);
    } else if (kind === 'boolean') {
      if (!/^(true|false)$/i.test(value.trim())) {
        throw new Fault(
          400,
          spec.capitalBooleans
            ? `Invalid format for ${name[0]?.toUpperCase()}${name.slice(1)}, input must be True or False`
            : `Invalid format for ${name}, input must be true or false`,
        );
      }
      out[name] = value.trim().toLowerCase() === 'true';
    } else out[name] = value;
  }
  return out;
}

function mailboxInput(f: Record<string, string | number | boolean>): MailboxInput {
  const contact: Record<string, string> = {};
  const input: MailboxInput = { contact };
  for (const [k, v] of Object.entries(f)) {
    const field = CONTACT_FORM[k] ?? k;
    if ((CONTACT_FIELDS as readonly string[]).includes(field)) contact[field] = String(v);
    else Object.assign(input, { [k]: v });
  }
  return input;
}

function page(call: Call): { size: number; offset: number } {
  const read = (name: string, fallback: number) => {
    const raw = call.query.get(name);
    if (raw === null) return fallback;
    if (!/^\d+$/.test(raw)) throw new Fault(400, `Invalid format for ${name}, input must be an integer`);
    return Number(raw);
  };
  const size = read('size', 50);
  // The wire notes give 250 as the maximum page size; the answer to more is undocumented, this one refuses it.
  if (size < 1 || size > 250) throw new Fault(400, 'Invalid size, input must be between 1 and 250');
  return { size, offset: read('offset', 0) };
}

function paged<T>(call: Call, key: string, all: T[]): Reply {
  const { size, offset } = page(call);
  return { status: 200, body: { offset, size, total: all.length, [key]: all.slice(offset, offset + size) } };
}

const brief = (m: Mailbox) => ({ name: m.name, displayName: m.displayName });

function show(m: Mailbox): Record<string, unknown> {
  return {
    name: m.name,
    displayName: m.displayName,
    size: m.size,
    currentUsage: m.currentUsage,
    isHidden: m.isHidden,
    isPublicFolderAdmin: m.isPublicFolderAdmin,
    enabled: m.enabled,
    lastLogin: m.lastLogin,
    createdDate: m.createdDate,
    emailForwardingAddress: m.emailForwardingAddress,
    emailAddressList: m.addresses.map((address, i) => ({ address, replyTo: i === 0 })),
    hasBlackBerryMobileService: m.services.blackberry,
    hasActiveSyncMobileService: m.services.activesync,
    visibleInRackspaceEmailCompanyDirectory: !m.isHidden,
    contactInfo: { ...m.contact },
  };
}

function parseStamp(ts: string): number | undefined {
  const p = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(ts);
  if (!p) return undefined;
  const [y, mo, d, h, mi, s] = p.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

/** Checks `X-Api-Signature` against the exact `User-Agent`, the keys and the clock. */
export function signatureValid(
  headers: Record<string, string>,
  userKey: string,
  secretKey: string,
  now: number,
  skewMs: number,
): boolean {
  const sig = headers['x-api-signature'];
  const ua = headers['user-agent'];
  if (!sig || !ua) return false;
  const parts = sig.split(':');
  if (parts.length !== 3) return false;
  const [key, ts, hash] = parts as [string, string, string];
  const at = parseStamp(ts);
  if (key !== userKey || at === undefined || Math.abs(now - at) > skewMs) return false;
  const expected = createHash('sha1')
    .update(key + ua + ts + secretKey, 'utf8')
    .digest('base64');
  // Some clients (Ruby's Base64.encode64) append a newline.
  return hash.trim() === expected;
}

/** The emulator with its state and request limits in reach, for tests and fault injection. */
export class RackspaceEmulator extends Emulator {
  constructor(
    readonly state: RackspaceState,
    public limits: Limits,
  ) {
    super('rackspace');
  }
}

/** The seed's Exchange mailbox API over a RackspaceState, signed and throttled like the real one. */
export function rackspaceEmulator(opts: RackspaceEmulatorOptions): RackspaceEmulator {
  const state = opts.state ?? RackspaceState.seeded();
  const skewMs = opts.skewMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  const emu = new RackspaceEmulator(state, opts.limits ?? { get: 60, write: 30, windowMs: 60_000 });
  let window = { start: now(), get: 0, write: 0 };

  emu.hook((call) => {
    const limits = emu.limits;
    if (!signatureValid(call.headers, opts.userKey, opts.secretKey, now(), skewMs))
      return fault(403, 'Authentication failed');
    if (now() - window.start >= limits.windowMs) window = { start: now(), get: 0, write: 0 };
    // Every correctly signed call counts, refused ones included.
    const kind = call.method === 'GET' ? 'get' : 'write';
    if (window[kind] >= limits[kind]) return fault(403, 'Exceeded request limits');
    window[kind]++;
    return undefined;
  });
  emu.fallback = (_c, mismatch) => (mismatch ? fault(405, 'Method not allowed') : fault(404, 'Resource not found'));

  const r = (method: string, path: string, fn: (call: Call, p: Record<string, string>) => Reply) =>
    emu.route(method, `/:version/customers/:customer/domains/:domain/ex${path}`, (call) => {
      try {
        const p = call.params as Record<string, string>;
        if (p.version !== 'v0' && p.version !== 'v1') return fault(404, 'Resource not found');
        if (p.customer !== state.customerId && p.customer !== 'me') return fault(404, 'Customer Not Found', 'Customer');
        // The seed lists "Invalid format" for every operation but Delete.
        if (method !== 'DELETE' && !call.headers.accept?.includes('application/json'))
          return fault(404, 'Invalid format');
        state.domainOf(p.domain as string);
        return fn(call, p);
      } catch (err) {
        if (err instanceof Fault) return fault(err.status, err.message, err.resourceType);
        throw err;
      }
    });
  // Domain index (rackspace.md: `domains` with `name`, `accountNumber`, `serviceType`…).
  emu.route('GET', '/:version/customers/:customer/domains', (call) => {
    const p = call.params as Record<string, string>;
    if (p.version !== 'v0' && p.version !== 'v1') return fault(404, 'Resource not found');
    if (p.customer !== state.customerId && p.customer !== 'me') return fault(404, 'Customer Not Found', 'Customer');
    const all = [...state.domains.values()].map((d) => ({
      name: d.name,
      accountNumber: state.customerId,
      serviceType: 'exchange',
      exchangeMaxNumMailboxes: 100,
    }));
    return paged(call, 'domains', all);
  });
  const done: Reply = { status: 200 };
  const list = (name: string): ListName => {
    const l = name.replace('blocklist', 'blacklist');
    if (!(LISTS as readonly string[]).includes(l)) throw new Fault(404, 'Resource not found');
    return l as ListName;
  };

  r('GET', '/mailboxes', (c, p) => paged(c, 'mailboxes', state.sorted(p.domain as string).map(brief)));
  r('GET', '/mailboxes/:mailbox', (_c, p) => ({
    status: 200,
    body: show(state.mailboxOf(p.domain as string, p.mailbox as string)),
  }));
  r('POST', '/mailboxes/:mailbox', (c, p) => {
    const f = mailboxInput(parseForm(c, { ...MAILBOX_FORM, required: ['displayName', 'password', 'size'] }));
    state.addMailbox(p.domain as string, p.mailbox as string, f as Parameters<RackspaceState['addMailbox']>[2]);
    return done;
  });
  r('PUT', '/mailboxes/:mailbox', (c, p) => {
    state.mailboxOf(p.domain as string, p.mailbox as string);
    state.editMailbox(p.domain as string, p.mailbox as string, mailboxInput(parseForm(c, MAILBOX_FORM)));
    return done;
  });
  r('DELETE', '/mailboxes/:mailbox', (_c, p) => {
    state.deleteMailbox(p.domain as string, p.mailbox as string);
    return done;
  });

  r('POST', '/mailboxes/:mailbox/emailaddresses/:address', (c, p) => {
    parseForm(c, NO_FORM);
    state.addAddress(p.domain as string, p.mailbox as string, p.address as string);
    return done;
  });
  r('DELETE', '/mailboxes/:mailbox/emailaddresses/:address', (_c, p) => {
    state.removeAddress(p.domain as string, p.mailbox as string, p.address as string);
    return done;
  });

  r('GET', '/mailboxes/:mailbox/spam/settings', (_c, p) => {
    const m = state.mailboxOf(p.domain as string, p.mailbox as string);
    return { status: 200, body: { ...m.spam } };
  });
  r('PUT', '/mailboxes/:mailbox/spam/settings', (c, p) => {
    state.mailboxOf(p.domain as string, p.mailbox as string, 'user');
    const f = parseForm(c, SPAM_FORM);
    const level = String(f.filterlevel).toLowerCase();
    if (!['on', 'off', 'exclusive'].includes(level))
      throw new Fault(400, 'Invalid filterLevel, input must be: on/off/exclusive');
    const owner = f.quarantineowner as string | undefined;
    if (owner && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(owner)) throw new Fault(400, `invalid email address: ${owner}`);
    state.editSpam(
      p.domain as string,
      p.mailbox as string,
      level as FilterLevel,
      f.sendtodomainquarantine as boolean | undefined,
      owner,
    );
    return done;
  });
  r('GET', '/mailboxes/:mailbox/spam/:list', (_c, p) => ({
    status: 200,
    body: { addresses: [...state.list(p.domain as string, p.mailbox as string, list(p.list as string))] },
  }));
  r('POST', '/mailboxes/:mailbox/spam/:list/:entry', (c, p) => {
    parseForm(c, NO_FORM);
    state.addListEntry(p.domain as string, p.mailbox as string, list(p.list as string), p.entry as string);
    return done;
  });
  r('DELETE', '/mailboxes/:mailbox/spam/:list/:entry', (_c, p) => {
    state.removeListEntry(p.domain as string, p.mailbox as string, list(p.list as string), p.entry as string);
    return done;
  });

  for (const service of ['blackberry', 'activesync'] as Service[]) {
    r('GET', `/${service}mobileservices`, (c, p) =>
      paged(c, 'mailboxes', state.withService(p.domain as string, service).map(brief)),
    );
    r('POST', `/mailboxes/:mailbox/${service}mobileservice`, (c, p) => {
      state.mailboxOf(p.domain as string, p.mailbox as string);
      parseForm(c, service === 'blackberry' ? BLACKBERRY_FORM : NO_FORM);
      state.addService(p.domain as string, p.mailbox as string, service);
      return done;
    });
    r('DELETE', `/mailboxes/:mailbox/${service}mobileservice`, (_c, p) => {
      state.removeService(p.domain as string, p.mailbox as string, service);
      return done;
    });
  }
  return emu;
}
