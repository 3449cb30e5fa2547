import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ZimbraFault, ZimbraSoap } from '../../src/backends/zimbra/soap.ts';
import { attr, child, children, textOf } from '../../src/backends/zimbra/xml.ts';
import { BackendError, errorText, InputError } from '../../src/errors.ts';
import { SANDBOX_KEYS } from '../../src/sandbox/index.ts';
import { FAST, type Harness, startHarness } from '../harness.ts';
import { names, sent, zimbra } from './helpers.ts';

let h: Harness;
let z: ReturnType<typeof zimbra>;
beforeEach(async () => {
  h = await startHarness();
  z = zimbra(h);
});
afterEach(() => h.close());

const ada = 257;
const grace = 258;
const group = 260;

describe('authentication', () => {
  test('logs in once with AuthRequest and sends the token in the context and the cookie', async () => {
    await z.client.getContacts({ ids: ['257'] });
    await z.client.searchContacts({ query: 'ada' });
    const calls = sent(z.emu);
    expect(calls.map((c) => c.name)).toEqual(['AuthRequest', 'GetContactsRequest', 'SearchRequest']);
    expect(calls.every((c) => c.method === 'POST' && c.path === '/service/soap')).toBe(true);
    expect(calls[0]?.headers['content-type']).toBe('application/soap+xml; charset=utf-8');
    expect(textOf(child(calls[0]?.node, 'account'))).toBe('user@example.com');
    expect(attr(child(calls[0]?.node, 'account'), 'by')).toBe('name');
    expect(calls[0]?.context?.authToken).toBeUndefined();
    const token = textOf(child(calls[1]?.context, 'authToken'));
    expect(token).toMatch(/^0_/);
    expect(calls[1]?.headers.cookie).toBe(`ZM_AUTH_TOKEN=${token}`);
    expect(textOf(child(calls[2]?.context, 'authToken'))).toBe(token);
  });

  test('an expired token is answered by exactly one re-login, then the call is repeated', async () => {
    await z.client.getContacts({ ids: ['257'] });
    z.state.expireTokens();
    const [c] = await z.client.getContacts({ ids: ['257'] });
    expect(c?.id).toBe('257');
    expect(names(z.emu)).toEqual([
      'AuthRequest',
      'GetContactsRequest',
      'GetContactsRequest',
      'AuthRequest',
      'GetContactsRequest',
    ]);
  });

  test('a missing session (AUTH_REQUIRED) is renewed too, but only once', async () => {
    await z.client.getContacts({ ids: ['257'] });
    // Every token the server issues from now on is already expired: the one retry must give up.
    z.state.lifetimeMs = 0;
    z.state.expireTokens();
    const err = await z.client.getContacts({ ids: ['257'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ZimbraFault);
    expect((err as ZimbraFault).code).toBe('service.AUTH_EXPIRED');
    expect(names(z.emu).filter((n) => n === 'AuthRequest')).toHaveLength(2);
  });

  test('wrong password: account.AUTH_FAILED with a clear next step and no password in the text', async () => {
    const bad = new ZimbraSoap(
      {
        url: h.sandbox.configs.zimbra?.url ?? '',
        auth: { kind: 'password', username: 'user@example.com', password: 'wrong-pass' },
      },
      FAST,
    );
    const err = await bad.searchContacts({ query: 'ada' }).catch((e) => e);
    expect(err).toBeInstanceOf(ZimbraFault);
    expect(errorText(err)).toBe(
      'zimbra 500: authentication failed for [user@example.com] (account.AUTH_FAILED). Check ZIMBRA_USERNAME and ZIMBRA_PASSWORD.',
    );
    expect(errorText(err)).not.toContain('wrong-pass');
    await bad.close();
  });

  test('a configured token is used as is, without AuthRequest; when it expires the error says what to do', async () => {
    const { token } = z.state.login('user@example.com', SANDBOX_KEYS.zimbra);
    const c = new ZimbraSoap({ url: h.sandbox.configs.zimbra?.url ?? '', auth: { kind: 'token', token } }, FAST);
    expect((await c.getContacts({ ids: ['258'] }))[0]?.attrs?.firstName).toBe('Grace');
    z.state.expireTokens();
    const err = await c.getContacts({ ids: ['258'] }).catch((e) => e);
    expect(errorText(err)).toContain(
      'auth credentials have expired (service.AUTH_EXPIRED). Set a fresh ZIMBRA_AUTH_TOKEN',
    );
    expect(names(z.emu)).toEqual(['GetContactsRequest', 'GetContactsRequest']);
    await c.close();
  });
});

describe('ModifyContact', () => {
  test('merge: sets one attribute, deletes another with an empty value, leaves the rest and the tags alone', async () => {
    const before = (await z.client.getContacts({ ids: ['257'] }))[0];
    const c = await z.client.modifyContact({
      id: ada,
      attrs: [
        { name: 'mobilePhone', value: '+1 555 0100' },
        { name: 'company', value: '' },
      ],
    });
    expect(c.attrs?.mobilePhone).toBe('+1 555 0100');
    expect(c.attrs?.company).toBeUndefined();
    expect(c.attrs?.firstName).toBe('Ada');
    expect(c.tags).toEqual(['vip']);
    expect(c.rev).toBeGreaterThan(before?.rev ?? 0);
    const node = sent(z.emu).at(-1)?.node;
    expect(attr(node, 'replace')).toBeUndefined();
    expect(attr(child(node, 'cn'), 'tn')).toBeUndefined();
  });

  test('+ adds a second value to a multi-valued attribute, - removes one', async () => {
    const added = await z.client.modifyContact({
      id: ada,
      attrs: [{ name: 'email', op: '+', value: 'countess@example.org' }],
    });
    expect(added.attrs?.email).toEqual(['ada@example.com', 'countess@example.org']);
    const removed = await z.client.modifyContact({
      id: ada,
      attrs: [{ name: 'email', op: '-', value: 'ada@example.com' }],
    });
    expect(removed.attrs?.email).toBe('countess@example.org');
    const a = children(child(sent(z.emu).at(-1)?.node, 'cn'), 'a')[0];
    expect([attr(a, 'op'), attr(a, 'n'), textOf(a)]).toEqual(['-', 'email', 'ada@example.com']);
  });

  test('replace: the contact holds exactly the given attributes afterwards', async () => {
    const c = await z.client.modifyContact({
      id: grace,
      replace: true,
      attrs: [
        { name: 'firstName', value: 'Grace B.' },
        { name: 'email', value: 'gbh@example.com' },
      ],
    });
    expect(c.attrs).toEqual({ firstName: 'Grace B.', email: 'gbh@example.com' });
    expect(attr(sent(z.emu).at(-1)?.node, 'replace')).toBe('1');
  });

  test('tags: tn sets exactly the given tags; [] clears them', async () => {
    expect((await z.client.modifyContact({ id: ada, tags: ['friends', 'work'] })).tags).toEqual(['friends', 'work']);
    expect((await z.client.modifyContact({ id: ada, tags: [] })).tags).toBeUndefined();
    expect(attr(child(sent(z.emu).at(-1)?.node, 'cn'), 'tn')).toBe('');
  });

  test('group members: + and - of C, G and I members, with the referenced contacts dereferenced', async () => {
    const c = await z.client.modifyContact({
      id: group,
      members: [
        { op: '-', type: 'C', value: String(grace) },
        { op: '+', type: 'I', value: '"Margaret Hamilton" <mh@example.com>' },
        { op: '+', type: 'G', value: 'uid=kj,ou=people,dc=example,dc=com' },
      ],
    });
    expect(c.members?.map((m) => `${m.type}:${m.value}`)).toEqual([
      'C:257',
      'I:"Linus Torvalds" <linus@example.com>',
      'I:"Margaret Hamilton" <mh@example.com>',
      'G:uid=kj,ou=people,dc=example,dc=com',
    ]);
    expect(c.members?.[0]?.contact?.attrs?.firstName).toBe('Ada');
  });

  test('reset removes every member; members after it are added', async () => {
    const c = await z.client.modifyContact({
      id: group,
      members: [{ op: 'reset' }, { op: '+', type: 'C', value: String(grace) }],
    });
    expect(c.members?.map((m) => m.value)).toEqual([String(grace)]);
  });

  test('replace on a group: members are given without op', async () => {
    const c = await z.client.modifyContact({
      id: group,
      replace: true,
      attrs: [
        { name: 'type', value: 'group' },
        { name: 'nickname', value: 'Core' },
      ],
      members: [{ type: 'C', value: String(ada) }],
    });
    expect(c.attrs).toEqual({ type: 'group', nickname: 'Core' });
    expect(c.members?.map((m) => m.value)).toEqual([String(ada)]);
  });

  test('verbose 0 returns the placeholder; wantImapUid and wantModSeq add i4uid and ms', async () => {
    const quiet = await z.client.modifyContact({ id: ada, verbose: false, attrs: [{ name: 'nickname', value: 'AL' }] });
    expect(quiet).toMatchObject({ id: '257' });
    expect(quiet.attrs).toBeUndefined();
    expect(quiet.mod_seq).toBeUndefined();
    const both = await z.client.modifyContact({
      id: ada,
      verbose: false,
      want_imap_uid: true,
      want_mod_seq: true,
      attrs: [{ name: 'nickname', value: 'A' }],
    });
    expect(both.imap_uid).toBe(257);
    expect(both.mod_seq).toBeGreaterThan(0);
    const full = await z.client.modifyContact({
      id: ada,
      verbose: true,
      want_mod_seq: true,
      attrs: [{ name: 'nickname', value: 'B' }],
    });
    expect(full.attrs?.nickname).toBe('B');
    expect(full.mod_seq).toBeGreaterThan(both.mod_seq ?? 0);
    expect(full.imap_uid).toBeUndefined();
    const node = sent(z.emu).at(-2)?.node;
    expect([attr(node, 'verbose'), attr(node, 'wantImapUid'), attr(node, 'wantModSeq')]).toEqual(['0', '1', '1']);
  });

  test('md, ms and rev change on every modification', async () => {
    const a = await z.client.modifyContact({ id: ada, want_mod_seq: true, attrs: [{ name: 'nickname', value: '1' }] });
    const b = await z.client.modifyContact({ id: ada, want_mod_seq: true, attrs: [{ name: 'nickname', value: '2' }] });
    expect(b.rev).toBeGreaterThan(a.rev ?? 0);
    expect(b.mod_seq).toBeGreaterThan(a.mod_seq ?? 0);
    expect(Date.parse(b.modified ?? '')).toBeGreaterThan(Date.parse(a.modified ?? ''));
  });

  test('attachment attributes by upload id and by item id + part', async () => {
    z.state.uploads.set('up-1', { ct: 'image/png', filename: 'ada.png', size: 1234 });
    const c = await z.client.modifyContact({ id: ada, attrs: [{ name: 'image', upload_id: 'up-1' }] });
    expect(c.attrs?.image).toEqual({ part: '1', content_type: 'image/png', size: 1234, filename: 'ada.png' });
    const g = await z.client.modifyContact({ id: grace, attrs: [{ name: 'image', item_id: ada, part: '1' }] });
    expect(g.attrs?.image).toMatchObject({ content_type: 'image/png', filename: 'ada.png' });
    const err = await z.client
      .modifyContact({ id: grace, attrs: [{ name: 'image', upload_id: 'nope' }] })
      .catch((e) => e);
    expect((err as ZimbraFault).code).toBe('mail.NO_SUCH_UPLOAD');
  });

  test('values with markup, CDATA ends and entities round-trip unchanged', async () => {
    const tricky = ['</a><a n="x">', ']]>', '&amp;', '<![CDATA[x]]>', 'quote " and \' apostrophe'];
    const c = await z.client.modifyContact({
      id: ada,
      attrs: tricky.map((value, i) => ({ name: `custom${i + 1}`, value })),
    });
    expect(tricky.map((_, i) => c.attrs?.[`custom${i + 1}`])).toEqual(tricky);
    const [again] = await z.client.getContacts({ ids: ['257'] });
    expect(tricky.map((_, i) => again?.attrs?.[`custom${i + 1}`])).toEqual(tricky);
    expect(again?.attrs?.notes).toBe('Prefers "Countess" & <b>tea</b>');
  });

  test.each([
    [{ id: ada, replace: true, attrs: [{ name: 'email', op: '+' as const, value: 'x@example.com' }] }, 'attrs[0].op'],
    [{ id: group, members: [{ type: 'C' as const, value: '257' }] }, 'members[0].op'],
    [{ id: group, members: [{ op: '+' as const, value: '257' }] }, 'members[0].type'],
    [{ id: group, members: [{ op: '-' as const, type: 'C' as const }] }, 'members[0].value'],
    [{ id: group, replace: true, members: [{ op: 'reset' as const }] }, 'members[0].op'],
    [{ id: ada, attrs: [{ name: 'email', op: '-' as const, value: '' }] }, 'attrs[0].value'],
    [{ id: ada, attrs: [{ name: ' ', value: 'x' }] }, 'attrs[0].name'],
    [{ id: ada, attrs: [{ name: 'image', item_id: 258 }] }, 'attrs[0].part'],
    [
      {
        id: ada,
        replace: true,
        attrs: [{ name: 'firstName', value: 'A' }],
        members: [{ type: 'C' as const, value: '258' }],
      },
      'members',
    ],
  ])('rule violation %# is refused before sending', async (spec, field) => {
    const err = await z.client.modifyContact(spec).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe(field);
    expect(z.emu.seen).toHaveLength(0);
  });

  test.each([
    [{ id: 999, attrs: [{ name: 'x', value: 'y' }] }, 'mail.NO_SUCH_CONTACT', 'no such contact: 999'],
    [
      { id: group, members: [{ op: '+' as const, type: 'C' as const, value: '257' }] },
      'service.INVALID_REQUEST',
      'member already exists',
    ],
    [
      { id: group, members: [{ op: '-' as const, type: 'I' as const, value: 'nobody' }] },
      'service.INVALID_REQUEST',
      'no such member',
    ],
    [
      { id: ada, members: [{ op: '+' as const, type: 'I' as const, value: 'x' }] },
      'service.INVALID_REQUEST',
      'm is only allowed for contact group',
    ],
  ])('server fault %# comes back as a clear error', async (spec, code, reason) => {
    const err = await z.client.modifyContact(spec).catch((e) => e);
    expect(err).toBeInstanceOf(ZimbraFault);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as ZimbraFault).code).toBe(code);
    expect((err as ZimbraFault).status).toBe(500);
    expect(errorText(err)).toContain(reason);
  });
});

