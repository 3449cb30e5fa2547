// Completions (`completion/complete`) for prompt arguments, from the configured backends: mailbox addresses for
// `email` and `mailbox`, open ticket numbers for `ticket`. A completion never fails: a backend error gives none.
import { completable } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { Clients } from '../backends/index.ts';

export type Completer = (prefix: string) => Promise<string[]>;

/** MCP caps a completion at 100 values. */
const MAX = 100;
const TIMEOUT_MS = 5000;
const CLOSED = new Set(['closed', 'merged', 'removed']);

const matching = (values: Iterable<string>, prefix: string) => {
  const p = prefix.trim().toLowerCase();
  return [...new Set(values)]
    .filter((v) => v.toLowerCase().startsWith(p))
    .sort()
    .slice(0, MAX);
};
const quietly = async (fn: (signal: AbortSignal) => Promise<string[]>): Promise<string[]> => {
  try {
    return await fn(AbortSignal.timeout(TIMEOUT_MS));
  } catch {
    return [];
  }
};

/** Mailbox addresses known to mailcow and Rackspace. */
async function addresses(c: Partial<Clients>, signal: AbortSignal): Promise<string[]> {
  const lists = await Promise.all([
    quietly(async () => {
      if (!c.mailcow) return [];
      const rows = await c.mailcow.listMailboxes(undefined, signal);
      return rows.map((r) => String(r.username ?? r.address ?? '')).filter((a) => a.includes('@'));
    }),
    quietly(async () => {
      const rs = c.rackspace;
      if (!rs) return [];
      const domains = (await rs.listDomains({ size: 50 }, signal)).items.map((d) =>
        String((d as { name?: unknown }).name ?? ''),
      );
      const per = await Promise.all(
        domains.map(async (d) =>
          (await rs.listMailboxes(d, { size: 250 }, signal)).items.map(
            (m) => `${String((m as { name?: unknown }).name ?? '')}@${d}`,
          ),
        ),
      );
      return per.flat();
    }),
  ]);
  return lists.flat();
}

/** Numbers of Zammad tickets that are not closed, newest first. */
async function openTickets(c: Partial<Clients>, signal: AbortSignal): Promise<string[]> {
  if (!c.zammad) return [];
  const page = await c.zammad.list('tickets', {
    expand: true,
    per_page: 100,
    sort_by: 'created_at',
    order_by: 'desc',
    signal,
  });
  return page.items.filter((t) => !CLOSED.has(String(t.state ?? ''))).map((t) => String(t.number ?? t.id));
}

/** The completers by argument name, for the configured backends. */
export function completers(c: Partial<Clients>): Record<string, Completer> {
  const mailbox: Completer = async (prefix) => matching(await quietly((s) => addresses(c, s)), prefix);
  const ticket: Completer = async (prefix) => matching(await quietly((s) => openTickets(c, s)), prefix);
  return { email: mailbox, mailbox, ticket };
}

/** The tool whose offer lets completions read a backend: a client narrowed away from it learns nothing there. */
const SOURCES: Record<keyof Clients, string> = {
  mailcow: 'mailcow_list_mailboxes',
  rackspace: 'rackspace_list_exchange_mailboxes',
  zammad: 'zammad_list_tickets',
  zimbra: '',
};

const cache = new WeakMap<Partial<Clients>, Map<string, Record<string, Completer>>>();
const bySchema = new WeakMap<z.ZodObject, WeakMap<Record<string, Completer>, z.ZodObject>>();

/**
 * The completers for one server: only backends whose listing tool it offers (so a narrowed HTTP client learns no
 * more through completions than through its tools). Made once per clients and backend set: every HTTP request
 * builds a server on the same clients.
 */
export function completersFor(c: Partial<Clients>, offered: ReadonlySet<string>): Record<string, Completer> {
  const keys = (Object.keys(c) as (keyof Clients)[]).filter((k) => SOURCES[k] && offered.has(SOURCES[k]));
  const perClients = cache.get(c) ?? new Map<string, Record<string, Completer>>();
  cache.set(c, perClients);
  const key = keys.sort().join(',');
  const found = perClients.get(key) ?? completers(Object.fromEntries(keys.map((k) => [k, c[k]])));
  perClients.set(key, found);
  return found;
}

/**
 * `args` with completable copies of the arguments that have a completer. `completable` marks the schema object
 * itself, for good, so the marks go on copies (made once per schema and completer set).
 */
export function withCompletions(args: z.ZodObject, complete: Record<string, Completer>): z.ZodObject {
  const perSchema = bySchema.get(args) ?? new WeakMap<Record<string, Completer>, z.ZodObject>();
  bySchema.set(args, perSchema);
  let out = perSchema.get(complete);
  if (!out) {
    const shape = Object.fromEntries(
      Object.entries(args.shape).map(([k, s]) => {
        const fn = complete[k];
        if (!fn) return [k, s];
        const copy = s.description ? s.describe(s.description) : s.clone();
        return [k, completable(copy, (value) => fn(String(value ?? '')))];
      }),
    );
    out = z.object(shape);
    perSchema.set(complete, out);
  }
  return out;
}
