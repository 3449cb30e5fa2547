import { given } from '../../objects.ts';

// The mailcow operations every API style implements, in the tools' own vocabulary (quotas in MiB).

export interface DomainFields {
  active?: boolean;
  aliases?: number;
  backupmx?: boolean;
  defquota?: number;
  description?: string;
  mailboxes?: number;
  maxquota?: number;
  quota?: number;
}
export interface MailboxFields {
  name?: string;
  password?: string;
  quota?: number;
  active?: boolean;
  force_pw_update?: boolean;
  tls_enforce_in?: boolean;
  tls_enforce_out?: boolean;
}
export interface NewMailbox extends MailboxFields {
  domain: string;
  local_part: string;
  name: string;
  password: string;
}
export interface AliasFields {
  address?: string;
  goto?: string[];
  active?: boolean;
}
/** What an existing sync job can change: mailcow's edit/syncjob never reads `username` (the target mailbox). */
export interface SyncJobFields {
  host1?: string;
  user1?: string;
  password1?: string;
  port1?: number;
  enc1?: 'TLS' | 'SSL' | 'PLAIN';
  mins_interval?: number;
  subfolder2?: string;
  maxage?: number;
  maxbytespersecond?: number;
  exclude?: string;
  delete1?: boolean;
  delete2?: boolean;
  delete2duplicates?: boolean;
  automap?: boolean;
  skipcrossduplicates?: boolean;
  active?: boolean;
}
export interface NewSyncJob extends SyncJobFields {
  username: string;
  host1: string;
  user1: string;
  password1: string;
}

export type Row = Record<string, unknown>;
/** A write's answer: the backend's `{type, msg}` (plus whatever else it returned). */
export type Outcome = Row;

/** Documented defaults the API requires on create (catalog 4.1). */
export const DOMAIN_DEFAULTS = {
  active: true,
  aliases: 400,
  defquota: 3072,
  mailboxes: 10,
  maxquota: 10240,
  quota: 10240,
} as const;
export const MAILBOX_DEFAULTS = { active: true, quota: 3072 } as const;

/**
 * What mailcow's own "add sync job" form sends when left as it is (data/web/templates/modals/mailbox.twig):
 * SSL, every 20 minutes, spam and junk folders excluded, duplicates deleted on the destination, folders
 * automapped, active. The form's port is 143 while SSL is preselected, a pair that cannot connect; the port
 * follows the encryption instead: 993 for SSL (the OpenAPI example's pair), 143 for STARTTLS and plain.
 * add/syncjob has no defaults of its own for port1, mins_interval and enc1 and stores a missing flag as 0.
 */
export const SYNC_JOB_DEFAULTS = {
  enc1: 'SSL',
  mins_interval: 20,
  subfolder2: '',
  maxage: 0,
  maxbytespersecond: 0,
  exclude: '(?i)spam|(?i)junk',
  delete1: false,
  delete2: false,
  delete2duplicates: true,
  automap: true,
  skipcrossduplicates: false,
  active: true,
} as const;

export function withJobDefaults(job: NewSyncJob): Required<NewSyncJob> {
  const enc1 = job.enc1 ?? SYNC_JOB_DEFAULTS.enc1;
  const port1 = job.port1 ?? (enc1 === 'SSL' ? 993 : 143);
  return { ...SYNC_JOB_DEFAULTS, ...given(job), enc1, port1 } as Required<NewSyncJob>;
}

export type DeleteOp = 'deleteDomain' | 'deleteMailbox' | 'deleteAlias' | 'deleteSyncJob';

/** Case-insensitive equality for domains and addresses; filters that the REST API leaves to the client. */
export const same = (a: unknown, b: string) => String(a ?? '').toLowerCase() === b.toLowerCase();
export const domainOf = (address: unknown) =>
  String(address ?? '')
    .split('@')
    .pop() ?? '';

export interface MailcowApi {
  /** The request an operation would send (method, path and, where it names the target, body), for confirmations. */
  preview(op: DeleteOp, id: string | number): string;
  listDomains(signal?: AbortSignal): Promise<Row[]>;
  createDomain(domain: string, fields: DomainFields, signal?: AbortSignal): Promise<Outcome>;
  updateDomain(domain: string, fields: DomainFields, signal?: AbortSignal): Promise<Outcome>;
  deleteDomain(domain: string, signal?: AbortSignal): Promise<Outcome>;
  /** Every mailbox, or those of one domain. */
  listMailboxes(domain?: string, signal?: AbortSignal): Promise<Row[]>;
  getMailbox(email: string, signal?: AbortSignal): Promise<Row>;
  createMailbox(mailbox: NewMailbox, signal?: AbortSignal): Promise<Outcome>;
  updateMailbox(email: string, fields: MailboxFields, signal?: AbortSignal): Promise<Outcome>;
  deleteMailbox(email: string, signal?: AbortSignal): Promise<Outcome>;
  listAliases(domain?: string, signal?: AbortSignal): Promise<Row[]>;
  createAlias(fields: AliasFields & { address: string; goto: string[] }, signal?: AbortSignal): Promise<Outcome>;
  updateAlias(id: number, fields: AliasFields, signal?: AbortSignal): Promise<Outcome>;
  deleteAlias(id: number, signal?: AbortSignal): Promise<Outcome>;
  /** Every sync job, or those into one mailbox. */
  listSyncJobs(mailbox?: string, signal?: AbortSignal): Promise<Row[]>;
  createSyncJob(job: NewSyncJob, signal?: AbortSignal): Promise<Outcome>;
  updateSyncJob(id: number, fields: SyncJobFields, signal?: AbortSignal): Promise<Outcome>;
  deleteSyncJob(id: number, signal?: AbortSignal): Promise<Outcome>;
}
