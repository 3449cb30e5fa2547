import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { RackspaceEmulator } from '../../src/sandbox/rackspace/rest.ts';
import { data, type Harness, mcpClient, startHarness, type ToolResult, text } from '../harness.ts';

const P = '/v1/customers/12345678/domains/example.com/ex';
const PREVIEW = '/customers/12345678/domains/example.com/ex';
const D = 'example.com';
const CATALOG = [
  'rackspace_list_exchange_mailboxes',
  'rackspace_get_exchange_mailbox',
  'rackspace_create_exchange_mailbox',
  'rackspace_update_exchange_mailbox',
  'rackspace_delete_exchange_mailbox',
  'rackspace_add_email_address',
  'rackspace_remove_email_address',
  'rackspace_list_spam_list',
  'rackspace_add_spam_list_entry',
  'rackspace_remove_spam_list_entry',
  'rackspace_get_spam_settings',
  'rackspace_update_spam_settings',
  'rackspace_list_blackberry_mailboxes',
  'rackspace_add_blackberry_service',
  'rackspace_remove_blackberry_service',
  'rackspace_list_activesync_mailboxes',
  'rackspace_add_activesync_service',
  'rackspace_remove_activesync_service',
];
const DESTRUCTIVE = [
  'rackspace_delete_exchange_mailbox',
  'rackspace_remove_email_address',
  'rackspace_remove_blackberry_service',
  'rackspace_remove_activesync_service',
];
const PASSWORD = 'Sup3r-secret-pw!';
const ACTIVATION = 'act-24680';

let h: Harness;
let emu: RackspaceEmulator;
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  h = await startHarness();
  emu = h.sandbox.emulators.rackspace as RackspaceEmulator;
  emu.limits = { get: 10_000, write: 10_000, windowMs: 60_000 };
  mcp = await mcpClient(h.clients, { rails: { confirm: 'flag' } });
});
afterAll(async () => {
  await mcp.close();
  await h.close();
});
beforeEach(() => emu.clearLog());

const wire = () => emu.seen.map((s) => `${s.method} ${s.path}`);
function ok(r: ToolResult): Record<string, unknown> {
  expect(r.isError, text(r)).toBeFalsy();
  expect(data(r)).toEqual(r.structuredContent);
  return r.structuredContent as Record<string, unknown>;
}

describe('listing', () => {
  test('the 18 catalog tools, with hints, and confirm only on the destructive ones', async () => {
    const { tools } = await mcp.client.listTools();
    const mine = tools.filter((t) => t.name.startsWith('rackspace_'));
    expect(mine.map((t) => t.name)).toEqual(CATALOG);
    for (const t of mine) {
      const destructive = DESTRUCTIVE.includes(t.name);
      expect(t.annotations?.destructiveHint, t.name).toBe(destructive);
      expect(t.annotations?.readOnlyHint, t.name).toBe(['list', 'get'].includes(t.name.split('_')[1] as string));
      expect('confirm' in (t.inputSchema.properties ?? {}), t.name).toBe(destructive);
      expect(t.description?.length).toBeLessThanOrEqual(160);
      expect(t.outputSchema, t.name).toBeUndefined();
    }
  });

  test('parameters whose meaning is not evident are described; addresses carry format email', async () => {
    const { tools } = await mcp.client.listTools();
    type Prop = { description?: string; format?: string; enum?: string[] };
    const props = (n: string) =>
      (tools.find((t) => t.name === n)?.inputSchema.properties ?? {}) as Record<string, Prop>;
    const create = props('rackspace_create_exchange_mailbox');
    expect(create.mailbox?.description).toMatch(/local part/i);
    expect(create.size?.description).toMatch(/MB/);
    expect(create.domain?.format).toBe('hostname');
    expect(create.emailForwardingAddress?.description).toBeDefined();
    const spam = props('rackspace_update_spam_settings');
    expect(spam.filterlevel?.description).toMatch(/exclusive: only safelisted senders/);
    expect(spam.quarantineowner).toMatchObject({ format: 'email', description: expect.any(String) });
    expect(spam.sendtodomainquarantine?.description).toBeDefined();
    expect(props('rackspace_add_email_address').address?.format).toBe('email');
    expect(props('rackspace_list_spam_list').list?.enum).toEqual([
      'blacklist',
      'ipblacklist',
      'safelist',
      'ipsafelist',
      'blocklist',
      'ipblocklist',
    ]);
  });
});

