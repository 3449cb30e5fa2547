import type { MailcowApi, Row } from '../backends/mailcow/types.ts';

// Domain scope (catalog §6): an instance with `domains` may only touch those domains. Which arguments of
// which tool carry a domain is data, below; one small checker applies it before anything is sent.

/** What an argument holds: a domain, an address (`user@domain`, `@domain`), or a list of addresses. */
export type Carrier = 'domain' | 'address' | 'addresses';

export interface ScopeRule {
  args: Record<string, Carrier>;
  /** Tools that name a record by id: the record is read first and its own address checked. */
  lookup?: 'alias' | 'syncjob';
  /** List tools: the field of each result row whose domain decides whether the row is shown. */
  rows?: string;
}

const box = { domain: 'domain' } as const;

export const SCOPE: Record<string, ScopeRule> = {
  mailcow_list_domains: { args: {}, rows: 'domain' },
  mailcow_create_domain: { args: box },
  mailcow_update_domain: { args: box },
  mailcow_delete_domain: { args: box },
  mailcow_list_mailboxes: { args: box, rows: 'username' },
  mailcow_get_mailbox: { args: { email: 'address' } },
  mailcow_create_mailbox: { args: box },
  mailcow_update_mailbox: { args: { email: 'address' } },
  mailcow_delete_mailbox: { args: { email: 'address' } },
  mailcow_list_aliases: { args: box, rows: 'address' },
  mailcow_create_alias: { args: { address: 'address', goto: 'addresses' } },
  mailcow_update_alias: { args: { address: 'address', goto: 'addresses' }, lookup: 'alias' },
  mailcow_delete_alias: { args: {}, lookup: 'alias' },
  mailcow_list_sync_jobs: { args: { mailbox: 'address' }, rows: 'username' },
  mailcow_create_sync_job: { args: { username: 'address' } },
  mailcow_update_sync_job: { args: { username: 'address' }, lookup: 'syncjob' },
  mailcow_delete_sync_job: { args: {}, lookup: 'syncjob' },

  // Every Rackspace path is under /domains/{domain}; the mailbox is a local part of that domain.
  rackspace_list_exchange_mailboxes: { args: box },
  rackspace_get_exchange_mailbox: { args: box },
  rackspace_create_exchange_mailbox: { args: { ...box, emailForwardingAddress: 'address' } },
  rackspace_update_exchange_mailbox: { args: { ...box, emailForwardingAddress: 'address' } },
  rackspace_delete_exchange_mailbox: { args: box },
  rackspace_add_email_address: { args: { ...box, address: 'address' } },
  rackspace_remove_email_address: { args: { ...box, address: 'address' } },
  rackspace_list_spam_list: { args: box },
  rackspace_add_spam_list_entry: { args: box },
  rackspace_remove_spam_list_entry: { args: box },
  rackspace_get_spam_settings: { args: box },
  rackspace_update_spam_settings: { args: { ...box, quarantineowner: 'address' } },
  rackspace_list_blackberry_mailboxes: { args: box },
  rackspace_add_blackberry_service: { args: box },
  rackspace_remove_blackberry_service: { args: box },
  rackspace_list_activesync_mailboxes: { args: box },
  rackspace_add_activesync_service: { args: box },
  rackspace_remove_activesync_service: { args: box },
};

/** The domain a value names: a domain as given, or what follows the last `@` of an address. */
export function domainOf(value: unknown): string {
  const s = String(value ?? '')
    .trim()
    .toLowerCase();
  return s.slice(s.lastIndexOf('@') + 1);
}

const inScope = (value: unknown, domains: readonly string[]) => domains.includes(domainOf(value));

/** Each argument value the rule covers, with the name to report it by. */
function values(rule: ScopeRule, args: Record<string, unknown>): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [name, carrier] of Object.entries(rule.args)) {
    const v = args[name];
    if (v === undefined || v === '') continue; // optional, or an empty forwarding address (stop forwarding)
    if (carrier === 'addresses' && Array.isArray(v))
      out.push(...v.map((x, i): [string, unknown] => [`${name}[${i}]`, x]));
    else out.push([name, v]);
  }
  return out;
}

const refusal = (instance: string, domains: readonly string[], what: string) =>
  `Refused: instance ${instance} may only touch ${domains.join(', ')}; ${what}. Nothing was sent.`;

/**
 * Why this call lies outside the instance's domains, or `undefined` when it does not. Id-based tools read
 * their record first (a read, never a write) and check the record's own address.
 */
export async function scopeRefusal(
  tool: string,
  args: Record<string, unknown>,
  scope: { instance: string; domains: readonly string[]; client: unknown },
  signal?: AbortSignal,
): Promise<string | undefined> {
  const { instance, domains } = scope;
  const rule = SCOPE[tool];
  if (!rule) return refusal(instance, domains, `${tool} has no domain rule, so it cannot be scoped`);
  for (const [name, v] of values(rule, args)) {
    if (!inScope(v, domains)) return refusal(instance, domains, `${name} (${String(v)}) is outside`);
  }
  if (rule.lookup) {
    const c = scope.client as MailcowApi;
    const alias = rule.lookup === 'alias';
    const rows = alias ? await c.listAliases(undefined, signal) : await c.listSyncJobs(undefined, signal);
    const row = rows.find((r) => Number(r.id) === Number(args.id));
    const owner = row?.[alias ? 'address' : 'username'];
    const what = alias ? 'alias' : 'sync job';
    if (!row) return refusal(instance, domains, `${what} ${String(args.id)} was not found`);
    if (!inScope(owner, domains))
      return refusal(instance, domains, `${what} ${String(args.id)} belongs to ${String(owner)}, which is outside`);
  }
  return undefined;
}

/** A list result without the rows of other domains (`total` follows). */
export function scopeRows(tool: string, data: unknown, domains: readonly string[]): unknown {
  const field = SCOPE[tool]?.rows;
  if (!field || !data || typeof data !== 'object' || !Array.isArray((data as Row).items)) return data;
  const items = ((data as Row).items as Row[]).filter((r) => inScope(r?.[field] ?? r?.domain, domains));
  const out: Row = { ...(data as Row), items };
  if (typeof out.total === 'number') out.total = items.length;
  return out;
}
