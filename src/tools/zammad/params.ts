import * as z from 'zod';
import type { Call, Paging, Read } from '../../backends/zammad/types.ts';
import { Flag, Full, Id, printable, Text } from '../params.ts';

// Shared parameters, described once and tersely: every Zammad tool lists them, so each word costs 28 times.

export { Id, Text };

const Name = z.string().trim().min(1).max(200);

// Sent as the `From` header: control characters would break the header, so they are refused here.
export const As = { on_behalf_of: Name.refine(printable, 'must not contain control characters').optional() };
export const Reading = { ...As, expand: Flag.optional() };
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
    .optional() as z.ZodOptional<z.ZodType<'asc' | 'desc', string>>,
};
export const Query = z.string().trim().min(1).max(1000);

/** A name or an id, as Zammad's `group`/`group_id` pairs take. */
export const Ref = Name;

const isTime = (s: string) => /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d/.test(s) && !Number.isNaN(Date.parse(s));
export const Time = z.string().trim().refine(isTime, 'must be an ISO 8601 time such as 2030-01-31T09:00:00Z');

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