describe('spam lists under their newer names, and exclusive on an empty safelist', () => {
  // Wire notes §6: `spam/{blocklist|ipblocklist|…}`, older clients `blacklist`/`ipblacklist`; the seed's
  // segment is what we send.
  test('blocklist and ipblocklist are sent as the seed segments blacklist and ipblacklist', async () => {
    const added = ok(
      await mcp.call('rackspace_add_spam_list_entry', {
        domain: D,
        mailbox: 'alex.smith',
        list: 'blocklist',
        entry: 'bulk@junk.example',
      }),
    );
    expect(added.request).toBe(`POST ${PREVIEW}/mailboxes/alex.smith/spam/blacklist/bulk@junk.example`);
    const listed = ok(
      await mcp.call('rackspace_list_spam_list', { domain: D, mailbox: 'alex.smith', list: 'blocklist' }),
    );
    expect(listed.items).toEqual(['anyone@spam.com', 'bulk@junk.example']);
    ok(await mcp.call('rackspace_list_spam_list', { domain: D, mailbox: 'alex.smith', list: 'ipblocklist' }));
    ok(
      await mcp.call('rackspace_remove_spam_list_entry', {
        domain: D,
        mailbox: 'alex.smith',
        list: 'blocklist',
        entry: 'bulk@junk.example',
      }),
    );
    expect(wire()).toEqual([
      `POST ${P}/mailboxes/alex.smith/spam/blacklist/bulk@junk.example`,
      `GET ${P}/mailboxes/alex.smith/spam/blacklist`,
      `GET ${P}/mailboxes/alex.smith/spam/ipblacklist`,
      `DELETE ${P}/mailboxes/alex.smith/spam/blacklist/bulk@junk.example`,
    ]);
  });

  test('a spam list is paged by the server: size and offset over the whole list', async () => {
    const page = ok(
      await mcp.call('rackspace_list_spam_list', {
        domain: D,
        mailbox: 'alex.smith',
        list: 'safelist',
        size: 1,
        offset: 1,
      }),
    );
    expect(page).toEqual({ items: [], offset: 1, size: 1, total: 1 });
    expect(
      ok(await mcp.call('rackspace_list_spam_list', { domain: D, mailbox: 'alex.smith', list: 'safelist', size: 1 })),
    ).toEqual({ items: ['anyone@yahoo.com'], offset: 0, size: 1, total: 1 });
  });

  test('exclusive with empty safelists: set as asked, with a warning that reads the lists first', async () => {
    const r = ok(
      await mcp.call('rackspace_update_spam_settings', { domain: D, mailbox: 'john.smith', filterlevel: 'exclusive' }),
    );
    expect(r.warning).toMatch(/safelist and IP safelist are empty.*receives no mail.*rackspace_add_spam_list_entry/);
    expect(wire()).toEqual([
      `GET ${P}/mailboxes/john.smith/spam/settings`, // before
      `GET ${P}/mailboxes/john.smith/spam/safelist`,
      `GET ${P}/mailboxes/john.smith/spam/ipsafelist`,
      `PUT ${P}/mailboxes/john.smith/spam/settings`,
    ]);
    expect(emu.state.mailboxOf(D, 'john.smith').spam.filterLevel).toBe('exclusive');
    // A safelisted sender: no warning, one read.
    emu.clearLog();
    const safe = ok(
      await mcp.call('rackspace_update_spam_settings', { domain: D, mailbox: 'alex.smith', filterlevel: 'exclusive' }),
    );
    expect(safe.warning).toBeUndefined();
    expect(wire()).toEqual([
      `GET ${P}/mailboxes/alex.smith/spam/settings`, // before
      `GET ${P}/mailboxes/alex.smith/spam/safelist`,
      `PUT ${P}/mailboxes/alex.smith/spam/settings`,
    ]);
    // on/off read no list first (only the audit's before-image).
    emu.clearLog();
    ok(await mcp.call('rackspace_update_spam_settings', { domain: D, mailbox: 'alex.smith', filterlevel: 'on' }));
    expect(wire()).toEqual([
      `GET ${P}/mailboxes/alex.smith/spam/settings`,
      `PUT ${P}/mailboxes/alex.smith/spam/settings`,
    ]);
  });
});

