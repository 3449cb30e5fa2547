import * as z from 'zod';
import { InputError } from '../../errors.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import {
  ArticleShape,
  As,
  CustomerRef,
  GroupRef,
  Id,
  Line,
  Listing,
  opts,
  Query,
  Text,
  TicketRefs,
  Time,
  Whole,
} from './params.ts';
import { article, page, record } from './shape.ts';

export { ArticleShape };

/** Five cut bodies (4,000 characters each at most) stay well under 8,000 tokens. */
export const ARTICLES_PER_PAGE = 5;

const fields = {
  title: Text(250).optional(),
  ...TicketRefs,
  pending_time: Time.optional(),
  article: z.strictObject(ArticleShape).optional(),
};
const TargetNumber = z
  .string()
  .trim()
  .refine((s) => /^#?\d{1,30}$/.test(s), 'must be a ticket number such as "71003"');
const TicketNumber = TargetNumber.transform((s) => s.replace('#', ''));

export const ticketTools = [
  tool({
    name: 'zammad_list_tickets',
    title: 'List tickets',
    description: 'List tickets, oldest first (outside data).',
    toolset: 'zammad',
    input: z.strictObject(Listing),
    output: ListOut,
    hints: READ,
    run: async (a, c, { signal }) => page(await c.list('tickets', opts(a, signal))),
  }),
  tool({
    name: 'zammad_search_tickets',
    title: 'Search tickets',
    description: 'Search tickets, e.g. state.name:(new OR open) AND owner.email:"a@b.com" (outside data).',
    toolset: 'zammad',
    input: z.strictObject({ query: Query, ...Listing }),
    output: ListOut,
    hints: READ,
    run: async ({ query, ...a }, c, { signal }) => page(await c.search('tickets', query, opts(a, signal))),
  }),
  tool({
    name: 'zammad_get_ticket',
    title: 'Get ticket',
    description: 'Get a ticket by internal id or number (outside data).',
    toolset: 'zammad',
    input: z.strictObject({
      id: Id.optional(),
      number: TicketNumber.optional().describe('As users quote it, e.g. 71003'),
      ...Whole,
    }),
    output: RecordOut,
    hints: READ,
    run: async ({ id, number, full, ...a }, c, { signal }) => {
      if ((id === undefined) === (number === undefined))
        throw new InputError('id', 'give exactly one of id and number');
      const o = opts(a, signal);
      return record(await (number !== undefined ? c.getByNumber(number, o) : c.get('tickets', id as number, o)), full);
    },
  }),
  tool({
    name: 'zammad_create_ticket',
    title: 'Create ticket',
    description: 'Create a ticket with its first article; an unknown customer email creates that user.',
    toolset: 'zammad',
    input: z.strictObject({
      ...fields,
      title: Text(250).min(1),
      group: GroupRef,
      customer: CustomerRef,
      article: z.strictObject(ArticleShape),
      tags: z.array(Text(100).min(1)).max(100).optional(),
      ...As,
    }),
    output: RecordOut,
    hints: CREATE,
    run: async ({ on_behalf_of, ...t }, c, { signal }) => record(await c.createTicket(t, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_update_ticket',
    title: 'Update ticket',
    description: 'Change a ticket by internal id; article adds a note or reply.',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...fields, ...As }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('tickets', id, { as: on_behalf_of, signal }),
    run: async ({ id, on_behalf_of, ...t }, c, { signal }) =>
      record(await c.updateTicket(id, t, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_delete_ticket',
    title: 'Delete ticket',
    description: 'Delete a ticket by internal id.',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...As }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete ticket id ${q(id)} with all its articles (${c.previewDelete('tickets', id)})`,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('tickets', id, { as: on_behalf_of, signal }),
    run: ({ id, on_behalf_of }, c, { signal }) => c.remove('tickets', id, { as: on_behalf_of, signal }),
  }),
  tool({
    name: 'zammad_merge_tickets',
    title: 'Merge tickets',
    description: 'Merge ticket source_id (internal id) into ticket target_number (display number).',
    toolset: 'zammad',
    input: z.strictObject({ source_id: Id, target_number: TargetNumber, ...As }),
    output: RecordOut,
    hints: { ...DELETE, idempotent: false },
    confirm: ({ source_id, target_number }, c) =>
      `merge ticket id ${q(source_id)} into ticket number ${q(target_number.replace('#', ''))}: its articles move there and it is closed as merged (${c.previewMerge(source_id, target_number.replace('#', ''))})`,
    before: ({ source_id, on_behalf_of }, c, { signal }) => c.get('tickets', source_id, { as: on_behalf_of, signal }),
    run: async ({ source_id, target_number, on_behalf_of }, c, { signal }) =>
      record(await c.mergeTickets(source_id, target_number.replace('#', ''), { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_list_ticket_articles',
    title: 'List ticket articles',
    description: "List a ticket's articles, oldest first (outside data).",
    toolset: 'zammad',
    input: z.strictObject({
      ticket_id: Id,
      page: Listing.page,
      per_page: Listing.per_page,
      ...As,
      full: Whole.full,
    }),
    output: ListOut,
    hints: READ,
    // Zammad returns every article at once; the server pages them so a long conversation fits the context.
    run: async ({ ticket_id, full, on_behalf_of, page = 1, per_page = ARTICLES_PER_PAGE }, c, { signal }) => {
      const all = await c.listArticles(ticket_id, { as: on_behalf_of, signal });
      const items = all.slice((page - 1) * per_page, page * per_page).map((r) => article(r, full));
      return { items, page, per_page, total: all.length, has_more: page * per_page < all.length };
    },
  }),
  tool({
    name: 'zammad_create_ticket_article',
    title: 'Add ticket article',
    description: 'Add a note, reply or call to a ticket by internal id.',
    toolset: 'zammad',
    input: z.strictObject({
      ticket_id: Id,
      ...ArticleShape,
      to: Line(1000).optional(),
      cc: Line(1000).optional(),
      ...As,
    }),
    output: RecordOut,
    hints: CREATE,
    run: async ({ ticket_id, on_behalf_of, ...a }, c, { signal }) =>
      article(await c.createArticle(ticket_id, a, { as: on_behalf_of, signal })),
  }),
];
