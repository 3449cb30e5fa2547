import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { attr, child } from '../../src/backends/zimbra/xml.ts';
import { data as fenced, type Harness, mcpClient, startHarness, type ToolResult, text } from '../harness.ts';
import { names, sent, zimbra } from './helpers.ts';

let h: Harness;
let z: ReturnType<typeof zimbra>;
let mcp: Awaited<ReturnType<typeof mcpClient>>;
beforeEach(async () => {
  h = await startHarness();
  z = zimbra(h);
  mcp = await mcpClient(h.clients, { rails: { confirm: 'flag' } });
});
afterEach(async () => {
  await mcp.close();
  await h.close();
});

const data = (r: ToolResult) => r.structuredContent ?? {};
const sentOps = () => names(z.emu).filter((n) => n !== 'AuthRequest');

describe('listing', () => {
  test('the seven catalog tools with their annotations; contact data is declared outside data', async () => {
    const { tools } = await mcp.client.listTools();
    const mine = tools.filter((t) => t.name.startsWith('zimbra_'));
    expect(mine.map((t) => t.name).sort()).toEqual([
      'zimbra_create_contact',
      'zimbra_delete_contacts',
      'zimbra_get_contacts',
      'zimbra_list_contact_folders',
      'zimbra_modify_contact',
      'zimbra_move_contacts',
      'zimbra_search_contacts',
    ]);
    const by = Object.fromEntries(mine.map((t) => [t.name, t]));
    expect(by.zimbra_modify_contact?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(by.zimbra_delete_contacts?.annotations).toMatchObject({ destructiveHint: true });
    expect(by.zimbra_search_contacts?.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    for (const n of [
      'zimbra_search_contacts',
      'zimbra_get_contacts',
      'zimbra_modify_contact',
      'zimbra_create_contact',
      'zimbra_list_contact_folders',
    ])
      expect(by[n]?.description).toContain('outside data');
    for (const t of mine) {
      expect(t.description?.length).toBeLessThanOrEqual(160);
      // Folder numbers come from zimbra_list_contact_folders, never from a description.
      const words = [t.description, ...JSON.stringify(t.inputSchema).matchAll(/"description":"([^"]*)"/g)].join(' ');
      expect(words).not.toMatch(/\b(3|7|13)\b/);
      expect(t.outputSchema).toBeUndefined();
      expect((t.inputSchema.properties as Record<string, { format?: string }>).account?.format).toBe('email');
    }
    expect(Object.keys((by.zimbra_modify_contact?.inputSchema.properties ?? {}) as object)).toEqual([
      'id',
      'attrs',
      'members',
      'tags',
      'replace',
      'verbose',
      'want_imap_uid',
      'want_mod_seq',
      'account',
      'confirm',
    ]);
  });

  test('read-only mode offers only search and get', async () => {
    const ro = await mcpClient(h.clients, { selection: { readOnly: true } });
    const { tools } = await ro.client.listTools();
    expect(
      tools
        .filter((t) => t.name.startsWith('zimbra_'))
        .map((t) => t.name)
        .sort(),
    ).toEqual(['zimbra_get_contacts', 'zimbra_list_contact_folders', 'zimbra_search_contacts']);
    await ro.close();
  });
});

describe('the assistant workflow from the issue', () => {
  test('find a contact, change its phone, add a second email, change group members, replace after confirmation', async () => {
    const found = await mcp.call('zimbra_search_contacts', { query: 'lovelace' });
    expect(found.isError).toBeFalsy();
    const items = found.structuredContent?.items as { id: string; attrs: Record<string, unknown> }[];
    expect(items.map((c) => c.id)).toEqual(['257']);
    expect(fenced(found)).toEqual(found.structuredContent);

    const phone = await mcp.call('zimbra_modify_contact', {
      id: 257,
      attrs: [{ name: 'mobilePhone', value: '+44 20 7946 0999' }],
    });
    expect(phone.isError).toBeFalsy();
    expect((data(phone).attrs as Record<string, unknown>).mobilePhone).toBe('+44 20 7946 0999');

    const email = await mcp.call('zimbra_modify_contact', {
      id: 257,
      attrs: [{ name: 'email', op: '+', value: 'ada@analytical.example' }],
    });
    expect((data(email).attrs as Record<string, unknown>).email).toEqual(['ada@example.com', 'ada@analytical.example']);

    const members = await mcp.call('zimbra_modify_contact', {
      id: 260,
      members: [
        { op: '-', type: 'C', value: '258' },
        { op: '+', type: 'I', value: '"Ada Two" <ada2@example.com>' },
      ],
    });
    expect(members.isError).toBeFalsy();
    expect((data(members).members as { value: string }[]).map((m) => m.value)).toEqual([
      '257',
      '"Linus Torvalds" <linus@example.com>',
      '"Ada Two" <ada2@example.com>',
    ]);

    const gated = await mcp.call('zimbra_modify_contact', {
      id: 258,
      replace: true,
      attrs: [{ name: 'fullName', value: 'G. Hopper' }],
    });
    expect(gated.isError).toBe(true);
    expect(text(gated)).toMatch(
      /^Confirmation required: replace every attribute and member of contact 258 .*POST \/service\/soap ModifyContactRequest replace="1" <cn id="258">/,
    );
    const before = sentOps().length;
    const done = await mcp.call('zimbra_modify_contact', {
      id: 258,
      replace: true,
      attrs: [{ name: 'fullName', value: 'G. Hopper' }],
      confirm: true,
    });
    expect(done.isError).toBeFalsy();
    expect(done.structuredContent?.attrs).toEqual({ fullName: 'G. Hopper' });
    // The contact is read first, for the audit record's `before`.
    expect(sentOps().slice(before)).toEqual(['GetContactsRequest', 'ModifyContactRequest']);
  });
});

describe('every tool', () => {
  test('zimbra_get_contacts returns items with members dereferenced and memberOf', async () => {
    const r = await mcp.call('zimbra_get_contacts', { ids: ['260', '257'], deref_group_members: true });
    const [g, a] = data(r).items as { members?: { contact?: { id: string } }[]; member_of?: string[] }[];
    expect(g?.members?.[0]?.contact?.id).toBe('257');
    expect(a?.member_of).toEqual(['260']);
  });

  test('zimbra_create_contact creates a contact group with members', async () => {
    const r = await mcp.call('zimbra_create_contact', {
      attrs: { type: 'group', nickname: 'Friends' },
      members: [{ type: 'C', value: '259' }],
      tags: ['social'],
    });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      folder_id: '7',
      tags: ['social'],
      members: [{ type: 'C', value: '259' }],
    });
  });

  test('zimbra_modify_contact takes the id as a string, as search returns it, and attrs as an object', async () => {
    const found = await mcp.call('zimbra_search_contacts', { query: 'hopper' });
    const [hit] = data(found).items as { id: string }[];
    expect(hit?.id).toBe('258');
    const r = await mcp.call('zimbra_modify_contact', {
      id: hit?.id,
      attrs: { email: 'grace@navy.example', company: 'US Navy', jobTitle: '' },
    });
    expect(r.isError).toBeFalsy();
    expect(data(r).attrs).toEqual({
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
      workPhone: '+1 202 555 0142',
      company: 'US Navy',
    });
    const cn = child(sent(z.emu).at(-1)?.node, 'cn');
    expect(attr(cn, 'id')).toBe('258');
    const a = (cn?.a ?? []) as Record<string, string>[];
    expect(a.map((x) => [x['@_n'], x['#text'] ?? '', x['@_op']])).toEqual([
      ['email', 'grace@navy.example', undefined],
      ['company', 'US Navy', undefined],
      ['jobTitle', '', undefined],
    ]);
  });

  test('zimbra_list_contact_folders lists ids to use as folder_id', async () => {
    const r = await mcp.call('zimbra_list_contact_folders', {});
    expect(r.isError).toBeFalsy();
    const items = data(r).items as { id: number; name: string; count?: number }[];
    expect(items.map((f) => [f.id, f.name, f.count])).toEqual([
      [3, 'Trash', 1],
      [7, 'Contacts', 3],
      [262, 'Suppliers', 0],
      [13, 'Emailed Contacts', 1],
    ]);
    const suppliers = items.find((f) => f.name === 'Suppliers');
    const moved = await mcp.call('zimbra_move_contacts', { ids: ['259'], folder_id: suppliers?.id });
    expect(moved.structuredContent).toEqual({ op: 'move', ids: ['259'] });
    expect(z.mailbox?.contacts.get(259)?.folder).toBe(262);
  });

  test('zimbra_move_contacts moves without confirmation', async () => {
    const r = await mcp.call('zimbra_move_contacts', { ids: ['259'], folder_id: 7 });
    expect(r.structuredContent).toEqual({ op: 'move', ids: ['259'] });
  });

  test('zimbra_search_contacts pages with offset and has_more', async () => {
    const r = await mcp.call('zimbra_search_contacts', { query: 'in:contacts', limit: 1, offset: 1 });
    expect(r.structuredContent).toMatchObject({ offset: 1, limit: 1, has_more: true });
  });

  test('a backend fault is an error starting with backend and status', async () => {
    const r = await mcp.call('zimbra_get_contacts', { ids: ['4711'] });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe(
      'zimbra 500: no such contact: 4711 (mail.NO_SUCH_CONTACT). Check the id with zimbra_search_contacts.',
    );
  });

  test('acts on another mailbox with account', async () => {
    const r = await mcp.call('zimbra_search_contacts', { query: 'support', account: 'team@example.com' });
    expect((data(r).items as unknown[]).length).toBe(1);
    expect(sent(z.emu).at(-1)?.context?.account).toBeDefined();
  });
});