describe('an assistant administers a mailbox end to end', () => {
  test('create, alias, block a sender and an IP, tighten spam, mobile services, then delete after confirmation', async () => {
    const created = ok(
      await mcp.call('rackspace_create_exchange_mailbox', {
        domain: D,
        mailbox: 'pat.lee',
        displayName: 'Pat Lee',
        password: PASSWORD,
        size: 1024,
        mobilenumber: '5550100',
        isHidden: false,
      }),
    );
    expect(created).toEqual({ ok: true, request: `POST ${PREVIEW}/mailboxes/pat.lee` });
    expect(emu.seen[0]?.body).toBe(
      `displayName=Pat+Lee&${new URLSearchParams({ password: PASSWORD })}&size=1024&isHidden=false&mobilenumber=5550100`,
    );

    const list = ok(await mcp.call('rackspace_list_exchange_mailboxes', { domain: D, size: 2, offset: 1 }));
    expect(list).toMatchObject({ offset: 1, size: 2, total: 3, items: [{ name: 'john.smith' }, { name: 'pat.lee' }] });

    ok(
      await mcp.call('rackspace_update_exchange_mailbox', {
        domain: D,
        mailbox: 'pat.lee',
        jobTitle: 'Analyst',
        enabled: true,
      }),
    );
    expect(emu.seen.at(-1)?.body).toBe('enabled=true&jobTitle=Analyst');

    ok(await mcp.call('rackspace_add_email_address', { domain: D, mailbox: 'pat.lee', address: 'pat@example.com' }));
    const box = ok(await mcp.call('rackspace_get_exchange_mailbox', { domain: D, mailbox: 'pat.lee' }));
    expect(box).toMatchObject({
      displayName: 'Pat Lee',
      contactInfo: { jobTitle: 'Analyst', mobileNumber: '5550100' },
    });
    expect(box.emailAddressList).toEqual([
      { address: 'pat.lee@example.com', replyTo: true },
      { address: 'pat@example.com', replyTo: false },
    ]);
    // Empty strings are dropped by default: emailForwardingAddress '' does not show.
    expect(box).not.toHaveProperty('emailForwardingAddress');

    ok(
      await mcp.call('rackspace_add_spam_list_entry', {
        domain: D,
        mailbox: 'pat.lee',
        list: 'blacklist',
        entry: 'spammer@junk.example',
      }),
    );
    ok(
      await mcp.call('rackspace_add_spam_list_entry', {
        domain: D,
        mailbox: 'pat.lee',
        list: 'ipblacklist',
        entry: '198.51.100.7',
      }),
    );
    ok(
      await mcp.call('rackspace_add_spam_list_entry', {
        domain: D,
        mailbox: 'pat.lee',
        list: 'ipsafelist',
        entry: '2001:db8::7',
      }),
    );
    expect(
      ok(await mcp.call('rackspace_list_spam_list', { domain: D, mailbox: 'pat.lee', list: 'ipblacklist' })),
    ).toEqual({
      items: ['198.51.100.7'],
      offset: 0,
      size: 250,
      total: 1,
    });
    // The IP safelist holds an entry, so exclusive lets that sender through: no warning.
    const exclusive = ok(
      await mcp.call('rackspace_update_spam_settings', {
        domain: D,
        mailbox: 'pat.lee',
        filterlevel: 'exclusive',
        sendtodomainquarantine: true,
      }),
    );
    expect(exclusive.warning).toBeUndefined();
    expect(ok(await mcp.call('rackspace_get_spam_settings', { domain: D, mailbox: 'pat.lee' }))).toEqual({
      filterLevel: 'exclusive',
      sendToDomainQuarantine: true,
    });

    ok(await mcp.call('rackspace_add_activesync_service', { domain: D, mailbox: 'pat.lee' }));
    ok(
      await mcp.call('rackspace_add_blackberry_service', {
        domain: D,
        mailbox: 'pat.lee',
        activationPassword: ACTIVATION,
      }),
    );
    expect(ok(await mcp.call('rackspace_list_activesync_mailboxes', { domain: D })).items).toEqual([
      { name: 'alex.smith', displayName: 'Alex Smith' },
      { name: 'pat.lee', displayName: 'Pat Lee' },
    ]);
    expect(ok(await mcp.call('rackspace_list_blackberry_mailboxes', { domain: D })).items).toEqual([
      { name: 'pat.lee', displayName: 'Pat Lee' },
    ]);

    ok(
      await mcp.call('rackspace_remove_spam_list_entry', {
        domain: D,
        mailbox: 'pat.lee',
        list: 'ipsafelist',
        entry: '2001:db8::7',
      }),
    );

    expect(wire()).toEqual([
      `POST ${P}/mailboxes/pat.lee`,
      `GET ${P}/mailboxes?size=2&offset=1`,
      `GET ${P}/mailboxes/pat.lee`, // read for the audit record's `before`
      `PUT ${P}/mailboxes/pat.lee`,
      `POST ${P}/mailboxes/pat.lee/emailaddresses/pat@example.com`,
      `GET ${P}/mailboxes/pat.lee`,
      `POST ${P}/mailboxes/pat.lee/spam/blacklist/spammer@junk.example`,
      `POST ${P}/mailboxes/pat.lee/spam/ipblacklist/198.51.100.7`,
      `POST ${P}/mailboxes/pat.lee/spam/ipsafelist/2001%3Adb8%3A%3A7`,
      `GET ${P}/mailboxes/pat.lee/spam/ipblacklist`,
      `GET ${P}/mailboxes/pat.lee/spam/settings`, // before
      `GET ${P}/mailboxes/pat.lee/spam/safelist`,
      `GET ${P}/mailboxes/pat.lee/spam/ipsafelist`,
      `PUT ${P}/mailboxes/pat.lee/spam/settings`,
      `GET ${P}/mailboxes/pat.lee/spam/settings`,
      `POST ${P}/mailboxes/pat.lee/activesyncmobileservice`,
      `POST ${P}/mailboxes/pat.lee/blackberrymobileservice`,
      `GET ${P}/activesyncmobileservices`,
      `GET ${P}/blackberrymobileservices`,
      `DELETE ${P}/mailboxes/pat.lee/spam/ipsafelist/2001%3Adb8%3A%3A7`,
    ]);
    expect(emu.seen.find((s) => s.path.endsWith('/spam/settings') && s.method === 'PUT')?.body).toBe(
      'filterlevel=exclusive&sendtodomainquarantine=true',
    );
    expect(emu.seen.find((s) => s.path.endsWith('/blackberrymobileservice'))?.body).toBe(
      `activationPassword=${ACTIVATION}`,
    );
  });

  test.each([
    [
      'rackspace_remove_blackberry_service',
      { mailbox: 'pat.lee' },
      `DELETE ${PREVIEW}/mailboxes/pat.lee/blackberrymobileservice`,
    ],
    [
      'rackspace_remove_activesync_service',
      { mailbox: 'pat.lee' },
      `DELETE ${PREVIEW}/mailboxes/pat.lee/activesyncmobileservice`,
    ],
    [
      'rackspace_remove_email_address',
      { mailbox: 'pat.lee', address: 'pat@example.com' },
      `DELETE ${PREVIEW}/mailboxes/pat.lee/emailaddresses/pat@example.com`,
    ],
    ['rackspace_delete_exchange_mailbox', { mailbox: 'pat.lee' }, `DELETE ${PREVIEW}/mailboxes/pat.lee`],
  ])('%s: nothing without confirmation, sent with confirm: true', async (name, args, request) => {
    const asked = await mcp.call(name, { domain: D, ...args });
    expect(asked.isError).toBe(true);
    expect(text(asked)).toMatch(/^Confirmation required: /);
    expect(text(asked)).toContain(`(${request})`);
    expect(emu.seen).toHaveLength(0);
    expect(ok(await mcp.call(name, { domain: D, ...args, confirm: true }))).toEqual({ ok: true, request });
    // Mailbox and address removals read the mailbox first, for the audit record's `before`.
    const before = name.endsWith('_service') ? [] : [`GET /v1${PREVIEW}/mailboxes/${args.mailbox}`];
    expect(wire()).toEqual([...before, request.replace('DELETE ', `DELETE /v1`)]);
  });

  test('afterwards the mailbox is gone', async () => {
    const r = await mcp.call('rackspace_get_exchange_mailbox', { domain: D, mailbox: 'pat.lee' });
    expect(r.isError).toBe(true);
    expect(text(r)).toBe('rackspace 404: Mailbox not found Check the name with rackspace_list_exchange_mailboxes.');
  });
});

