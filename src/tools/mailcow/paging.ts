import * as z from 'zod';
import type { Row } from '../../backends/mailcow/types.ts';

// mailcow returns whole lists; the server pages them so that a default answer stays small in the model's
// context (under 8,000 o200k tokens on a large backend: test/mailcow/paging.test.ts).

/** `size` and `offset` for a list tool whose default page is `size` items. */
export function paging(size = 100) {
  return {
    size: z.number().int().min(1).max(1000).default(size).describe('Items per page'),
    offset: z.number().int().min(0).max(10_000_000).default(0).describe('Items to skip'),
  };
}

/** One page of a whole list: `{items, offset, size, total}`; `pick` keeps a record's summary fields. */
export function page(all: Row[], at: { size: number; offset: number }, pick?: readonly string[]) {
  const items = all.slice(at.offset, at.offset + at.size);
  return {
    items: pick ? items.map((r) => Object.fromEntries(pick.filter((k) => k in r).map((k) => [k, r[k]]))) : items,
    offset: at.offset,
    size: at.size,
    total: all.length,
  };
}
