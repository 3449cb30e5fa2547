// The Exchange mailbox operations of the seed, in the tools' own vocabulary (sizes in MB).

/** The seed's Add/Edit form fields, under the seed's own names. */
export interface MailboxFields {
  displayName?: string;
  password?: string;
  size?: number;
  isHidden?: boolean;
  isPublicFolderAdmin?: boolean;
  firstName?: string;
  lastName?: string;
  company?: string;
  department?: string;
  jobTitle?: string;
  addressLine1?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
  businessnumber?: string;
  pagernumber?: string;
  homenumber?: string;
  mobilenumber?: string;
  faxnumber?: string;
  notes?: string;
  emailForwardingAddress?: string;
  enabled?: boolean;
}
export interface NewMailbox extends MailboxFields {
  displayName: string;
  password: string;
  size: number;
}

/** The seed's path segments, which the wire keeps. */
export const SPAM_LISTS = ['blacklist', 'ipblacklist', 'safelist', 'ipsafelist'] as const;
export type SpamList = (typeof SPAM_LISTS)[number];
/** Newer names for the block lists (wire notes §6), taken as input and sent as the seed's segment. */
export const LIST_ALIASES = { blocklist: 'blacklist', ipblocklist: 'ipblacklist' } as const satisfies Record<
  string,
  SpamList
>;
export const LIST_NAMES = [...SPAM_LISTS, ...(Object.keys(LIST_ALIASES) as (keyof typeof LIST_ALIASES)[])] as const;
export const wireList = (name: (typeof LIST_NAMES)[number]): SpamList =>
  name in LIST_ALIASES ? LIST_ALIASES[name as keyof typeof LIST_ALIASES] : (name as SpamList);
export const isIpList = (list: SpamList) => list.startsWith('ip');

export const FILTER_LEVELS = ['on', 'off', 'exclusive'] as const;
export interface SpamSettings {
  filterlevel: (typeof FILTER_LEVELS)[number];
  sendtodomainquarantine?: boolean;
  quarantineowner?: string;
}

export type MobileService = 'blackberry' | 'activesync';

export interface Page {
  size?: number;
  offset?: number;
}
export type Row = Record<string, unknown>;
/** An Index answer: its one collection, plus paging where the backend gave it. */
export interface Listing {
  items: unknown[];
  offset?: number;
  size?: number;
  total?: number;
}
/** Add/Edit/Delete answer only with a status: this says which request succeeded. */
export interface Done {
  ok: true;
  request: string;
}
