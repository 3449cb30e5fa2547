import * as z from 'zod';
import { same } from '../../backends/mailcow/types.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Domain, Flag } from '../params.ts';

const Count = z.number().int().min(0).max(10_000_000);
const MiB = z.number().int().min(0).max(100_000_000);

const fields = {
  active: Flag.optional(),
  aliases: Count.optional(),
  backupmx: Flag.optional(),
  defquota: MiB.optional(),
  description: z.string().max(255).optional(),
  mailboxes: Count.optional(),
  maxquota: MiB.optional(),
  quota: MiB.optional(),
};

export const domainTools = [
  tool({
    name: 'mailcow_list_domains',
    title: 'List mail domains',
    description: 'List every mail domain with its limits and quotas (MiB).',
    toolset: 'mailcow',
    input: z.strictObject({}),
    output: ListOut,
    hints: READ,
    run: async (_a, c, { signal }) => {
      const items = await c.listDomains(signal);
      return { items, total: items.length };
    },
  }),
  tool({
    name: 'mailcow_create_domain',
    title: 'Create mail domain',
    description:
      'Add a mail domain; omitted limits default to active, 400 aliases, 10 mailboxes, quotas (MiB) defquota 3072, maxquota 10240, quota 10240.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: Domain, ...fields }),
    output: RecordOut,
    hints: CREATE,
    run: ({ domain, ...f }, c, { signal }) => c.createDomain(domain, f, signal),
  }),
  tool({
    name: 'mailcow_update_domain',
    title: 'Update mail domain',
    description: 'Change the settings or limits (quotas in MiB) of a mail domain; only the fields given are sent.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: Domain, ...fields }),
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
    input: z.strictObject({ domain: Domain }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ domain }, c) => `delete mail domain ${q(domain)} (${c.preview('deleteDomain', domain)})`,
    before: async ({ domain }, c, { signal }) =>
      (await c.listDomains(signal)).find((d) => same(d.domain ?? d.domain_name, domain)),
    run: ({ domain }, c, { signal }) => c.deleteDomain(domain, signal),
  }),
];
