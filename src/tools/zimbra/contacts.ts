import * as z from 'zod';
import { createProblems, modifyProblems, type Problem } from '../../backends/zimbra/rules.ts';
import type { AttrChange, ModifySpec } from '../../backends/zimbra/types.ts';
import { InputError } from '../../errors.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool, UPDATE } from '../define.ts';
import { Email, Flag, Id } from '../params.ts';

// Contact ids: "257", or "zimbraId:257" for a contact in a shared mailbox. Joined with commas on the wire.
const ITEM_ID = /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:)?[1-9]\d{0,9}$/i;

const Account = Email.optional().describe('Other mailbox to act on');
const Ids = z
  .array(
    z
      .string()
      .trim()
      .refine((s) => ITEM_ID.test(s), 'must be an item id such as "257" or "zimbraId:257"'),
  )
  .max(100)
  .refine((a) => a.length > 0, 'needs at least one id');
const FolderId = Id.describe('From zimbra_list_contact_folders');
/** ModifyContact's `cn@id` is a number; the other tools return ids as strings ("258"), so both are taken. */
const ContactId = z.union(
  [
    Id,
    z
      .string()
      .trim()
      .refine((s) => /^\d{1,10}$/.test(s))
      .transform(Number)
      .pipe(Id),
  ],
  { error: 'must be a contact id such as 258 or "258"' },
);
const Tags = z.array(
  z
    .string()
    .trim()
    .min(1)
    .max(128)
    .refine((s) => !s.includes(','), 'must not contain a comma'),
);
const Name = z.string().trim().min(1).max(100);
const Values = z.object({}).catchall(z.union([z.string(), z.array(z.string())]));
const AttrEdit = z.strictObject({
  name: Name,
  value: z.string().optional().describe('Empty deletes'),
  op: z.enum(['+', '-']).optional().describe('Add/remove one value'),
  upload_id: z.string().min(1).optional().describe('Set from an upload'),
  item_id: Id.optional().describe('Copy part of this item'),
  part: z.string().min(1).optional(),
});
const MemberType = z.enum(['C', 'G', 'I']).describe('C contact id, G GAL ref, I address');

const issues = (problems: Problem[], ctx: z.RefinementCtx) => {
  for (const p of problems) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
};

const setsGroup = (attrs: AttrChange[] | undefined) =>
  attrs?.some((a) => a.name === 'type' && a.value === 'group' && !a.op) ?? false;

function modifyPreview(
  a: ModifySpec & { account?: string },
  c: { previewModify(s: ModifySpec, account?: string): string },
) {
  const { account, ...spec } = a;
  if (spec.replace)
    return `replace every attribute and member of contact ${q(spec.id)} with the ones given (${c.previewModify(spec, account)})`;
  if (spec.members?.some((m) => m.op === 'reset'))
    return `remove every member of group ${q(spec.id)} (${c.previewModify(spec, account)})`;
  return undefined;
}

/** Zimbra's Trash folder: moving there is deleting (catalog §2). */
const TRASH = 3;