describe('other operations', () => {
  test('CreateContact: attributes (multi-valued too), folder, tags; a group with members', async () => {
    const c = await z.client.createContact({
      attrs: { firstName: 'Katherine', lastName: 'Johnson', email: ['kj@example.com', 'k@example.org'] },
      folder_id: 13,
      tags: ['nasa'],
    });
    expect(c).toMatchObject({
      folder_id: '13',
      file_as: 'Johnson, Katherine',
      tags: ['nasa'],
      attrs: { email: ['kj@example.com', 'k@example.org'] },
    });
    const cn = child(sent(z.emu).at(-1)?.node, 'cn');
    expect([attr(cn, 'l'), attr(cn, 'tn')]).toEqual(['13', 'nasa']);
    expect(children(cn, 'a').map((a) => `${attr(a, 'n')}=${textOf(a)}`)).toEqual([
      'firstName=Katherine',
      'lastName=Johnson',
      'email=kj@example.com',
      'email=k@example.org',
    ]);
    const g = await z.client.createContact({
      attrs: { type: 'group', nickname: 'NASA' },
      members: [{ type: 'C', value: c.id }],
    });
    expect(g.members?.[0]?.contact?.attrs?.firstName).toBe('Katherine');
  });

  test('CreateContact into a folder that does not exist: mail.NO_SUCH_FOLDER', async () => {
    const err = await z.client.createContact({ attrs: { firstName: 'X' }, folder_id: 4242 }).catch((e) => e);
    expect(errorText(err)).toContain(
      'no such folder id: 4242 (mail.NO_SUCH_FOLDER). Check folder_id with zimbra_list_contact_folders.',
    );
  });

  test('GetContacts: by ids with dereferenced members and memberOf; by folder; only some attributes; sorted', async () => {
    const [g] = await z.client.getContacts({ ids: [String(group)], deref_group_members: true });
    expect(g?.members?.map((m) => m.contact?.file_as)).toEqual(['Lovelace, Ada', 'Hopper, Grace', undefined]);
    const [a] = await z.client.getContacts({ ids: ['257'] });
    expect(a?.member_of).toEqual(['260']);
    const emailed = await z.client.getContacts({ folder_id: 13 });
    expect(emailed.map((c) => c.attrs?.firstName)).toEqual(['Alan']);
    const slim = await z.client.getContacts({ folder_id: 7, attrs: ['email'], sort_by: 'nameDesc' });
    expect(slim.map((c) => c.file_as)).toEqual(['Pioneers', 'Lovelace, Ada', 'Hopper, Grace']);
    expect(slim[1]?.attrs).toEqual({ email: 'ada@example.com' });
    const node = sent(z.emu).at(-1)?.node;
    expect([attr(node, 'l'), attr(node, 'sortBy'), attr(node, 'memberOf'), attr(child(node, 'a'), 'n')]).toEqual([
      '7',
      'nameDesc',
      '1',
      'email',
    ]);
  });

  test('SearchRequest types="contact" with limit and offset paging', async () => {
    const p1 = await z.client.searchContacts({ query: 'in:contacts', limit: 2 });
    expect(p1.items.map((c) => c.file_as)).toEqual(['Hopper, Grace', 'Lovelace, Ada']);
    expect(p1).toMatchObject({ offset: 0, limit: 2, has_more: true });
    const p2 = await z.client.searchContacts({ query: 'in:contacts', limit: 2, offset: 2 });
    expect(p2.items.map((c) => c.file_as)).toEqual(['Pioneers']);
    expect(p2.has_more).toBe(false);
    const node = sent(z.emu).at(-1)?.node;
    expect([attr(node, 'types'), attr(node, 'limit'), attr(node, 'offset'), textOf(child(node, 'query'))]).toEqual([
      'contact',
      '2',
      '2',
      'in:contacts',
    ]);
    expect((await z.client.searchContacts({ query: '#email2:turing@example.org' })).items.map((c) => c.id)).toEqual([
      '259',
    ]);
    expect((await z.client.searchContacts({ query: 'babbage' })).items).toEqual([]);
    expect((await z.client.searchContacts({ query: 'babbage in:trash' })).items.map((c) => c.id)).toEqual(['261']);
  });

  test('ContactAction trash, move and delete', async () => {
    expect(await z.client.contactAction('trash', ['258'], undefined)).toEqual({ op: 'trash', ids: ['258'] });
    expect((await z.client.getContacts({ ids: ['258'] }))[0]?.folder_id).toBe('3');
    expect(await z.client.contactAction('move', ['258', '259'], 7)).toEqual({ op: 'move', ids: ['258', '259'] });
    expect((await z.client.getContacts({ ids: ['259'] }))[0]?.folder_id).toBe('7');
    await z.client.contactAction('delete', ['261'], undefined);
    const err = await z.client.getContacts({ ids: ['261'] }).catch((e) => e);
    expect((err as ZimbraFault).code).toBe('mail.NO_SUCH_CONTACT');
    const action = child(sent(z.emu).find((s) => attr(child(s.node, 'action'), 'op') === 'move')?.node, 'action');
    expect([attr(action, 'id'), attr(action, 'l')]).toEqual(['258,259', '7']);
  });

  test('another mailbox through <account by="name">; no rights or no account are faults', async () => {
    const items = await z.client.getContacts({}, { account: 'team@example.com' });
    expect(items.map((c) => c.attrs?.fullName)).toEqual(['Support Desk']);
    const acct = child(sent(z.emu).at(-1)?.context, 'account');
    expect([attr(acct, 'by'), textOf(acct)]).toEqual(['name', 'team@example.com']);
    expect(
      ((await z.client.getContacts({}, { account: 'other@example.com' }).catch((e) => e)) as ZimbraFault).code,
    ).toBe('service.PERM_DENIED');
    expect(
      ((await z.client.getContacts({}, { account: 'ghost@example.com' }).catch((e) => e)) as ZimbraFault).code,
    ).toBe('account.NO_SUCH_ACCOUNT');
  });

  test('cancellation and an unreachable server are BackendErrors', async () => {
    const ctl = new AbortController();
    ctl.abort();
    expect(errorText(await z.client.searchContacts({ query: 'a' }, { signal: ctl.signal }).catch((e) => e))).toContain(
      'zimbra',
    );
    const gone = new ZimbraSoap({ url: 'http://127.0.0.1:9', auth: { kind: 'token', token: 'abcd-token' } }, FAST);
    expect(errorText(await gone.searchContacts({ query: 'a' }).catch((e) => e))).toMatch(
      /^zimbra: cannot reach .* Check ZIMBRA_URL/,
    );
    await gone.close();
  });

  test('listContactFolders: GetFolderRequest view="contact", flattened with ids, paths, parents and counts', async () => {
    const folders = await z.client.listContactFolders();
    const [call] = sent(z.emu).filter((c) => c.name !== 'AuthRequest');
    expect(call?.name).toBe('GetFolderRequest');
    expect(attr(call?.node, 'view')).toBe('contact');
    expect(folders).toEqual([
      { id: 3, name: 'Trash', path: '/Trash', parent_id: 1, count: 1, shared_by: undefined },
      { id: 7, name: 'Contacts', path: '/Contacts', parent_id: 1, count: 3, shared_by: undefined },
      { id: 262, name: 'Suppliers', path: '/Contacts/Suppliers', parent_id: 7, count: 0, shared_by: undefined },
      { id: 13, name: 'Emailed Contacts', path: '/Emailed Contacts', parent_id: 1, count: 1, shared_by: undefined },
    ]);
    const team = await z.client.listContactFolders({ account: 'team@example.com' });
    expect(team.find((f) => f.id === 7)?.count).toBe(1);
  });
});
