import { randomBytes, randomUUID } from 'node:crypto';
import { fault } from './faults.ts';
import { Mailbox, type StoredContact, type Upload } from './mailbox.ts';

// The Zimbra server behind the SOAP emulator: accounts, auth tokens, uploads and one mailbox per account.

export interface Account {
  name: string;
  password: string;
  mailbox: Mailbox;
  /** Other accounts whose mailboxes this one may act on (`<account by="name">`). */
  grants: Set<string>;
}

interface Session {
  account: string;
  expiresAt: number;
}

/** Default lifetime of an auth token, as AuthResponse reports it (about two days). */
export const LIFETIME_MS = 172_799_999;

export class ZimbraState {
  readonly accounts = new Map<string, Account>();
  readonly uploads = new Map<string, Upload>();
  private readonly sessions = new Map<string, Session>();
  lifetimeMs = LIFETIME_MS;

  addAccount(name: string, password: string): Account {
    const acct: Account = { name, password, mailbox: new Mailbox(name, randomUUID(), this.uploads), grants: new Set() };
    this.accounts.set(name.toLowerCase(), acct);
    return acct;
  }

  login(name: string, password: string): { token: string; lifetime: number } {
    const acct = this.accounts.get(name.toLowerCase());
    if (!acct || acct.password !== password) throw fault.authFailed(name);
    const token = `0_${randomBytes(20).toString('hex')}`;
    this.sessions.set(token, { account: acct.name.toLowerCase(), expiresAt: Date.now() + this.lifetimeMs });
    return { token, lifetime: this.lifetimeMs };
  }

  /** The account a token belongs to. */
  session(token: string | undefined): Account {
    const s = token ? this.sessions.get(token) : undefined;
    const acct = s && this.accounts.get(s.account);
    if (!s || !acct) throw fault.authRequired();
    if (Date.now() >= s.expiresAt) throw fault.authExpired();
    return acct;
  }

  /** Test hook: every token issued so far has expired. */
  expireTokens(): void {
    for (const s of this.sessions.values()) s.expiresAt = 0;
  }

  /** The mailbox a request acts on: the caller's own, or another one it holds rights on. */
  target(caller: Account, by: string | undefined, key: string | undefined): Mailbox {
    if (key === undefined) return caller.mailbox;
    const acct =
      by === 'id'
        ? [...this.accounts.values()].find((a) => a.mailbox.zimbraId === key)
        : this.accounts.get(key.toLowerCase());
    if (!acct) throw fault.noAccount(key);
    if (acct !== caller && !caller.grants.has(acct.name.toLowerCase()))
      throw fault.permDenied(`can not access account ${key}`);
    return acct.mailbox;
  }
}

function seed(
  mb: Mailbox,
  folder: number,
  attrs: StoredContact['attrs'],
  extra: Partial<Pick<StoredContact, 'members' | 'tags' | 'flags'>> = {},
) {
  const c = mb.create({ l: String(folder), attrs: [], members: [] });
  c.attrs = attrs;
  c.members = extra.members ?? [];
  if (extra.tags) c.tags = mb.tagsFrom(extra.tags.join(','));
  c.flags = extra.flags ?? '';
  return c;
}

export const SANDBOX_ACCOUNT = 'user@example.com';
export const SHARED_ACCOUNT = 'team@example.com';

/**
 * Sample data: a user with contacts in Contacts, Emailed Contacts and Trash, one contact group, an empty contact
 * folder Suppliers (262) inside Contacts, and a shared team mailbox.
 */
export function seededState(password: string): ZimbraState {
  const st = new ZimbraState();
  const user = st.addAccount(SANDBOX_ACCOUNT, password);
  const team = st.addAccount(SHARED_ACCOUNT, randomBytes(12).toString('hex'));
  st.addAccount('other@example.com', randomBytes(12).toString('hex'));
  user.grants.add(SHARED_ACCOUNT);
  const mb = user.mailbox;
  const ada = seed(
    mb,
    7,
    {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
      mobilePhone: '+44 20 7946 0001',
      company: 'Analytical Engines Ltd',
      notes: 'Prefers "Countess" & <b>tea</b>',
    },
    { tags: ['vip'], flags: 'f' },
  );
  const grace = seed(mb, 7, {
    firstName: 'Grace',
    lastName: 'Hopper',
    email: 'grace@example.com',
    workPhone: '+1 202 555 0142',
    jobTitle: 'Rear Admiral',
  });
  seed(mb, 13, { firstName: 'Alan', lastName: 'Turing', email: 'alan@example.com', email2: 'turing@example.org' });
  seed(
    mb,
    7,
    { type: 'group', nickname: 'Pioneers', fileAs: '8:Pioneers' },
    {
      members: [
        { type: 'C', value: String(ada.id) },
        { type: 'C', value: String(grace.id) },
        { type: 'I', value: '"Linus Torvalds" <linus@example.com>' },
      ],
    },
  );
  seed(mb, 3, { firstName: 'Charles', lastName: 'Babbage', email: 'charles@example.com' });
  mb.addFolder('Suppliers', 7, 'contact');
  seed(team.mailbox, 7, { fullName: 'Support Desk', email: 'support@example.com' });
  return st;
}
