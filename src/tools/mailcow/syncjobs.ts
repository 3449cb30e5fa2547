import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Email, Flag, Id } from '../params.ts';

const Host = z
  .string()
  .trim()
  .min(1)
  .max(255)
  .refine((s) => !/[\s/@]/.test(s), 'must be a host name or IP address');

const fields = {
  username: Email.describe('Target mailbox'),
  host1: Host.describe('Source IMAP host'),
  user1: z.string().min(1).max(255).describe('Source login'),
  password1: z.string().min(1).max(255).describe('Source password'),
  port1: z.number().int().min(1).max(65535).optional(),
  enc1: z.enum(['TLS', 'SSL', 'PLAIN']).optional(),
  mins_interval: z.number().int().min(1).max(43800).optional(),
  subfolder2: z.string().max(255).optional(),
  maxage: z.number().int().min(0).max(32000).optional().describe('Days, 0 = all'),
  maxbytespersecond: z.number().int().min(0).max(125_000_000).optional(),
  exclude: z.string().max(500).optional().describe('Folder regex'),
  delete1: Flag.optional(),
  delete2: Flag.optional(),
  delete2duplicates: Flag.optional(),
  automap: Flag.optional(),
  skipcrossduplicates: Flag.optional(),
  active: Flag.optional(),
};
const JobId = Id.describe('Sync job id from mailcow_list_sync_jobs');

export const syncJobTools = [
  tool({
    name: 'mailcow_list_sync_jobs',
    title: 'List sync jobs',
    description: 'List IMAP sync jobs (passwords hidden), optionally only those of one target mailbox.',
    toolset: 'mailcow',
    input: z.strictObject({ mailbox: Email.optional().describe('Only jobs into this mailbox') }),
    output: ListOut,
    hints: READ,
    run: async ({ mailbox }, c, { signal }) => {
      const items = await c.listSyncJobs(mailbox, signal);
      return { items, total: items.length };
    },
  }),
  tool({
    name: 'mailcow_create_sync_job',
    title: 'Create sync job',
    description: 'Create an IMAP sync job that copies mail from a remote account into a mailbox.',
    toolset: 'mailcow',
    input: z.strictObject(fields),
    output: RecordOut,
    hints: CREATE,
    run: (job, c, { signal }) => c.createSyncJob(job, signal),
  }),
  tool({
    name: 'mailcow_update_sync_job',
    title: 'Update sync job',
    description: 'Change an IMAP sync job by id; only the fields given are sent.',
    toolset: 'mailcow',
    input: z.strictObject({ id: JobId, ...z.object(fields).partial().shape }),
    output: RecordOut,
    hints: UPDATE,
    before: async ({ id }, c, { signal }) => (await c.listSyncJobs(undefined, signal)).find((j) => Number(j.id) === id),
    run: ({ id, ...f }, c, { signal }) => c.updateSyncJob(id, f, signal),
  }),
  tool({
    name: 'mailcow_delete_sync_job',
    title: 'Delete sync job',
    description: 'Delete an IMAP sync job by id (mail already copied stays).',
    toolset: 'mailcow',
    input: z.strictObject({ id: JobId }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete sync job ${q(id)} (${c.preview('deleteSyncJob', id)})`,
    before: async ({ id }, c, { signal }) => (await c.listSyncJobs(undefined, signal)).find((j) => Number(j.id) === id),
    run: ({ id }, c, { signal }) => c.deleteSyncJob(id, signal),
  }),
];