describe('elicitation', () => {
  test('a declined confirmation sends nothing; an accepted one sends the delete', async () => {
    const declined = await mcpClient(h.clients, { elicit: () => ({ action: 'decline' }) });
    const r = await declined.call('rackspace_remove_activesync_service', { domain: D, mailbox: 'alex.smith' });
    expect(r.isError).toBeFalsy();
    expect(text(r)).toContain('Nothing was changed');
    expect(text(r)).toContain(`DELETE ${PREVIEW}/mailboxes/alex.smith/activesyncmobileservice`);
    expect(emu.seen).toHaveLength(0);
    await declined.close();
    const accepted = await mcpClient(h.clients, { elicit: () => ({ action: 'accept', content: { confirm: true } }) });
    ok(await accepted.call('rackspace_remove_activesync_service', { domain: D, mailbox: 'alex.smith' }));
    expect(wire()).toEqual([`DELETE ${P}/mailboxes/alex.smith/activesyncmobileservice`]);
    await accepted.close();
  });
});

describe('input is checked before anything is sent', () => {
  const box = { domain: D, mailbox: 'alex.smith' };
  test.each([
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: '../john.smith' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: 'a/b' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: 'x?size=1' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: 'x#frag' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: 'a%2Fb' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: D, mailbox: 'alex.smith@example.com' }, 'mailbox'],
    ['rackspace_get_exchange_mailbox', { domain: 'example.com/../x', mailbox: 'alex.smith' }, 'domain'],
    ['rackspace_get_exchange_mailbox', { domain: 'localhost', mailbox: 'alex.smith' }, 'domain'],
    ['rackspace_get_exchange_mailbox', { ...box, extra: 1 }, 'extra'],
    ['rackspace_list_exchange_mailboxes', { domain: D, size: 251 }, 'size'],
    ['rackspace_list_exchange_mailboxes', { domain: D, offset: -1 }, 'offset'],
    ['rackspace_create_exchange_mailbox', { ...box, displayName: 'A', password: 'Secret123!@#', size: 0 }, 'size'],
    ['rackspace_create_exchange_mailbox', { ...box, displayName: 'A', password: 'Secret123!@#', size: 1.5 }, 'size'],
    ['rackspace_create_exchange_mailbox', { ...box, password: 'Secret123!@#', size: 10 }, 'displayName'],
    [
      'rackspace_create_exchange_mailbox',
      { ...box, displayName: 'A', password: 'Secret123!@#', size: 10, extraStorage: 5 },
      'extraStorage',
    ],
    [
      'rackspace_update_exchange_mailbox',
      { ...box, emailForwardingAddress: 'not-an-address' },
      'emailForwardingAddress',
    ],
    ['rackspace_update_exchange_mailbox', { ...box, enabled: 'yes' }, 'enabled'],
    ['rackspace_add_email_address', { ...box, address: 'abc' }, 'address'],
    ['rackspace_remove_email_address', { ...box, address: 'a/b@example.com', confirm: true }, 'address'],
    ['rackspace_list_spam_list', { ...box, list: 'blocklists' }, 'list'],
    ['rackspace_list_spam_list', { ...box, list: 'blacklist', size: 5000 }, 'size'],
    ['rackspace_add_spam_list_entry', { ...box, list: 'ipblocklist', entry: 'anyone@spam.com' }, 'entry'],
    ['rackspace_list_blackberry_mailboxes', { domain: D, size: 251 }, 'size'],
    ['rackspace_add_spam_list_entry', { ...box, list: 'blacklist', entry: 'abc' }, 'entry'],
    ['rackspace_add_spam_list_entry', { ...box, list: 'ipblacklist', entry: '123' }, 'entry'],
    ['rackspace_add_spam_list_entry', { ...box, list: 'ipsafelist', entry: 'anyone@yahoo.com' }, 'entry'],
    ['rackspace_add_spam_list_entry', { ...box, list: 'safelist', entry: '../../x' }, 'entry'],
    ['rackspace_remove_spam_list_entry', { ...box, list: 'ipblacklist', entry: '216.12.34.1/24' }, 'entry'],
    ['rackspace_update_spam_settings', { ...box, filterlevel: 'high' }, 'filterlevel'],
    ['rackspace_update_spam_settings', { ...box, filterlevel: 'on', quarantineowner: 'nobody' }, 'quarantineowner'],
    ['rackspace_add_blackberry_service', { ...box }, 'activationPassword'],
    ['rackspace_remove_blackberry_service', { domain: D, mailbox: '..', confirm: true }, 'mailbox'],
    ['rackspace_list_activesync_mailboxes', { domain: 'abc' }, 'domain'],
  ])('%s %j names %s', async (name, args, field) => {
    const r = await mcp.call(name, args as Record<string, unknown>);
    expect(r.isError).toBe(true);
    expect(text(r)).toContain(field);
    expect(emu.seen).toHaveLength(0);
  });
});