describe('bad input is refused before any request', () => {
  test.each([
    ['zimbra_search_contacts', { query: '   ' }, 'query'],
    ['zimbra_search_contacts', { query: 'a', limit: 5000 }, 'limit'],
    ['zimbra_search_contacts', { query: 'a', account: 'not an address' }, 'account'],
    ['zimbra_get_contacts', { ids: ['257/../1'] }, 'ids'],
    ['zimbra_get_contacts', { ids: ['257,258'] }, 'ids'],
    ['zimbra_get_contacts', { sort_by: 'dateDesc' }, 'sort_by'],
    ['zimbra_create_contact', { attrs: {} }, 'attrs'],
    ['zimbra_create_contact', { attrs: { firstName: 'A' }, members: [{ type: 'C', value: '257' }] }, 'members'],
    ['zimbra_create_contact', { attrs: { firstName: 'A' }, tags: ['a,b'] }, 'tags'],
    ['zimbra_modify_contact', { id: 0, attrs: [{ name: 'a', value: 'b' }] }, 'id'],
    ['zimbra_modify_contact', { id: '25x' }, 'id'],
    ['zimbra_modify_contact', { id: 'zimbraId:257' }, 'id'],
    ['zimbra_modify_contact', { id: '0', attrs: { a: 'b' } }, 'id'],
    ['zimbra_modify_contact', { id: 257, attrs: { email: ['a@b.c'] } }, 'attrs'],
    ['zimbra_list_contact_folders', { account: 'nobody' }, 'account'],
    ['zimbra_modify_contact', { id: 257, attrs: [{ name: 'a', vaule: 'typo' }] }, 'attrs'],
    ['zimbra_modify_contact', { id: 257, attrs: [{ name: 'email', op: '+' }] }, 'attrs.0.value'],
    ['zimbra_modify_contact', { id: 260, members: [{ type: 'C', value: '258' }] }, 'members.0.op'],
    ['zimbra_modify_contact', { id: 260, members: [{ op: '+', type: 'C' }] }, 'members.0.value'],
    [
      'zimbra_modify_contact',
      { id: 260, replace: true, members: [{ op: '+', type: 'C', value: '1' }], confirm: true },
      'members.0.op',
    ],
    ['zimbra_delete_contacts', { ids: [], confirm: true }, 'ids'],
    ['zimbra_move_contacts', { ids: ['257'], folder_id: -3 }, 'folder_id'],
  ])('%s %j', async (name, args, field) => {
    const r = await mcp.call(name, args);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(`${name}: ${field}`);
    expect(z.emu.seen).toHaveLength(0);
  });

  test('members on a contact that is not a group: looked up, refused, no ModifyContactRequest', async () => {
    const r = await mcp.call('zimbra_modify_contact', { id: 257, members: [{ op: '+', type: 'C', value: '258' }] });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('Invalid input: members: only for contact groups; contact 257 has type "contact"');
    // The audit read of the contact, then the type lookup.
    expect(sentOps()).toEqual(['GetContactsRequest', 'GetContactsRequest']);
  });
});

