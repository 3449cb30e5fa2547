import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { asIn, Flag, Id, isDomain, isEmail } from '../params.ts';
import { page, paging } from './paging.ts';
import { Address as Destination, MailDomain } from './params.ts';

const Address = z
  .string()
  .trim()
  .refine(
    (s) => (s.startsWith('@') ? isDomain(s.slice(1)) : isEmail(s)),
    'must be an email address, or @domain for a catch-all',
  )
  .describe('Address, or @domain for catch-all');
const Goto = z.array(Destination).min(1).max(100).describe('Forward to these addresses');
const AliasId = Id.describe('From mailcow_list_aliases');

/** What a listed alias shows without a domain filter (no timestamps or UI flags: a page of 100 stays small). */
const SUMMARY = ['id', 'address', 'goto', 'domain', 'active', 'is_catch_all'] as const;

export const aliasTools = [
  tool({
    name: 'mailcow_list_aliases',
    title: 'List aliases',
    description: 'List aliases with ids and destinations (goto), paged.',
    toolset: 'mailcow',
    input: z.strictObject({ domain: MailDomain.optional().describe('Only this domain'), ...paging() }),
    output: ListOut,
    hints: READ,
    run: async ({ domain, size, offset }, c, { signal }) =>
      page(await c.listAliases(domain, signal), { size, offset }, domain ? undefined : SUMMARY),
  }),
  tool({
    name: 'mailcow_create_alias',
    title: 'Create alias',
    description: 'Create an alias forwarding an address to destinations (active by default).',
    toolset: 'mailcow',
    input: z.strictObject({ address: Address, goto: Goto, active: Flag.optional() }),
    output: RecordOut,
    hints: CREATE,
    run: (a, c, { signal }) => c.createAlias(a, signal),
  }),
  tool({
    name: 'mailcow_update_alias',
    title: 'Update alias',
    description: 'Change an alias by id; fields as in mailcow_create_alias.',
    toolset: 'mailcow',
    input: z.strictObject({
      id: AliasId,
      ...asIn({ address: Address.optional(), goto: Goto.optional(), active: Flag.optional() }),
    }),
    output: RecordOut,
    hints: UPDATE,
    before: async ({ id }, c, { signal }) => (await c.listAliases(undefined, signal)).find((a) => Number(a.id) === id),
    run: ({ id, ...f }, c, { signal }) => c.updateAlias(id, f, signal),
  }),
  tool({
    name: 'mailcow_delete_alias',
    title: 'Delete alias',
    description: 'Delete an alias by id.',
    toolset: 'mailcow',
    input: z.strictObject({ id: AliasId }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete alias ${q(id)} (${c.preview('deleteAlias', id)})`,
    before: async ({ id }, c, { signal }) => (await c.listAliases(undefined, signal)).find((a) => Number(a.id) === id),
    run: ({ id }, c, { signal }) => c.deleteAlias(id, signal),
  }),
];
