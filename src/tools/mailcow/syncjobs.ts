import * as z from 'zod';
import { SYNC_JOB_DEFAULTS as D } from '../../backends/mailcow/types.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { asIn, Flag, Id } from '../params.ts';
import { page, paging } from './paging.ts';
import { Address } from './params.ts';

/**
 * mailcow's is_valid_domain_name (functions.inc.php), which edit/syncjob applies to the host: letters,
 * digits and inner hyphens per label, so an IPv4 address passes and an IPv6 address does not.
 */
const HOST = /^(?=.{1,253}$)[a-z\d](-*[a-z\d])*(\.[a-z\d](-*[a-z\d])*)*$/i;
const Host = z
  .string()
  .trim()
  .refine((s) => HOST.test(s) && s.split('.').every((l) => l.length <= 63), 'must be a host name or IPv4 address')
  .describe('Source IMAP host');

/** PCRE between slashes (mailcow compiles "/" + exclude + "/"): an unescaped slash breaks it. */
const Exclude = z
  .string()
  .max(500)
  .refine((s) => !/(^|[^\\])(\\\\)*\//.test(s), 'escape "/" as "\\/"')
  .describe('Folder regex to skip');

const fields = {
  host1: Host,
  user1: z.string().min(1).max(255).describe('Source login'),
  password1: z.string().min(1).max(255).describe('Source password'),
  port1: z.number().int().min(1).max(65535).optional().describe('Source port'),
  enc1: z.enum(['SSL', 'TLS', 'PLAIN']).optional().describe('TLS means STARTTLS'),
  mins_interval: z.number().int().min(1).max(43800).optional().describe('Minutes between runs'),
  subfolder2: z.string().max(255).optional().describe('Target subfolder'),
  maxage: z.number().int().min(0).max(32000).optional().describe('Days back, 0 = all'),
  maxbytespersecond: z.number().int().min(0).max(125_000_000).optional().describe('Bytes/s, 0 = unlimited'),
  exclude: Exclude.optional(),
  delete1: Flag.optional().describe('Delete source after copy'),
  delete2: Flag.optional().describe('Delete on target if not on source'),
  delete2duplicates: Flag.optional().describe('Delete target duplicates'),
  automap: Flag.optional().describe('Map Sent/Trash names'),
  skipcrossduplicates: Flag.optional().describe('Copy each message once'),
  active: Flag.optional().describe('Run on schedule'),
};
const JobId = Id.describe('From mailcow_list_sync_jobs');

/** What a listed sync job shows without a mailbox filter: where from, where to, schedule, last run. */
const SUMMARY = [
  'id',
  'username',
  'host1',
  'user1',
  'port1',
  'enc1',
  'active',
  'mins_interval',
  'last_run',
  'success',
] as const;

export const syncJobTools = [
  tool({
    name: 'mailcow_list_sync_jobs',
    title: 'List sync jobs',
    description: 'List IMAP sync jobs with last run, paged; every field when filtered by mailbox.',
    toolset: 'mailcow',
    input: z.strictObject({ mailbox: Address.optional().describe('Only jobs into this mailbox'), ...paging() }),
    output: ListOut,
    hints: READ,
    run: async ({ mailbox, size, offset }, c, { signal }) =>
      page(await c.listSyncJobs(mailbox, signal), { size, offset }, mailbox ? undefined : SUMMARY),
  }),
  tool({
    name: 'mailcow_create_sync_job',
    title: 'Create sync job',
    description: `Create an IMAP sync job from a remote account into a mailbox; defaults as mailcow's form: SSL, port 993 (143 otherwise), every 20 min, exclude ${D.exclude}, delete2duplicates, automap, active.`,
    toolset: 'mailcow',
    input: z.strictObject({ username: Address.describe('Target mailbox'), ...fields }),
    output: RecordOut,
    hints: CREATE,
    run: (job, c, { signal }) => c.createSyncJob(job, signal),
  }),
  tool({
    name: 'mailcow_update_sync_job',
    title: 'Update sync job',
    description: 'Change an IMAP sync job by id (target mailbox fixed); fields as in mailcow_create_sync_job.',
    toolset: 'mailcow',
    input: z.strictObject({ id: JobId, ...asIn(z.object(fields).partial().shape) }),
    output: RecordOut,
    hints: UPDATE,
    before: async ({ id }, c, { signal }) => (await c.listSyncJobs(undefined, signal)).find((j) => Number(j.id) === id),
    run: ({ id, ...f }, c, { signal }) => c.updateSyncJob(id, f, signal),
  }),
  tool({
    name: 'mailcow_delete_sync_job',
    title: 'Delete sync job',
    description: 'Delete an IMAP sync job by id (copied mail stays).',
    toolset: 'mailcow',
    input: z.strictObject({ id: JobId }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete sync job ${q(id)} (${c.preview('deleteSyncJob', id)})`,
    before: async ({ id }, c, { signal }) => (await c.listSyncJobs(undefined, signal)).find((j) => Number(j.id) === id),
    run: ({ id }, c, { signal }) => c.deleteSyncJob(id, signal),
  }),
];
