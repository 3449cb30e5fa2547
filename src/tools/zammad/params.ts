import * as z from 'zod';
import type { Call, Paging, Read } from '../../backends/zammad/types.ts';
import { Flag, Full, Id, printable, Text } from '../params.ts';

// Shared parameters, described once and tersely: every Zammad tool lists them, so each word costs 28 times.

export { Id, Text };

const Name = z.string().trim().min(1).max(200);

// Sent as the `From` header: line breaks would add headers, and text beyond ASCII cannot be sent as Zammad reads
// it (undici refuses some of it, sends the rest as Latin-1 bytes), so both are refused before anything is sent.
const ascii = (s: string) => /^[\x20-\x7e]*$/.test(s);
export const As = {
  on_behalf_of: z
    .string()
    .refine(ascii, 'must be plain ASCII on one line (it is sent as a header); give the user id instead')
    .pipe(Name)
    .optional()
    .describe('Acting user'),
};
export const Reading = { ...As, expand: Flag.optional().describe('Add related names') };
// `full` is the shared Full flag, with a shorter text: it is listed on five tools.
export const Whole = { ...Reading, full: Full.describe('Untouched record') };
export const Listing = {
  ...Reading,
  page: z.number().int().min(1).max(1_000_000).optional(),
  // Zammad cuts per_page to its endpoint limit (100 to 1000) silently; the client does the same and reports it.
  per_page: z.number().int().min(1).max(1_000_000).optional(),
  sort_by: z.string().trim().min(1).max(100).optional(),
  // A refinement, not an enum: the catalog names the two values and the listing stays short.
  order_by: z
    .string()
    .refine((s) => s === 'asc' || s === 'desc', 'must be asc or desc')
    .optional()
    .describe('asc|desc') as z.ZodOptional<z.ZodType<'asc' | 'desc', string>>,
};

/** Quotes and parentheses must pair up: Elasticsearch refuses the query otherwise and Zammad answers "no hits". */
function balanced(q: string): boolean {
  let depth = 0;
  let quoted = false;
  for (const c of q.replace(/\\./g, '')) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && --depth < 0) return false;
  }
  return depth === 0 && !quoted;
}
export const Query = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  .refine(balanced, 'unbalanced quotes or parentheses (Zammad would answer with no hits)');

/** Header-bound text (recipients, subject): a line break would add headers to the mail Zammad sends. */
export const Line = (max: number) => Text(max).refine(printable, 'must not contain line breaks or control characters');

/** A name or an id, as Zammad's `group`/`group_id` pairs take. */
export const Ref = Name.refine(printable, 'must not contain control characters');

/** Ticket references, described once; unknown names are refused with the valid ones. */
export const GroupRef = Ref.describe('Name or id');
export const CustomerRef = Ref.describe('User id, login or email');
export const TicketRefs = {
  group: GroupRef.optional(),
  state: Ref.describe('Name or id, e.g. open').optional(),
  priority: Ref.describe('Name or id, e.g. 2 normal').optional(),
  owner: Ref.describe('Agent id, login or email').optional(),
  customer: CustomerRef.optional(),
};

const isTime = (s: string) => /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(s) && !Number.isNaN(Date.parse(s));
export const Time = z
  .string()
  .trim()
  .refine(isTime, 'must be an ISO 8601 time such as 2030-01-31T09:00:00Z')
  .describe('ISO 8601; pending states need it');

/** Article fields, as create_ticket, update_ticket and create_ticket_article take them. */
export const ArticleShape = {
  body: Text(100_000).min(1),
  subject: Line(250).optional(),
  type: Text(100).optional().describe('note (default), email, phone…'),
  internal: Flag.optional(),
  content_type: z
    .string()
    .refine((s) => s === 'text/plain' || s === 'text/html', 'must be text/plain or text/html')
    .optional() as z.ZodOptional<z.ZodType<'text/plain' | 'text/html', string>>,
  sender: z.enum(['Agent', 'Customer', 'System']).optional(),
};

type Args = {
  on_behalf_of?: string;
  expand?: boolean;
  page?: number;
  per_page?: number;
  sort_by?: string;
  order_by?: 'asc' | 'desc';
};

/** The client options an argument object carries. */
export function opts(a: Args, signal: AbortSignal): Call & Read & Paging {
  return {
    as: a.on_behalf_of,
    signal,
    expand: a.expand,
    page: a.page,
    per_page: a.per_page,
    sort_by: a.sort_by,
    order_by: a.order_by,
  };
}