describe('backend errors and secrets', () => {
  test("the API's own words, with status and a next step", async () => {
    const own = await mcp.call('rackspace_add_spam_list_entry', {
      domain: D,
      mailbox: 'alex.smith',
      list: 'blacklist',
      entry: 'example.com',
    });
    expect(text(own)).toBe('rackspace 400: Adding example.com would blacklist the current domain');
    const missing = await mcp.call('rackspace_remove_spam_list_entry', {
      domain: D,
      mailbox: 'alex.smith',
      list: 'blacklist',
      entry: 'abc@junkmail.com',
    });
    expect(text(missing)).toBe('rackspace 400: abc@junkmail.com is not found on the blacklist');
    const dup = await mcp.call('rackspace_add_activesync_service', { domain: D, mailbox: 'john.smith' });
    ok(dup);
    const again = await mcp.call('rackspace_add_activesync_service', { domain: D, mailbox: 'john.smith' });
    expect(text(again)).toBe('rackspace 400: User john.smith@example.com has ActiveSync Mobile Service already');
    const domain = await mcp.call('rackspace_list_blackberry_mailboxes', { domain: 'abc.com' });
    expect(text(domain)).toBe('rackspace 404: abc.com not found Check the domain name.');
  });

  test('passwords appear in no result, preview or error', async () => {
    const results = [
      await mcp.call('rackspace_create_exchange_mailbox', {
        domain: D,
        mailbox: 'sam.ray',
        displayName: 'Sam',
        password: 'short',
        size: 10,
      }),
      await mcp.call('rackspace_create_exchange_mailbox', {
        domain: D,
        mailbox: 'sam.ray',
        displayName: 'Sam',
        password: PASSWORD,
        size: 10,
      }),
      await mcp.call('rackspace_update_exchange_mailbox', { domain: D, mailbox: 'sam.ray', password: PASSWORD }),
      await mcp.call('rackspace_add_blackberry_service', {
        domain: D,
        mailbox: 'sam.ray',
        activationPassword: ACTIVATION,
      }),
      await mcp.call('rackspace_add_blackberry_service', {
        domain: D,
        mailbox: 'sam.ray',
        activationPassword: ACTIVATION,
      }),
      await mcp.call('rackspace_get_exchange_mailbox', { domain: D, mailbox: 'sam.ray' }),
      await mcp.call('rackspace_delete_exchange_mailbox', { domain: D, mailbox: 'sam.ray' }),
    ];
    expect(text(results[0] as ToolResult)).toBe('rackspace 400: Password must be at least 8 characters long');
    expect(text(results[4] as ToolResult)).toBe(
      'rackspace 400: User sam.ray@example.com has BlackBerry Mobile Service already',
    );
    for (const r of results) {
      const all = JSON.stringify(r);
      for (const secret of ['short', PASSWORD, ACTIVATION, 'Secret123']) expect(all).not.toContain(secret);
    }
  });
});
