// The Exchange side of a Rackspace customer account: domains, mailboxes with their addresses, spam settings
// and lists, and BlackBerry / ActiveSync services, with the seed's rules and its exact messages.
import { isIP } from 'node:net';

/** A refusal with the seed's status and message; `resourceType` goes into `itemNotFoundFault`. */
export class Fault extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly resourceType?: string,
  ) {
    super(message);
  }
}

export const LISTS = ['blacklist', 'ipblacklist', 'safelist', 'ipsafelist'] as const;
export type ListName = (typeof LISTS)[number];
export type FilterLevel = 'on' | 'off' | 'exclusive';
export type Service = 'blackberry' | 'activesync';

/** Contact fields as the Show answer spells them. */
export const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'company',
  'department',
  'jobTitle',
  'addressLine1',
  'city',
  'state',
  'zip',
  'country',
  'businessNumber',
  'pagerNumber',
  'homeNumber',
  'mobileNumber',
  'faxNumber',
  'notes',
] as const;

export interface Mailbox {
  name: string;
  displayName: string;
  password: string;
  size: number;
  currentUsage: number;
  isHidden: boolean;
  isPublicFolderAdmin: boolean;
  enabled: boolean;
  createdDate: string;
  lastLogin: string;
  emailForwardingAddress: string;
  /** Lower-case addresses; the first is the primary one. */
  addresses: string[];
  contact: Record<string, string>;
  services: Record<Service, boolean>;
  spam: { filterLevel: FilterLevel; sendToDomainQuarantine: boolean; quarantineOwner: string };
  lists: Record<ListName, string[]>;
}

export interface Domain {
  name: string;
  mailboxes: Map<string, Mailbox>;
}

/** The fields of a mailbox Add/Edit, already parsed from the form. */
export type MailboxInput = Partial<
  Pick<
    Mailbox,
    'displayName' | 'password' | 'size' | 'isHidden' | 'isPublicFolderAdmin' | 'enabled' | 'emailForwardingAddress'
  >
> & { contact?: Record<string, string> };