describe('confirmation', () => {
  test('modify in merge mode needs none', async () => {
    const r = await mcp.call('zimbra_modify_contact', { id: 257, attrs: [{ name: 'nickname', value: 'AL' }] });
    expect(r.isError).toBeFalsy();
    expect(sentOps()).toEqual(['GetContactsRequest', 'ModifyContactRequest']);
  });

  test('a reset member needs confirmation; with confirm: true it is sent', async () => {
    const args = { id: 260, members: [{ op: 'reset' }] };
    const r = await mcp.call('zimbra_modify_contact', args);
    expect(text(r)).toMatch(
      /^Confirmation required: remove every member of group 260 \(POST \/service\/soap ModifyContactRequest <cn id="260">\)/,
    );
    expect(z.emu.seen).toHaveLength(0);
    const ok = await mcp.call('zimbra_modify_contact', { ...args, confirm: true });
    expect(ok.isError).toBeFalsy();
    expect(ok.structuredContent?.members).toBeUndefined();
    expect(attr(child(sent(z.emu).at(-1)?.node, 'cn'), 'id')).toBe('260');
  });

  test('delete: gated, then trash; permanent deletes with op="delete"', async () => {
    const r = await mcp.call('zimbra_delete_contacts', { ids: ['258'] });
    expect(text(r)).toBe(
      'Confirmation required: move to Trash contacts ["258"] (POST /service/soap ContactActionRequest <action id="258" op="trash">). Arguments: {"ids":["258"]}. Nothing was sent. Ask the user, then call again with confirm: true.',
    );
    expect(z.emu.seen).toHaveLength(0);
    expect((await mcp.call('zimbra_delete_contacts', { ids: ['258'], confirm: true })).structuredContent).toEqual({
      op: 'trash',
      ids: ['258'],
    });
    const perm = await mcp.call('zimbra_delete_contacts', { ids: ['261'], permanent: true });
    expect(text(perm)).toContain(
      'permanently delete contacts ["261"] (POST /service/soap ContactActionRequest <action id="261" op="delete">)',
    );
    expect(
      (await mcp.call('zimbra_delete_contacts', { ids: ['261'], permanent: true, confirm: true })).structuredContent,
    ).toEqual({ op: 'delete', ids: ['261'] });
    expect(z.mailbox?.contacts.has(261)).toBe(false);
  });

  test('a declined elicitation sends nothing; an accepted one sends', async () => {
    const declined = await mcpClient(h.clients, { elicit: () => ({ action: 'decline' }) });
    const r = await declined.call('zimbra_delete_contacts', { ids: ['257'] });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('Nothing was changed');
    const m = await declined.call('zimbra_modify_contact', {
      id: 257,
      replace: true,
      attrs: [{ name: 'firstName', value: 'X' }],
    });
    expect(text(m)).toContain('Nothing was changed');
    expect(z.emu.seen).toHaveLength(0);
    await declined.close();
    const accepted = await mcpClient(h.clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
    const ok = await accepted.call('zimbra_delete_contacts', { ids: ['257'] });
    expect(ok.structuredContent).toEqual({ op: 'trash', ids: ['257'] });
    expect(sentOps()).toEqual(['GetContactsRequest', 'ContactActionRequest']);
    await accepted.close();
  });
});
