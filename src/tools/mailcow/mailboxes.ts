import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { asIn, Flag, LocalPart } from '../params.ts';
import { page, paging } from './paging.ts';
import { Address, MailDomain } from './params.ts';

const Password = z.string().min(1).max(256);
const fields = {
  name: z.string().min(1).max(255).optional().describe('Display name'),
  password: Password.optional(),
  quota: z.number().int().min(0).max(100_000_000).optional().describe('MiB, 0 = unlimited'),
  active: Flag.optional(),
  force_pw_update: Flag.optional().describe('Force password change at login'),
  tls_enforce_in: Flag.optional().describe('Inbound TLS only'),
  tls_enforce_out: Flag.optional().describe('Outbound TLS only'),
};

/** What a listed mailbox shows; mailcow_get_mailbox shows every field. */
const SUMMARY = ['username', 'name', 'active', 'login_disabled', 'quota', 'quota_used', 'messages'] as const;

export const mailboxTools = [
  tool({
    name: 'mailcow_list_mailboxes',
    title: 'List mailboxes',
    description: 'List mailboxes with quota and use (MiB), paged; mailcow_get_mailbox shows every field.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain.optional().describe('Only this domain'), ...paging() }),
    output: ListOut,
    hints: READ,
    run: async ({ domain, size, offset }, c, { signal }) =>
      page(await c.listMailboxes(domain, signal), { size, offset }, SUMMARY),
  }),
  tool({
    name: 'mailcow_get_mailbox',
    title: 'Get mailbox',
    description: 'Show a mailbox by address.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Address }),
    output: RecordOut,
    hints: READ,
    run: ({ email }, c, { signal }) => c.getMailbox(email, signal),
  }),
  tool({
    name: 'mailcow_create_mailbox',
    title: 'Create mailbox',
    description: 'Create mailbox local_part@domain in an existing domain (quota MiB, default 3072; active by default).',
    toolset: 'mailcow',
    input: z.strictObject({
      domain: MailDomain,
      local_part: LocalPart,
      ...fields,
      name: z.string().min(1).max(255).describe('Display name'),
      password: Password,
    }),
    output: RecordOut,
    hints: CREATE,
    run: (m, c, { signal }) => c.createMailbox(m, signal),
  }),
  tool({
    name: 'mailcow_update_mailbox',
    title: 'Update mailbox',
    description: 'Change a mailbox; fields as in mailcow_create_mailbox.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Address, ...asIn(fields) }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ email }, c, { signal }) => c.getMailbox(email, signal),
    run: ({ email, ...f }, c, { signal }) => c.updateMailbox(email, f, signal),
  }),
  tool({
    name: 'mailcow_delete_mailbox',
    title: 'Delete mailbox',
    description: 'Delete a mailbox and all its mail.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Address }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ email }, c) => `delete mailbox ${q(email)} and all its mail (${c.preview('deleteMailbox', email)})`,
    before: ({ email }, c, { signal }) => c.getMailbox(email, signal),
    run: ({ email }, c, { signal }) => c.deleteMailbox(email, signal),
  }),
];
