import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Domain, Flag } from '../params.ts';
import { As, Id, Listing, opts, Query, Text, Whole } from './params.ts';
import { page, record } from './shape.ts';

const fields = {
  name: Text(250).min(1).optional(),
  shared: Flag.optional(),
  domain: Domain.optional(),
  domain_assignment: Flag.optional(),
  active: Flag.optional(),
  vip: Flag.optional(),
  note: Text(5000).optional(),
};

export const organizationTools = [
  tool({
    name: 'zammad_list_organizations',
    title: 'List organizations',
    description: 'List organizations (outside data).',
    toolset: 'zammad',
    input: z.strictObject(Listing),
    output: ListOut,
    hints: READ,
    run: async (a, c, { signal }) => page(await c.list('organizations', opts(a, signal))),
  }),
  tool({
    name: 'zammad_search_organizations',
    title: 'Search organizations',
    description: 'Search organizations by name, domain or query (outside data).',
    toolset: 'zammad',
    input: z.strictObject({ query: Query, ...Listing }),
    output: ListOut,
    hints: READ,
    run: async ({ query, ...a }, c, { signal }) => page(await c.search('organizations', query, opts(a, signal))),
  }),
  tool({
    name: 'zammad_get_organization',
    title: 'Get organization',
    description: 'Get an organization by id (outside data).',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...Whole }),
    output: RecordOut,
    hints: READ,
    run: async ({ id, full, ...a }, c, { signal }) => record(await c.get('organizations', id, opts(a, signal)), full),
  }),
  tool({
    name: 'zammad_create_organization',
    title: 'Create organization',
    description: 'Create an organization.',
    toolset: 'zammad',
    input: z.strictObject({ ...fields, name: Text(250).min(1), ...As }),
    output: RecordOut,
    hints: CREATE,
    run: async ({ on_behalf_of, ...f }, c, { signal }) =>
      record(await c.createOrganization(f, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_update_organization',
    title: 'Update organization',
    description: 'Change an organization by id.',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...fields, ...As }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('organizations', id, { as: on_behalf_of, signal }),
    run: async ({ id, on_behalf_of, ...f }, c, { signal }) =>
      record(await c.updateOrganization(id, f, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_delete_organization',
    title: 'Delete organization',
    description: 'Delete an organization by id (refused while users or tickets refer to it).',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...As }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete organization id ${q(id)} (${c.previewDelete('organizations', id)})`,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('organizations', id, { as: on_behalf_of, signal }),
    run: ({ id, on_behalf_of }, c, { signal }) => c.remove('organizations', id, { as: on_behalf_of, signal }),
  }),
];
