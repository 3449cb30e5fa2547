import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Domain, Email, Flag, LocalPart } from '../params.ts';

const Password = z.string().min(1).max(256);
const fields = {
  name: z.string().min(1).max(255).optional(),
  password: Password.optional(),
  quota: z.number().int().min(0).max(100_000_000).optional(),
  active: Flag.optional(),
  force_pw_update: Flag.optional(),
  tls_enforce_in: Flag.optional(),
  tls_enforce_out: Flag.optional(),
};

export const mailboxTools = [
  tool({
    name: 'mailcow_list_mailboxes',
    title: 'List mailboxes',
    description: 'List mailboxes with their quotas (MiB), optionally only those of one domain.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: Domain.optional().describe('Only this domain') }),
    output: ListOut,
    hints: READ,
    run: async ({ domain }, c, { signal }) => {
      const items = await c.listMailboxes(domain, signal);
      return { items, total: items.length };
    },
  }),
  tool({
    name: 'mailcow_get_mailbox',
    title: 'Get mailbox',
    description: 'Show one mailbox by its email address.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Email }),
    output: RecordOut,
    hints: READ,
    run: ({ email }, c, { signal }) => c.getMailbox(email, signal),
  }),
  tool({
    name: 'mailcow_create_mailbox',
    title: 'Create mailbox',
    description:
      'Create mailbox local_part@domain in an existing domain (quota in MiB, default 3072; active by default).',
    toolset: 'mailcow',
    input: z.strictObject({
      domain: Domain,
      local_part: LocalPart,
      ...fields,
      name: z.string().min(1).max(255),
      password: Password,
    }),
    output: RecordOut,
    hints: CREATE,
    run: (m, c, { signal }) => c.createMailbox(m, signal),
  }),
  tool({
    name: 'mailcow_update_mailbox',
    title: 'Update mailbox',
    description: 'Change a mailbox (quota in MiB); only the fields given are sent.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Email, ...fields }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ email }, c, { signal }) => c.getMailbox(email, signal),
    run: ({ email, ...f }, c, { signal }) => c.updateMailbox(email, f, signal),
  }),
  tool({
    name: 'mailcow_delete_mailbox',
    title: 'Delete mailbox',
    description: 'Delete a mailbox and all mail stored in it.',
    toolset: 'mailcow',
    input: z.strictObject({ email: Email }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ email }, c) => `delete mailbox ${q(email)} and all its mail (${c.preview('deleteMailbox', email)})`,
    before: ({ email }, c, { signal }) => c.getMailbox(email, signal),
    run: ({ email }, c, { signal }) => c.deleteMailbox(email, signal),
  }),
];
