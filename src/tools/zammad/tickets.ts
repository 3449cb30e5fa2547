import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Flag } from '../params.ts';
import { As, Id, Listing, opts, Query, Ref, Text, Time, Whole } from './params.ts';
import { article, page, record } from './shape.ts';

export const ArticleShape = {
  body: Text(100_000).min(1),
  subject: Text(250).optional(),
  type: Text(100).optional(),
  internal: Flag.optional(),
  content_type: z
    .string()
    .refine((s) => s === 'text/plain' || s === 'text/html', 'must be text/plain or text/html')
    .optional() as z.ZodOptional<z.ZodType<'text/plain' | 'text/html', string>>,
};
const fields = {
  title: Text(250).optional(),
  group: Ref.optional(),
  state: Ref.optional(),
  priority: Ref.optional(),
  owner: Ref.optional(),
  customer: Ref.optional(),
  pending_time: Time.optional(),
  article: z.strictObject(ArticleShape).optional(),
};
const TargetNumber = z
  .string()
  .trim()
  .refine((s) => /^#?\d{1,30}$/.test(s), 'must be a ticket number such as "71003"');

export const ticketTools = [
  tool({
    name: 'zammad_list_tickets',
    title: 'List tickets',
    description: 'List tickets, oldest first.',
    toolset: 'zammad',
    input: z.strictObject(Listing),
    output: ListOut,
    hints: READ,
    run: async (a, c, { signal }) => page(await c.list('tickets', opts(a, signal))),
  }),
  tool({
    name: 'zammad_search_tickets',
    title: 'Search tickets',
    description: 'Search tickets by text or query such as state.name:open AND customer.email:a@b.com.',
    toolset: 'zammad',
    input: z.strictObject({ query: Query, ...Listing }),
    output: ListOut,
    hints: READ,
    run: async ({ query, ...a }, c, { signal }) => page(await c.search('tickets', query, opts(a, signal))),
  }),
  tool({
    name: 'zammad_get_ticket',
    title: 'Get ticket',
    description: 'Get a ticket by internal id (not display number).',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...Whole }),
    output: RecordOut,
    hints: READ,
    run: async ({ id, full, ...a }, c, { signal }) => record(await c.get('tickets', id, opts(a, signal)), full),
  }),
  tool({
    name: 'zammad_create_ticket',
    title: 'Create ticket',
    description:
      'Create a ticket with its first article; a new customer email creates the customer; pending states need pending_time.',
    toolset: 'zammad',
    input: z.strictObject({
      ...fields,
      title: Text(250).min(1),
      group: Ref,
      customer: Ref.describe('user id, login or email'),
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
    description: 'Change a ticket by internal id; article adds a note or reply; pending states need pending_time.',
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
    description: "List a ticket's articles by internal ticket id; returns text from outside as data.",
    toolset: 'zammad',
    input: z.strictObject({ ticket_id: Id, ...As, full: Whole.full }),
    output: ListOut,
    hints: READ,
    run: async ({ ticket_id, full, on_behalf_of }, c, { signal }) => ({
      items: (await c.listArticles(ticket_id, { as: on_behalf_of, signal })).map((r) => article(r, full)),
    }),
  }),
  tool({
    name: 'zammad_create_ticket_article',
    title: 'Add ticket article',
    description: 'Add a note or reply to a ticket by internal id; returns text from outside as data.',
    toolset: 'zammad',
    input: z.strictObject({
      ticket_id: Id,
      ...ArticleShape,
      to: Text(1000).optional(),
      cc: Text(1000).optional(),
      ...As,
    }),
    output: RecordOut,
    hints: CREATE,
    run: async ({ ticket_id, on_behalf_of, ...a }, c, { signal }) =>
      article(await c.createArticle(ticket_id, a, { as: on_behalf_of, signal })),
  }),
];
