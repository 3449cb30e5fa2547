import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { asIn, Domain, Email, Flag } from '../params.ts';
import { box, Forward, Paging, Secret, Size, Str } from './params.ts';

const CONTACT = [
  'firstName',
  'lastName',
  'company',
  'department',
  'jobTitle',
  'addressLine1',
  'city',
  'state',
  'zip',
  'country',
  'businessnumber',
  'pagernumber',
  'homenumber',
  'mobilenumber',
  'faxnumber',
  'notes',
] as const;

/** The seed's Add/Edit fields under their own names; all optional here. */
const fields = {
  displayName: Str.optional(),
  password: Secret.optional(),
  size: Size.optional(),
  isHidden: Flag.optional().describe('Hide from address list'),
  isPublicFolderAdmin: Flag.optional(),
  enabled: Flag.optional(),
  emailForwardingAddress: Forward.optional(),
  ...(Object.fromEntries(CONTACT.map((f) => [f, Str.optional()])) as Record<
    (typeof CONTACT)[number],
    z.ZodOptional<typeof Str>
  >),
};

const address = (domain: string, mailbox: string) => `${mailbox}@${domain}`;

export const mailboxTools = [
  tool({
    name: 'rackspace_list_exchange_mailboxes',
    title: 'List Exchange mailboxes',
    description: "List a domain's Exchange mailboxes.",
    toolset: 'rackspace',
    input: z.strictObject({ domain: Domain, ...Paging }),
    output: ListOut,
    hints: READ,
    run: ({ domain, ...page }, c, { signal }) => c.listMailboxes(domain, page, signal),
  }),
  tool({
    name: 'rackspace_get_exchange_mailbox',
    title: 'Get Exchange mailbox',
    description: 'Show an Exchange mailbox.',
    toolset: 'rackspace',
    input: z.strictObject(box),
    output: RecordOut,
    hints: READ,
    run: ({ domain, mailbox }, c, { signal }) => c.getMailbox(domain, mailbox, signal),
  }),
  tool({
    name: 'rackspace_create_exchange_mailbox',
    title: 'Create Exchange mailbox',
    description: 'Create an Exchange mailbox (size in MB).',
    toolset: 'rackspace',
    input: z.strictObject({ ...box, ...fields, displayName: Str, password: Secret, size: Size }),
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, mailbox, ...f }, c, { signal }) => c.createMailbox(domain, mailbox, f, signal),
  }),
  tool({
    name: 'rackspace_update_exchange_mailbox',
    title: 'Update Exchange mailbox',
    description: 'Change an Exchange mailbox; fields as in rackspace_create_exchange_mailbox.',
    toolset: 'rackspace',
    input: z.strictObject({ ...box, ...asIn(fields), emailForwardingAddress: fields.emailForwardingAddress }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ domain, mailbox }, c, { signal }) => c.getMailbox(domain, mailbox, signal),
    run: ({ domain, mailbox, ...f }, c, { signal }) => c.updateMailbox(domain, mailbox, f, signal),
  }),
  tool({
    name: 'rackspace_delete_exchange_mailbox',
    title: 'Delete Exchange mailbox',
    description: 'Delete an Exchange mailbox and its mail.',
    toolset: 'rackspace',
    input: z.strictObject(box),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ domain, mailbox }, c) =>
      `permanently delete Exchange mailbox ${q(address(domain, mailbox))} and all its mail (${c.preview(c.req.deleteMailbox(domain, mailbox))})`,
    before: ({ domain, mailbox }, c, { signal }) => c.getMailbox(domain, mailbox, signal),
    run: ({ domain, mailbox }, c, { signal }) => c.deleteMailbox(domain, mailbox, signal),
  }),
  tool({
    name: 'rackspace_add_email_address',
    title: 'Add email address',
    description: 'Add an alias address to a mailbox.',
    toolset: 'rackspace',
    input: z.strictObject({ ...box, address: Email.describe('Extra address for this mailbox') }),
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, mailbox, address: a }, c, { signal }) => c.addEmailAddress(domain, mailbox, a, signal),
  }),
  tool({
    name: 'rackspace_remove_email_address',
    title: 'Remove email address',
    description: 'Remove an alias address from a mailbox.',
    toolset: 'rackspace',
    input: z.strictObject({ ...box, address: Email }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ domain, mailbox, address: a }, c) =>
      `remove ${q(a)} from Exchange mailbox ${q(address(domain, mailbox))}; mail to it will bounce (${c.preview(c.req.removeEmailAddress(domain, mailbox, a))})`,
    before: ({ domain, mailbox }, c, { signal }) => c.getMailbox(domain, mailbox, signal),
    run: ({ domain, mailbox, address: a }, c, { signal }) => c.removeEmailAddress(domain, mailbox, a, signal),
  }),
];
