// mailcow answers with message keys and arguments (`["domain_exists", "example.com"]`); these are its words
// for them (after mailcow's lang.en-gb.json). Unknown keys are shown as they came.
const WORDS: Record<string, string> = {
  access_denied: 'Access denied or invalid form data',
  alias_added: 'Alias address %s (%s) has been added',
  alias_empty: 'Alias address must not be empty',
  alias_invalid: 'Alias address %s is invalid',
  alias_modified: 'Changes to alias address %s have been saved',
  alias_removed: 'Alias %s has been removed',
  comment_too_long: 'Comment too long, max 160 chars allowed',
  defquota_empty: 'Default quota per mailbox must not be 0',
  domain_added: 'Added domain %s',
  domain_cannot_match_hostname: 'Domain cannot match hostname',
  domain_exists: 'Domain %s already exists',
  domain_invalid: 'Domain name is empty or invalid',
  domain_modified: 'Changes to domain %s have been saved',
  domain_not_empty: 'Cannot remove non-empty domain %s',
  domain_not_found: 'Domain %s not found',
  domain_removed: 'Domain %s has been removed',
  goto_empty: 'An alias address must contain at least one valid goto address',
  goto_invalid: 'Goto address %s is invalid',
  is_alias_or_mailbox: '%s is already known as an alias, a mailbox or an alias address expanded from an alias domain',
  is_spam_alias: '%s is already known as a temporary alias address (spam alias address)',
  mailbox_added: 'Mailbox %s has been added',
  mailbox_defquota_exceeds_mailbox_maxquota: 'Default quota exceeds max quota limit',
  mailbox_invalid: 'Mailbox name is invalid',
  mailbox_modified: 'Changes to mailbox %s have been saved',
  mailbox_quota_exceeded: 'Quota exceeds the domain limit (max. %s MiB)',
  mailbox_quota_exceeds_domain_quota: 'Max. quota exceeds domain quota limit',
  mailbox_quota_left_exceeded: 'Not enough space left (space left: %s MiB)',
  mailbox_removed: 'Mailbox %s has been removed',
  max_alias_exceeded: 'Max. aliases exceeded',
  max_mailbox_exceeded: 'Max. mailboxes exceeded (%s of %s)',
  maxquota_empty: 'Max. quota per mailbox must not be 0',
  no_user_defined: 'No user defined',
  object_exists: 'Object %s already exists',
  syncjob_not_found: 'Sync job %s not found',
  tag_limit_exceeded: 'Tag limit exceeded',
};

/** Renders a mailcow `msg` (a key, a `[key, ...args]` list or plain text) in words, keeping the key. */
export function words(msg: unknown): string {
  const [key, ...args] = (Array.isArray(msg) ? msg : [msg]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
  if (key === undefined) return 'no message';
  const template = WORDS[key];
  if (!template) return [key, ...args].join(' ');
  let i = 0;
  const text = template.replace(/%s/g, () => args[i++] ?? '?');
  return `${text} (${key})`;
}
