import * as z from 'zod';
import { CREATE, ListOut, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Email, Flag } from '../params.ts';
import { box, FilterLevel, List, validEntry } from './params.ts';

const Entry = z
  .strictObject({
    ...box,
    list: List,
    entry: z.string().trim().describe('Address or domain (% wildcard); IP for ip lists'),
  })
  .superRefine(({ list, entry }, ctx) => {
    const problem = validEntry(list, entry);
    if (problem) ctx.addIssue({ code: 'custom', path: ['entry'], message: problem });
  });

export const EMPTY_SAFELIST =
  'The safelist and IP safelist are empty: with exclusive, this mailbox receives no mail until senders are added with rackspace_add_spam_list_entry.';

export const spamTools = [
  tool({
    name: 'rackspace_list_spam_list',
    title: 'List spam list',
    description: 'List a mailbox spam list.',
    toolset: 'rackspace',
    input: z.strictObject({
      ...box,
      list: List,
      size: z.number().int().min(1).max(1000).optional().describe('Default 250'),
      offset: z.number().int().min(0).max(1_000_000).optional(),
    }),
    output: ListOut,
    hints: READ,
    run: async ({ domain, mailbox, list, size = 250, offset = 0 }, c, { signal }) => {
      // The API returns the whole list; the server pages it.
      const { items } = await c.listSpam(domain, mailbox, list, signal);
      return { items: items.slice(offset, offset + size), offset, size, total: items.length };
    },
  }),
  tool({
    name: 'rackspace_add_spam_list_entry',
    title: 'Add spam list entry',
    description: 'Add an address, domain or IP to a spam list.',
    toolset: 'rackspace',
    input: Entry,
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, mailbox, list, entry }, c, { signal }) => c.addSpamEntry(domain, mailbox, list, entry, signal),
  }),
  tool({
    name: 'rackspace_remove_spam_list_entry',
    title: 'Remove spam list entry',
    description: 'Remove an entry from a spam list.',
    toolset: 'rackspace',
    input: Entry,
    output: RecordOut,
    hints: UPDATE,
    run: ({ domain, mailbox, list, entry }, c, { signal }) => c.removeSpamEntry(domain, mailbox, list, entry, signal),
  }),
  tool({
    name: 'rackspace_get_spam_settings',
    title: 'Get spam settings',
    description: "Show a mailbox's spam settings.",
    toolset: 'rackspace',
    input: z.strictObject(box),
    output: RecordOut,
    hints: READ,
    run: ({ domain, mailbox }, c, { signal }) => c.getSpamSettings(domain, mailbox, signal),
  }),
  tool({
    name: 'rackspace_update_spam_settings',
    title: 'Update spam settings',
    description: "Set a mailbox's spam filter; exclusive with empty safelists warns in the result.",
    toolset: 'rackspace',
    input: z.strictObject({
      ...box,
      filterlevel: FilterLevel,
      sendtodomainquarantine: Flag.optional().describe("Spam to the domain's quarantine, not the mailbox's"),
      quarantineowner: Email.optional().describe('Gets the quarantine notifications'),
    }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ domain, mailbox }, c, { signal }) => c.getSpamSettings(domain, mailbox, signal),
    run: async ({ domain, mailbox, ...s }, c, { signal }) => {
      // Seed: with exclusive the mailbox "will only receive email from addresses and IPs on its safelist".
      let warning: string | undefined;
      if (s.filterlevel === 'exclusive') {
        const safe = await c.listSpam(domain, mailbox, 'safelist', signal);
        const ipSafe = safe.items.length ? safe : await c.listSpam(domain, mailbox, 'ipsafelist', signal);
        if (ipSafe.items.length === 0) warning = EMPTY_SAFELIST;
      }
      const done = await c.updateSpamSettings(domain, mailbox, s, signal);
      return warning ? { ...done, warning } : done;
    },
  }),
];
