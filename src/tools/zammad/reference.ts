import * as z from 'zod';
import { ListOut, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { As, Id, Listing, opts, Text } from './params.ts';
import { page, record } from './shape.ts';

const Tag = Text(100).trim().min(1);

/** Groups, states, priorities and tags: what tickets refer to. */
export const referenceTools = [
  tool({
    name: 'zammad_list_groups',
    title: 'List groups',
    description: 'List groups.',
    toolset: 'zammad',
    input: z.strictObject(Listing),
    output: ListOut,
    hints: READ,
    run: async (a, c, { signal }) => page(await c.list('groups', opts(a, signal))),
  }),
  tool({
    name: 'zammad_list_ticket_states',
    title: 'List ticket states',
    description: 'List ticket states.',
    toolset: 'zammad',
    input: z.strictObject(As),
    output: ListOut,
    hints: READ,
    run: async ({ on_behalf_of }, c, { signal }) => ({
      items: (await c.listAll('ticket_states', { as: on_behalf_of, signal })).map((r) => record(r)),
    }),
  }),
  tool({
    name: 'zammad_list_ticket_priorities',
    title: 'List ticket priorities',
    description: 'List ticket priorities.',
    toolset: 'zammad',
    input: z.strictObject(As),
    output: ListOut,
    hints: READ,
    run: async ({ on_behalf_of }, c, { signal }) => ({
      items: (await c.listAll('ticket_priorities', { as: on_behalf_of, signal })).map((r) => record(r)),
    }),
  }),
  tool({
    name: 'zammad_list_tags',
    title: 'List ticket tags',
    description: "List a ticket's tags.",
    toolset: 'zammad',
    input: z.strictObject({ ticket_id: Id, ...As }),
    output: RecordOut,
    hints: READ,
    run: async ({ ticket_id, on_behalf_of }, c, { signal }) => ({
      ticket_id,
      tags: await c.tags(ticket_id, { as: on_behalf_of, signal }),
    }),
  }),
  tool({
    name: 'zammad_add_tag',
    title: 'Add ticket tag',
    description: 'Add a tag to a ticket.',
    toolset: 'zammad',
    input: z.strictObject({ ticket_id: Id, tag: Tag, ...As }),
    output: RecordOut,
    hints: UPDATE,
    run: ({ ticket_id, tag, on_behalf_of }, c, { signal }) =>
      c.tag('add', ticket_id, tag, { as: on_behalf_of, signal }),
  }),
  tool({
    name: 'zammad_remove_tag',
    title: 'Remove ticket tag',
    description: 'Remove a tag from a ticket.',
    toolset: 'zammad',
    input: z.strictObject({ ticket_id: Id, tag: Tag, ...As }),
    output: RecordOut,
    hints: UPDATE,
    run: ({ ticket_id, tag, on_behalf_of }, c, { signal }) =>
      c.tag('remove', ticket_id, tag, { as: on_behalf_of, signal }),
  }),
];