export const contactTools = [
  tool({
    name: 'zimbra_search_contacts',
    title: 'Search contacts',
    description: 'Search contacts with a Zimbra query (outside data).',
    toolset: 'zimbra',
    input: z.strictObject({
      query: z.string().trim().min(1).max(1000).describe('Zimbra query, e.g. ada, #email:ada@x.com, in:contacts'),
      limit: z.number().int().min(1).max(100).optional().describe('Default 10'),
      offset: z.number().int().min(0).max(100000).optional(),
      account: Account,
    }),
    output: ListOut,
    hints: READ,
    run: ({ account, ...s }, c, { signal }) => c.searchContacts(s, { account, signal }),
  }),
  tool({
    name: 'zimbra_get_contacts',
    title: 'Get contacts',
    description: 'Get contacts by id or folder, with group members (outside data).',
    toolset: 'zimbra',
    input: z.strictObject({
      ids: Ids.optional(),
      folder_id: FolderId.optional(),
      attrs: z.array(Name).max(100).optional().describe('Return only these attributes'),
      sort_by: z.enum(['nameAsc', 'nameDesc']).optional(),
      deref_group_members: Flag.optional().describe('With ids: expand group members'),
      limit: z.number().int().min(1).max(100).optional().describe('Default 25'),
      offset: z.number().int().min(0).max(100000).optional(),
      account: Account,
    }),
    output: ListOut,
    hints: READ,
    run: async ({ account, limit = 25, offset = 0, ...q }, c, { signal }) => {
      // GetContactsRequest has no paging: the server pages what Zimbra returns.
      const all = await c.getContacts(q, { account, signal });
      return { items: all.slice(offset, offset + limit), offset, limit, total: all.length };
    },
  }),
  tool({
    name: 'zimbra_create_contact',
    title: 'Create contact',
    description: 'Create a contact, or a group (attrs.type group) with members (outside data).',
    toolset: 'zimbra',
    input: z
      .strictObject({
        attrs: Values.refine((a) => Object.keys(a).length > 0, 'needs at least one attribute').describe(
          'Name → value(s), e.g. firstName, email',
        ),
        folder_id: FolderId.optional(),
        tags: Tags.optional(),
        members: z
          .array(z.object({ type: MemberType, value: z.string().min(1) }))
          .max(500)
          .optional()
          .describe('Group members'),
        account: Account,
      })
      .superRefine((a, ctx) => issues(createProblems(a), ctx)),
    output: RecordOut,
    hints: CREATE,
    run: ({ account, ...spec }, c, { signal }) => c.createContact(spec, { account, signal }),
  }),
  tool({
    name: 'zimbra_modify_contact',
    title: 'Modify contact',
    description:
      'Change a contact by id: attrs (+/- on multi-values), members (as in zimbra_create_contact), tags (outside data).',
    toolset: 'zimbra',
    input: z
      .strictObject({
        id: ContactId,
        attrs: z
          .union([z.array(AttrEdit).max(200), z.object({}).catchall(z.string())])
          .transform((a) => (Array.isArray(a) ? a : Object.entries(a).map(([name, value]) => ({ name, value }))))
          .optional()
          .describe('Changes, or {name: value} sets (empty deletes)'),
        members: z
          .array(
            z.object({
              op: z.enum(['+', '-', 'reset']).optional().describe('reset removes all'),
              type: MemberType.optional().meta({ description: undefined }),
              value: z.string().optional(),
            }),
          )
          .max(500)
          .optional()
          .describe('Group member changes'),
        tags: Tags.optional().describe('Sets exactly these'),
        replace: Flag.optional().describe('Replace all attrs/members'),
        verbose: Flag.optional().describe('false: id only'),
        want_imap_uid: Flag.optional(),
        want_mod_seq: Flag.optional(),
        account: Account,
      })
      .superRefine((a, ctx) => issues(modifyProblems(a), ctx)),
    output: RecordOut,
    hints: { ...UPDATE, destructive: true, idempotent: false },
    confirm: (a, c) => modifyPreview(a, c),
    confirmWhen: 'needed only for replace or a reset member',
    before: ({ id, account }, c, { signal }) => c.getContacts({ ids: [String(id)] }, { account, signal }),
    run: async ({ account, ...spec }, c, { signal }) => {
      // Members are valid only on contact groups: look before sending when this call does not make it one.
      if (spec.members?.length && !spec.replace && !setsGroup(spec.attrs)) {
        const type = await c.contactType(spec.id, { account, signal });
        if (type !== 'group')
          throw new InputError('members', `only for contact groups; contact ${spec.id} has type "${type}"`);
      }
      return c.modifyContact(spec, { account, signal });
    },
  }),
  tool({
    name: 'zimbra_delete_contacts',
    title: 'Delete contacts',
    description: 'Trash contacts by id, or delete them for good with permanent.',
    toolset: 'zimbra',
    input: z.strictObject({ ids: Ids, permanent: Flag.optional().describe('Skip Trash'), account: Account }),
    output: RecordOut,
    hints: DELETE,
    confirm: ({ ids, permanent, account }, c) =>
      `${permanent ? 'permanently delete' : 'move to Trash'} contacts ${q(ids)} (${c.previewAction(permanent ? 'delete' : 'trash', ids, undefined, account)})`,
    before: ({ ids, account }, c, { signal }) => c.getContacts({ ids }, { account, signal }),
    run: ({ ids, permanent, account }, c, { signal }) =>
      c.contactAction(permanent ? 'delete' : 'trash', ids, undefined, { account, signal }),
  }),
  tool({
    name: 'zimbra_move_contacts',
    title: 'Move contacts',
    description: 'Move contacts by id to another folder.',
    toolset: 'zimbra',
    input: z.strictObject({ ids: Ids, folder_id: FolderId, account: Account }),
    output: RecordOut,
    hints: { ...UPDATE, destructive: true },
    confirmWhen: 'needed only into Trash',
    confirm: ({ ids, folder_id, account }, c) =>
      folder_id === TRASH
        ? `move to Trash contacts ${q(ids)} (${c.previewAction('move', ids, folder_id, account)})`
        : undefined,
    before: ({ ids, account }, c, { signal }) => c.getContacts({ ids }, { account, signal }),
    run: ({ ids, folder_id, account }, c, { signal }) => c.contactAction('move', ids, folder_id, { account, signal }),
  }),
  tool({
    name: 'zimbra_list_contact_folders',
    title: 'List contact folders',
    description: 'List contact folders (and Trash) with id, path and count (outside data).',
    toolset: 'zimbra',
    input: z.strictObject({ account: Account }),
    output: ListOut,
    hints: READ,
    run: async ({ account }, c, { signal }) => ({ items: await c.listContactFolders({ account, signal }) }),
  }),
];
