import { type Step, step } from './steps.ts';

export function spamSteps(mailbox: string, sender?: string, ip?: string): Step[] {
  const [local, domain] = mailbox.split('@') as [string, string];
  const box = `"domain":"${domain}","mailbox":"${local}"`;
  const suspects = [sender && `sender or domain ${sender}`, ip && `IP address ${ip}`].filter(Boolean).join(' and ');
  return [
    step(['rackspace_get_spam_settings'], `Read the spam settings with rackspace_get_spam_settings {${box}}.`),
    step(
      ['rackspace_list_spam_list'],
      `Read all four lists with rackspace_list_spam_list {${box},"list":…} for blacklist, safelist, ipblacklist and ipsafelist.`,
    ),
    step(
      [],
      suspects
        ? `Check whether ${suspects} already appears on a list (a safelist entry overrides filtering).`
        : 'Ask the user which senders, domains or IP addresses cause trouble.',
    ),
    step(
      [],
      'Propose changes: entries to block or to trust, and a filter level (on, off, exclusive; off also stops domain quarantine). Wait for approval.',
      'plan',
    ),
    step(
      [],
      'Write a report: the current settings and lists, and the entries and filter level you recommend (on, off, exclusive; off also stops domain quarantine), for an administrator to apply.',
      'report',
    ),
    step(
      ['rackspace_add_spam_list_entry'],
      `On approval, add entries with rackspace_add_spam_list_entry {${box},"list":"blacklist"|"safelist","entry":"<address or domain>"} or "ipblacklist"/"ipsafelist" with an IP address.`,
    ),
    step(
      ['rackspace_remove_spam_list_entry'],
      'Remove entries the user wants gone with rackspace_remove_spam_list_entry.',
    ),
    step(
      ['rackspace_update_spam_settings'],
      `On approval, set the filter level with rackspace_update_spam_settings {${box},"filterlevel":"on"|"off"|"exclusive"}.`,
    ),
  ];
}
