import * as z from 'zod';
import { same } from '../../backends/mailcow/types.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Flag } from '../params.ts';
import { page, paging } from './paging.ts';
import { MailDomain, MiB } from './params.ts';

const Count = z.number().int().min(0).max(10_000_000);

const fields = {
  active: Flag.optional(),
  aliases: Count.optional().describe('Max aliases'),
  backupmx: Flag.optional().describe('Relay only: act as backup MX'),
  defquota: MiB.optional().describe('New mailbox quota, MiB'),
  description: z.string().max(255).optional(),
  mailboxes: Count.optional().describe('Max mailboxes'),
  maxquota: MiB.optional().describe('Max per mailbox, MiB'),
  quota: MiB.optional().describe('Whole domain, MiB'),
};

export const domainTools = [
  tool({
    name: 'mailcow_list_domains',
    title: 'List mail domains',
    description: 'List mail domains with their limits and quotas (MiB), one page at a time.',
    toolset: 'mailcow',
    input: z.strictObject(paging(50)),
    output: ListOut,
    hints: READ,
    run: async ({ size, offset }, c, { signal }) => page(await c.listDomains(signal), { size, offset }),
  }),
  tool({
    name: 'mailcow_create_domain',
    title: 'Create mail domain',
    description:
      'Add a mail domain; omitted limits default to active, 400 aliases, 10 mailboxes, quotas (MiB) defquota 3072, maxquota 10240, quota 10240.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain, ...fields }),
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, ...f }, c, { signal }) => c.createDomain(domain, f, signal),
  }),
  tool({
    name: 'mailcow_update_domain',
    title: 'Update mail domain',
    description: 'Change the settings or limits (quotas in MiB) of a mail domain; only the fields given are sent.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain, ...fields }),
    output: RecordOut,
    hints: UPDATE,
    before: async ({ domain }, c, { signal }) =>
      (await c.listDomains(signal)).find((d) => same(d.domain ?? d.domain_name, domain)),
    run: ({ domain, ...f }, c, { signal }) => c.updateDomain(domain, f, signal),
  }),
  tool({
    name: 'mailcow_delete_domain',
    title: 'Delete mail domain',
    description: 'Delete a mail domain (the backend refuses while it still has mailboxes).',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ domain }, c) => `delete mail domain ${q(domain)} (${c.preview('deleteDomain', domain)})`,
    before: async ({ domain }, c, { signal }) =>
      (await c.listDomains(signal)).find((d) => same(d.domain ?? d.domain_name, domain)),
    run: ({ domain }, c, { signal }) => c.deleteDomain(domain, signal),
  }),
];
