import * as z from 'zod';
import { same } from '../../backends/mailcow/types.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { asIn, Flag } from '../params.ts';
import { page, paging } from './paging.ts';
import { MailDomain, MiB } from './params.ts';

const Count = z.number().int().min(0).max(10_000_000);

const fields = {
  active: Flag.optional(),
  aliases: Count.optional().describe('Max aliases'),
  backupmx: Flag.optional().describe('Act as backup MX (relay)'),
  defquota: MiB.optional().describe('Default mailbox MiB'),
  description: z.string().max(255).optional(),
  mailboxes: Count.optional().describe('Max mailboxes'),
  maxquota: MiB.optional().describe('Max mailbox MiB'),
  quota: MiB.optional().describe('Domain total MiB'),
};

/** What a listed domain shows: everything but timestamps and tags (a page of 100 stays small). */
const SUMMARY = [
  'domain',
  'description',
  'active',
  'backupmx',
  'mailboxes',
  'mailboxes_in_domain',
  'aliases',
  'aliases_in_domain',
  'defquota',
  'maxquota',
  'quota',
  'quota_used_in_domain',
] as const;

export const domainTools = [
  tool({
    name: 'mailcow_list_domains',
    title: 'List mail domains',
    description: 'List mail domains with limits and quotas (MiB), paged.',
    toolset: 'mailcow',
    input: z.strictObject(paging()),
    output: ListOut,
    hints: READ,
    run: async ({ size, offset }, c, { signal }) => page(await c.listDomains(signal), { size, offset }, SUMMARY),
  }),
  tool({
    name: 'mailcow_create_domain',
    title: 'Create mail domain',
    description:
      'Add a mail domain; defaults: active, 400 aliases, 10 mailboxes, defquota 3072, maxquota 10240, quota 10240 (MiB).',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain, ...fields }),
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, ...f }, c, { signal }) => c.createDomain(domain, f, signal),
  }),
  tool({
    name: 'mailcow_update_domain',
    title: 'Update mail domain',
    description: 'Change a mail domain; fields as in mailcow_create_domain.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain, ...asIn(fields) }),
    output: RecordOut,
    hints: UPDATE,
    before: async ({ domain }, c, { signal }) =>
      (await c.listDomains(signal)).find((d) => same(d.domain ?? d.domain_name, domain)),
    run: ({ domain, ...f }, c, { signal }) => c.updateDomain(domain, f, signal),
  }),
  tool({
    name: 'mailcow_delete_domain',
    title: 'Delete mail domain',
    description: 'Delete a mail domain (refused while it has mailboxes).',
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