const lc = (s: string) => s.toLowerCase();
const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;
const NAME_RE = /^[a-z0-9_'-]+(\.[a-z0-9_'-]+)*$/i;
const EMAIL_RE = /^[a-z0-9!#$%&'*+=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+=?^_`{|}~-]+)*@[^@]+$/i;
export const isDomainName = (s: string) => DOMAIN_RE.test(s);
export const isAddress = (s: string) =>
  EMAIL_RE.test(s) && s.length <= 254 && isDomainName(s.slice(s.lastIndexOf('@') + 1));
/** Spam-list entries: an address, a domain, or `@domain`; `%` stands for any one label. */
const isSpamEntry = (s: string) => {
  const plain = s.replace(/(^|[@.])%(?=\.)/g, '$1x');
  return isAddress(plain) || isDomainName(plain.replace(/^@/, ''));
};
/** An ip list takes IP addresses, the other lists spam entries; the seed's messages. */
function checkEntry(list: ListName, entry: string): void {
  if (list.startsWith('ip')) {
    if (isIP(entry) === 0) throw new Fault(400, `invalid ip address: ${entry}`);
  } else if (!isSpamEntry(lc(entry))) throw new Fault(400, `invalid email address: ${entry}`);
}
/** `M/d/yyyy h:mm:ss AM`, the date format of the Show answers. */
export const usDate = (d = new Date()) => d.toLocaleString('en-US', { timeZone: 'UTC' }).replace(',', '');

export class RackspaceState {
  readonly domains = new Map<string, Domain>();

  constructor(readonly customerId: string) {}

  static seeded(): RackspaceState {
    const s = new RackspaceState('12345678');
    s.addDomain('example.com');
    s.addMailbox('example.com', 'alex.smith', { displayName: 'Alex Smith', password: 'Secret123!@#', size: 2048 });
    s.addMailbox('example.com', 'john.smith', { displayName: 'John Smith', password: 'Secret123!@#', size: 2048 });
    const alex = s.mailboxOf('example.com', 'alex.smith');
    Object.assign(alex.contact, {
      firstName: 'Alex',
      lastName: 'Smith',
      jobTitle: 'Office Manager',
      homeNumber: '8005551234',
    });
    alex.currentUsage = 312;
    alex.lastLogin = '3/17/2001 2:37:25 PM';
    alex.services.activesync = true;
    alex.lists.blacklist.push('anyone@spam.com');
    alex.lists.safelist.push('anyone@yahoo.com');
    alex.lists.ipblacklist.push('216.12.34.1');
    return s;
  }

  addDomain(name: string): Domain {
    const d: Domain = { name: lc(name), mailboxes: new Map() };
    this.domains.set(d.name, d);
    return d;
  }

  domainOf(name: string): Domain {
    const d = this.domains.get(lc(name));
    if (!d) throw new Fault(404, `${name} not found`, 'Domain');
    return d;
  }

  /** `style: 'user'` is the wording of the spam-list operations. */
  mailboxOf(domain: string, name: string, style: 'mailbox' | 'user' = 'mailbox'): Mailbox {
    const d = this.domainOf(domain);
    const m = d.mailboxes.get(lc(name));
    if (!m) {
      throw new Fault(
        404,
        style === 'user' ? `No user with the email address ${lc(name)}@${d.name} exists` : 'Mailbox not found',
        'Mailbox',
      );
    }
    return m;
  }

  private owner(address: string): Mailbox | undefined {
    const domain = this.domains.get(address.slice(address.lastIndexOf('@') + 1));
    return [...(domain?.mailboxes.values() ?? [])].find((m) => m.addresses.includes(address));
  }

  private check(f: MailboxInput): void {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what makes a display name invalid
    if (f.displayName !== undefined && (f.displayName.length > 256 || /[<>"\\\u0000-\u001f]/.test(f.displayName))) {
      throw new Fault(400, 'Invalid display name');
    }
    if (f.password !== undefined && f.password.length < 8)
      throw new Fault(400, 'Password must be at least 8 characters long');
    if (f.size !== undefined && f.size < 1) throw new Fault(400, 'Invalid format for size, input must be an integer');
    if (f.emailForwardingAddress && !isAddress(f.emailForwardingAddress)) {
      throw new Fault(400, `invalid email address: ${f.emailForwardingAddress}`);
    }
  }

  addMailbox(
    domain: string,
    name: string,
    f: MailboxInput & Pick<Mailbox, 'displayName' | 'password' | 'size'>,
  ): Mailbox {
    const d = this.domainOf(domain);
    if (name.length > 64 || !NAME_RE.test(name)) throw new Fault(400, 'Invalid user name');
    const address = lc(`${name}@${d.name}`);
    if (d.mailboxes.has(lc(name)) || this.owner(address))
      throw new Fault(400, `The email address ${address} is already in use`);
    this.check(f);
    const m: Mailbox = {
      name: lc(name),
      displayName: f.displayName,
      password: f.password,
      size: f.size,
      currentUsage: 0,
      isHidden: f.isHidden ?? false,
      isPublicFolderAdmin: f.isPublicFolderAdmin ?? false,
      enabled: f.enabled ?? true,
      createdDate: usDate(),
      lastLogin: '',
      emailForwardingAddress: f.emailForwardingAddress ?? '',
      addresses: [address],
      contact: { ...f.contact },
      services: { blackberry: false, activesync: false },
      spam: { filterLevel: 'on', sendToDomainQuarantine: false, quarantineOwner: '' },
      lists: { blacklist: [], ipblacklist: [], safelist: [], ipsafelist: [] },
    };
    d.mailboxes.set(m.name, m);
    return m;
  }

  editMailbox(domain: string, name: string, f: MailboxInput): Mailbox {
    const m = this.mailboxOf(domain, name);
    this.check(f);
    const { contact, ...rest } = f;
    Object.assign(m, rest);
    Object.assign(m.contact, contact);
    return m;
  }

  deleteMailbox(domain: string, name: string): void {
    const m = this.mailboxOf(domain, name);
    this.domainOf(domain).mailboxes.delete(m.name);
  }

  addAddress(domain: string, name: string, address: string): void {
    const m = this.mailboxOf(domain, name);
    if (!isAddress(address)) throw new Fault(400, `invalid email address: ${address}`);
    const a = lc(address);
    this.domainOf(a.slice(a.lastIndexOf('@') + 1));
    if (this.owner(a)) throw new Fault(400, `The email address ${a} is already in use`);
    m.addresses.push(a);
  }

  removeAddress(domain: string, name: string, address: string): void {
    const m = this.mailboxOf(domain, name);
    const i = m.addresses.indexOf(lc(address));
    if (i < 0) throw new Fault(404, `${address} is not an email address of ${m.addresses[0]}`, 'EmailAddress');
    if (i === 0) throw new Fault(400, `${address} is the primary email address of the mailbox and cannot be removed`);
    m.addresses.splice(i, 1);
  }

  list(domain: string, name: string, list: ListName): string[] {
    return this.mailboxOf(domain, name, 'user').lists[list];
  }

  addListEntry(domain: string, name: string, list: ListName, entry: string): void {
    const entries = this.list(domain, name, list);
    checkEntry(list, entry);
    const value = lc(entry);
    const own = this.domainOf(domain).name;
    if (list === 'blacklist' && value.replace(/^@/, '') === own)
      throw new Fault(400, `Adding ${own} would blacklist the current domain`);
    if (!entries.includes(value)) entries.push(value);
  }

  removeListEntry(domain: string, name: string, list: ListName, entry: string): void {
    const entries = this.list(domain, name, list);
    checkEntry(list, entry);
    const i = entries.indexOf(lc(entry));
    // The seed words IP lists like address lists: "… is not found on the blacklist".
    if (i < 0) throw new Fault(400, `${entry} is not found on the ${list.replace(/^ip/, '')}`);
    entries.splice(i, 1);
  }

  editSpam(domain: string, name: string, level: FilterLevel, toQuarantine?: boolean, owner?: string): void {
    const m = this.mailboxOf(domain, name, 'user');
    m.spam.filterLevel = level;
    // Seed: changing filterlevel to "off" forces sendtodomainquarantine to false.
    if (level === 'off') m.spam.sendToDomainQuarantine = false;
    else if (toQuarantine !== undefined) m.spam.sendToDomainQuarantine = toQuarantine;
    if (owner !== undefined) m.spam.quarantineOwner = owner;
  }

  addService(domain: string, name: string, service: Service): void {
    const m = this.mailboxOf(domain, name);
    if (m.services[service]) throw new Fault(400, `User ${m.addresses[0]} has ${SERVICE_NAMES[service]} already`);
    m.services[service] = true;
  }

  removeService(domain: string, name: string, service: Service): void {
    const m = this.mailboxOf(domain, name);
    if (!m.services[service]) throw new Fault(400, `User ${m.addresses[0]} does not have ${SERVICE_NAMES[service]}`);
    m.services[service] = false;
  }

  withService(domain: string, service: Service): Mailbox[] {
    return this.sorted(domain).filter((m) => m.services[service]);
  }

  sorted(domain: string): Mailbox[] {
    return [...this.domainOf(domain).mailboxes.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
}

export const SERVICE_NAMES: Record<Service, string> = {
  blackberry: 'BlackBerry Mobile Service',
  activesync: 'ActiveSync Mobile Service',
};
