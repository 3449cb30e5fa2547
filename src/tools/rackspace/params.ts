import { isIP } from 'node:net';
import * as z from 'zod';
import { FILTER_LEVELS, isIpList, LIST_NAMES, type SpamList, wireList } from '../../backends/rackspace/types.ts';
import { Domain, ident, isDomain, isEmail } from '../params.ts';

// Exchange mailbox names: letters, digits, `_`, `'`, `-`, and dots between them (no `/`, `?`, `#`, `%`, `..`).
const NAME_RE = /^[A-Za-z0-9_'-]+(\.[A-Za-z0-9_'-]+)*$/;
const upTo = (max: number) => (s: string) => s.length <= max;

export const Mailbox = ident(
  (s) => s.length <= 64 && NAME_RE.test(s),
  'must be the mailbox name before @, such as alex.smith',
).describe('Local part, e.g. alex.smith');
/** `domain` + `mailbox`: the pair almost every Rackspace tool takes. */
export const box = { domain: Domain, mailbox: Mailbox };

export const Str = z.string().refine(upTo(1000), 'must be at most 1000 characters');
export const Secret = z.string().refine(upTo(256), 'must be at most 256 characters');
export const Size = z.number().int().min(1).max(102_400).describe('Quota in MB');
export const Forward = ident(
  (s) => s === '' || isEmail(s),
  'must be an email address, or empty to stop forwarding',
).describe('Forward mail here; empty stops forwarding');
/** `blocklist`/`ipblocklist` are taken too and sent as the seed's `blacklist`/`ipblacklist`. */
export const List = z.enum(LIST_NAMES).transform(wireList);
export const FilterLevel = z
  .enum(FILTER_LEVELS)
  .describe('on: filter spam; off: none; exclusive: only safelisted senders and IPs get through');
/** Page of an Index: Rackspace's own `size` (default 50, at most 250) and `offset`. */
export const Paging = {
  size: z.number().int().min(1).max(250).optional().describe('Default 50'),
  offset: z.number().int().min(0).max(1_000_000).optional(),
};

/** Spam-list entries: an address, a domain or `@domain` (`%` matches one label), or an IP for the ip lists. */
export function validEntry(list: SpamList, entry: string): string | undefined {
  if (isIpList(list)) return isIP(entry) ? undefined : 'must be an IPv4 or IPv6 address for an ip list';
  const plain = entry.replace(/(^|[@.])%(?=\.)/g, '$1x');
  return isEmail(plain) || isDomain(plain.replace(/^@/, ''))
    ? undefined
    : 'must be an email address or a domain for this list';
}
