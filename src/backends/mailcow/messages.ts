// mailcow answers with message keys and arguments (`["domain_exists", "example.com"]`); these are its words
// for them (data/web/lang/lang.en-gb.json). Every key that the add/edit/delete handlers of domains, mailboxes,
// aliases, TLS policy and sync jobs can return (data/web/inc/functions.mailbox.inc.php, functions.inc.php
// password_check, functions.ratelimit.inc.php, functions.dkim.inc.php) is here. Unknown keys are shown as
// they came; free-text messages ("bad option …") are words already.
const WORDS: Record<string, string> = {
  access_denied: 'Access denied or invalid form data',
  alias_added: 'Alias address %s (%s) has been added',
  alias_empty: 'Alias address must not be empty',
  alias_goto_identical: 'Alias and goto address must not be identical',
  alias_invalid: 'Alias address %s is invalid',
  alias_modified: 'Changes to alias address %s have been saved',
  alias_removed: 'Alias %s has been removed',
  aliases_in_use: 'Max. aliases must be greater or equal to %s',
  comment_too_long: 'Comment too long, max 160 chars allowed',
  defquota_empty: 'Default quota per mailbox must not be 0',
  deleted_syncjob: 'Deleted syncjob ID %s',
  dkim_added: 'DKIM key %s has been saved',
  dkim_domain_or_sel_invalid: 'DKIM domain or selector invalid: %s',
  domain_add_dkim_available: 'A DKIM key did already exist',
  domain_added: 'Added domain %s',
  domain_added_sogo_failed: 'Added domain but failed to restart SOGo, please check your server logs',
  domain_cannot_match_hostname: 'Domain cannot match hostname',
  domain_exists: 'Domain %s already exists',
  domain_invalid: 'Domain name is empty or invalid',
  domain_modified: 'Changes to domain %s have been saved',
  domain_not_empty: 'Cannot remove non-empty domain %s',
  domain_not_found: 'Domain %s not found',
  domain_quota_m_in_use: 'Domain quota must be greater or equal to %s MiB',
  domain_removed: 'Domain %s has been removed',
  extended_sender_acl_denied: 'missing ACL to set external sender addresses',
  extra_acl_invalid: 'External sender address "%s" is invalid',
  extra_acl_invalid_domain: 'External sender "%s" uses an invalid domain',
  goto_empty: 'An alias address must contain at least one valid goto address',
  goto_invalid: 'Goto address %s is invalid',
  is_alias: '%s is already known as an alias address',
  is_alias_or_mailbox: '%s is already known as an alias, a mailbox or an alias address expanded from an alias domain',
  is_not_primary_alias: 'Skipped non-primary alias %s',
  is_spam_alias: '%s is already known as a temporary alias address (spam alias address)',
  mailbox_added: 'Mailbox %s has been added',
  mailbox_defquota_exceeds_mailbox_maxquota: 'Default quota exceeds max quota limit',
  mailbox_invalid: 'Mailbox name is invalid',
  mailbox_modified: 'Changes to mailbox %s have been saved',
  mailbox_quota_exceeded: 'Quota exceeds the domain limit (max. %s MiB)',
  mailbox_quota_exceeds_domain_quota: 'Max. quota exceeds domain quota limit',
  mailbox_quota_left_exceeded: 'Not enough space left (space left: %s MiB)',
  mailbox_removed: 'Mailbox %s has been removed',
  mailboxes_in_use: 'Max. mailboxes must be greater or equal to %s',
  max_alias_exceeded: 'Max. aliases exceeded',
  max_mailbox_exceeded: 'Max. mailboxes exceeded (%s of %s)',
  max_quota_in_use: 'Mailbox quota must be greater or equal to %s MiB',
  maxquota_empty: 'Max. quota per mailbox must not be 0',
  no_user_defined: 'No user defined',
  object_exists: 'Object %s already exists',
  object_is_not_numeric: 'Value %s is not numeric',
  password_complexity: 'Password does not meet the policy',
  password_mismatch: 'Confirmation password does not match',
  quarantine_category_invalid: 'Quarantine category must be one of: add_header, reject, all',
  redis_error: 'Redis error: %s',
  rl_saved: 'Rate limit for object %s saved',
  rl_timeframe: 'Rate limit time frame is incorrect',
  sender_acl_invalid: 'Sender ACL value %s is invalid',
  // Not in lang.en-gb.json; the argument reads "limit N".
  tag_limit_exceeded: 'Tag limit exceeded (%s)',
  unlimited_quota_acl: 'Unlimited quota prohibited by ACL',
  username_invalid: 'Username %s cannot be used',
};

export const wordedKeys = Object.keys(WORDS);

const arg = (x: unknown) => (x === null || x === undefined ? '?' : typeof x === 'string' ? x : JSON.stringify(x));

/** Renders a mailcow `msg` (a key, a `[key, ...args]` list or plain text) in words, keeping the key. */
export function words(msg: unknown): string {
  const [key, ...args] = (Array.isArray(msg) ? msg : [msg]).map(arg);
  if (key === undefined || key === '?') return 'no message';
  const template = WORDS[key];
  if (!template) return [key, ...args].join(' ');
  let i = 0;
  const text = template.replace(/%s/g, () => args[i++] ?? '?');
  return `${text} (${key})`;
}

/** The message key of an entry's `msg`, if it has one. */
export const keyOf = (msg: unknown): unknown => (Array.isArray(msg) ? msg[0] : msg);
