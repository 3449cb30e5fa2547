import { type Step, step } from './steps.ts';

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
      `Zammad: find their open tickets with zammad_search_tickets {"query":"owner.email:${email} AND state.name:(new OR open OR \\"pending reminder\\")"}.`,
    ),
    step([], `Summarise what you found per backend, then ask the user to approve the plan below, step by step.`),
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
      `Rackspace: remove extra addresses of the mailbox with rackspace_remove_email_address, one confirmed call per address.`,
    ),
    step(
      ['zammad_update_ticket'],
      `Zammad: hand over each open ticket to the new owner the user names with zammad_update_ticket {"id":<ticket id>,"owner":"<new owner>"}; ticket ids come from the search, not the numbers.`,
    ),
    step(
      ['zammad_update_user'],
      `Zammad: on approval, deactivate the user with zammad_update_user {"id":<user id>,"active":false}.`,
    ),
    step(
      [],
      `Only after all of the above is done, offer the deletions below and run each one only if the user confirms it.`,
    ),
    step(['mailcow_delete_sync_job'], `mailcow: delete the sync jobs with mailcow_delete_sync_job.`),
    step(
      ['mailcow_delete_mailbox'],
      `mailcow: delete the mailbox with mailcow_delete_mailbox {"email":"${email}"}; afterwards, if forwarding must continue, mailcow_create_alias {"address":"${email}","goto":["${fwd}"]}.`,
    ),
    step(
      ['rackspace_delete_exchange_mailbox'],
      `Rackspace: delete the mailbox with rackspace_delete_exchange_mailbox {"domain":"${domain}","mailbox":"${local}"} (this also ends its forwarding).`,
    ),
  ];
}
