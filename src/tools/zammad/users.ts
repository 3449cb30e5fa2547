import * as z from 'zod';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Email, Flag } from '../params.ts';
import { As, Id, Listing, opts, Query, Text, Whole } from './params.ts';
import { page, record } from './shape.ts';

const fields = {
  firstname: Text(150).optional(),
  lastname: Text(150).optional(),
  email: Email.optional(),
  login: Text(250).optional(),
  organization: Text(250).optional(),
  roles: z.array(Text(100)).max(100).optional(),
  phone: Text(100).optional(),
  note: Text(5000).optional(),
  active: Flag.optional(),
};

export const userTools = [
  tool({
    name: 'zammad_list_users',
    title: 'List users',
    description: 'List users, oldest first (outside data).',
    toolset: 'zammad',
    input: z.strictObject(Listing),
    output: ListOut,
    hints: READ,
    run: async (a, c, { signal }) => page(await c.list('users', opts(a, signal))),
  }),
  tool({
    name: 'zammad_search_users',
    title: 'Search users',
    description: 'Search users by name, login, email or query (outside data).',
    toolset: 'zammad',
    input: z.strictObject({ query: Query, ...Listing }),
    output: ListOut,
    hints: READ,
    run: async ({ query, ...a }, c, { signal }) => page(await c.search('users', query, opts(a, signal))),
  }),
  tool({
    name: 'zammad_get_user',
    title: 'Get user',
    description: 'Get a user by id (outside data).',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...Whole }),
    output: RecordOut,
    hints: READ,
    run: async ({ id, full, ...a }, c, { signal }) => record(await c.get('users', id, opts(a, signal)), full),
  }),
  tool({
    name: 'zammad_get_current_user',
    title: 'Get current user',
    description: 'Get the user the server acts as (or on_behalf_of).',
    toolset: 'zammad',
    input: z.strictObject(Whole),
    output: RecordOut,
    hints: READ,
    run: async ({ full, ...a }, c, { signal }) => record(await c.me(opts(a, signal)), full),
  }),
  tool({
    name: 'zammad_create_user',
    title: 'Create user',
    description: 'Create a user (a customer by default); give email, login or a name.',
    toolset: 'zammad',
    input: z.strictObject({ ...fields, ...As }),
    output: RecordOut,
    hints: CREATE,
    run: async ({ on_behalf_of, ...u }, c, { signal }) => record(await c.createUser(u, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_update_user',
    title: 'Update user',
    description: 'Change a user by id.',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...fields, ...As }),
    output: RecordOut,
    hints: UPDATE,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('users', id, { as: on_behalf_of, signal }),
    run: async ({ id, on_behalf_of, ...u }, c, { signal }) =>
      record(await c.updateUser(id, u, { as: on_behalf_of, signal })),
  }),
  tool({
    name: 'zammad_delete_user',
    title: 'Delete user',
    description: 'Delete a user by id (refused while tickets refer to it).',
    toolset: 'zammad',
    input: z.strictObject({ id: Id, ...As }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ id }, c) => `delete user id ${q(id)} (${c.previewDelete('users', id)})`,
    before: ({ id, on_behalf_of }, c, { signal }) => c.get('users', id, { as: on_behalf_of, signal }),
    run: ({ id, on_behalf_of }, c, { signal }) => c.remove('users', id, { as: on_behalf_of, signal }),
  }),
];
