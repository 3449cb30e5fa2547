import * as z from 'zod';
import { CREATE, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Email, Flag } from '../params.ts';
import { box, FilterLevel, List, validEntry } from './params.ts';

const Entry = z.strictObject({ ...box, list: List, entry: z.string().trim() }).superRefine(({ list, entry }, ctx) => {
  const problem = validEntry(list, entry);
  if (problem) ctx.addIssue({ code: 'custom', path: ['entry'], message: problem });
});
const ListedOut = z.looseObject({ items: z.array(z.unknown()) });

export const spamTools = [
  tool({
    name: 'rackspace_list_spam_list',
    title: 'List spam list',
    description: 'List a mailbox spam list.',
    toolset: 'rackspace',
    input: z.strictObject({ ...box, list: List }),
    output: ListedOut,
    hints: READ,
    run: ({ domain, mailbox, list }, c, { signal }) => c.listSpam(domain, mailbox, list, signal),
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
    description: "Set a mailbox's spam filter.",
    toolset: 'rackspace',
    input: z.strictObject({
      ...box,
      filterlevel: FilterLevel,
      sendtodomainquarantine: Flag.optional(),
      quarantineowner: Email.optional(),
    }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ domain, mailbox }, c, { signal }) => c.getSpamSettings(domain, mailbox, signal),
    run: ({ domain, mailbox, ...s }, c, { signal }) => c.updateSpamSettings(domain, mailbox, s, signal),
  }),
];
