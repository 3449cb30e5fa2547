import { type Step, step } from './steps.ts';

/** Tools of the steps that use `forward_to`: without any of them the argument is not offered. */
export const FORWARDING = ['rackspace_update_exchange_mailbox', 'mailcow_update_alias', 'mailcow_create_alias'];

const OPEN = 'state.name:(new OR open OR \\"pending reminder\\" OR \\"pending close\\")';

export function offboardSteps(email: string, forwardTo?: string): Step[] {
  const [local, domain] = email.split('@') as [string, string];
  const fwd = forwardTo ?? 'the address the user names';
  return [
    step(['mailcow_get_mailbox'], `mailcow: read the mailbox with mailcow_get_mailbox {"email":"${email}"}.`),
    step(
      ['mailcow_list_aliases'],
      `mailcow: list aliases with mailcow_list_aliases {"domain":"${domain}"} and note those whose address or goto contains ${email}.`,
    ),
    step(
      ['mailcow_list_sync_jobs'],
      `mailcow: list sync jobs into the mailbox with mailcow_list_sync_jobs {"mailbox":"${email}"}.`,
    ),
    step(
      ['rackspace_get_exchange_mailbox'],
      `Rackspace: read the Exchange mailbox with rackspace_get_exchange_mailbox {"domain":"${domain}","mailbox":"${local}"} and note its extra email addresses.`,
    ),
    step(
      ['zimbra_search_contacts'],
      `Zimbra: find contacts that reference the person with zimbra_search_contacts {"query":"${email}"}.`,
    ),
    step(['zammad_search_users'], `Zammad: find the person's user with zammad_search_users {"query":"${email}"}.`),
    step(
      ['zammad_search_tickets'],
      `Zammad: find the open tickets they own with zammad_search_tickets {"query":"owner.email:\\"${email}\\" AND ${OPEN}"}.`,
    ),
    step(
      ['zammad_search_tickets'],
      `Zammad: find the open tickets they are the customer of with zammad_search_tickets {"query":"customer.email:\\"${email}\\" AND ${OPEN}"}.`,
    ),
    step(
      [],
      'Summarise what you found per backend, then ask the user to approve the plan below, step by step.',
      'plan',
    ),
    step(
      [],
      'Write a report per backend: what exists for the person (mailboxes, aliases, forwarding, contacts, tickets by number) and what an administrator would need to change: forwarding, aliases and addresses to remove, tickets to hand over, accounts to deactivate or delete.',
      'report',
    ),
    step(
      ['rackspace_update_exchange_mailbox'],
      `Rackspace forwarding: on approval, rackspace_update_exchange_mailbox {"domain":"${domain}","mailbox":"${local}","emailForwardingAddress":"${fwd}"}.`,
    ),
    step(
      ['mailcow_update_alias'],
      `mailcow: on approval, point aliases that forward to ${email} at ${fwd} with mailcow_update_alias (keep the other destinations).`,
    ),
    step(
      ['mailcow_delete_alias'],
      `mailcow: remove aliases that only served ${email} with mailcow_delete_alias, one confirmed call per alias.`,
    ),
    step(
      ['rackspace_remove_email_address'],
      'Rackspace: remove extra addresses of the mailbox with rackspace_remove_email_address, one confirmed call per address.',
    ),
    step(
      ['zammad_update_ticket'],
      'Zammad: hand over each open ticket they own to the agent the user names with zammad_update_ticket {"id":<ticket id>,"owner":"<agent login or email>"}; ticket ids come from the search, not the numbers.',
    ),
    step(
      ['zammad_update_ticket'],
      'Zammad: for each open ticket they are the customer of, ask the user whether to close it (zammad_update_ticket {"id":<ticket id>,"state":"closed"}) or give it another customer ("customer":"<login or email>").',
    ),
    step(
      ['zammad_update_user'],
      'Zammad: on approval, deactivate the user with zammad_update_user {"id":<user id>,"active":false}.',
    ),
    step(
      [],
      'Only after all of the above is done, offer the deletions below and run each one only if the user confirms it.',
      'plan',
    ),
    step(['mailcow_delete_sync_job'], 'mailcow: delete the sync jobs with mailcow_delete_sync_job.'),
    step(['mailcow_delete_mailbox'], `mailcow: delete the mailbox with mailcow_delete_mailbox {"email":"${email}"}.`),
    step(
      ['mailcow_delete_mailbox', 'mailcow_create_alias'],
      `mailcow: afterwards, if mail must still reach ${fwd}, create mailcow_create_alias {"address":"${email}","goto":["${fwd}"]}.`,
    ),
    step(
      ['rackspace_delete_exchange_mailbox'],
      `Rackspace: delete the mailbox with rackspace_delete_exchange_mailbox {"domain":"${domain}","mailbox":"${local}"} (this also ends its forwarding).`,
    ),
  ];
}
