// The native client and emulator held against mailcow-dockerized's own code (mailcow/mailcow-dockerized at
// 06424670): data/web/json_api.php, data/web/inc/functions.mailbox.inc.php (function mailbox($_action,
// $_type…), cited as mailbox('add', 'syncjob') etc.), data/web/inc/functions.inc.php, data/web/inc/init_db.inc.php,
// data/web/templates/modals/mailbox.twig, data/Dockerfiles/dovecot/imapsync_runner.pl, data/web/lang/lang.en-gb.json.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { wordedKeys, words } from '../../src/backends/mailcow/messages.ts';
import { MailcowNative } from '../../src/backends/mailcow/native.ts';
import { MailcowRest } from '../../src/backends/mailcow/rest.ts';
import { mailcowNativeEmulator } from '../../src/sandbox/mailcow/native.ts';
import { mailcowRestEmulator } from '../../src/sandbox/mailcow/rest.ts';
import { MailcowState } from '../../src/sandbox/mailcow/state.ts';
import { FAST, mcpClient, text } from '../harness.ts';

const RW = 'ABCDEF-123456-ABCDEF-123456-ABCDEF';
const state = MailcowState.seeded();
const emu = mailcowNativeEmulator({ keys: { rw: RW }, state });
let mcp: Awaited<ReturnType<typeof mcpClient>>;

beforeAll(async () => {
  const url = await emu.listen();
  mcp = await mcpClient(
    { mailcow: new MailcowNative({ url, apiKey: RW, style: 'native' }, FAST) },
    { rails: { confirm: 'flag' } },
  );
});
afterAll(async () => {
  await mcp.close();
  await emu.close();
});
afterEach(() => emu.clearLog());

/** A raw request to the native emulator, as any client would send it. */
async function post(path: string, body: unknown) {
  const res = await fetch(`${emu.url}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'x-api-key': RW, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const raw = await res.text();
  return { status: res.status, body: raw ? JSON.parse(raw) : undefined };
}
const msgs = (b: unknown) => (b as Array<{ type: string; msg: unknown }>).map((e) => [e.type, e.msg]);
const job = { username: 'john.doe@example.com', host1: 'imap.src.example', user1: 'u', password1: 'p', exclude: '' };
const full = { ...job, port1: 993, enc1: 'SSL', mins_interval: 20 };
const sent = () => emu.seen.filter((s) => s.method === 'POST').map((s) => s.path);
const lastBody = () => JSON.parse(emu.seen.at(-1)!.body);

describe('add/syncjob — mailbox("add", "syncjob")', () => {
  test.each([
    ['port1', { ...full, port1: undefined }],
    ['mins_interval', { ...full, mins_interval: undefined }],
    ['enc1', { ...full, enc1: undefined }],
  ])('no server default for %s: a job without it is access_denied (filter_var / enc1 checks)', async (_f, b) => {
    const r = await post('add/syncjob', b);
    expect(msgs(r.body)).toEqual([['danger', 'access_denied']]);
  });

  test('every missing flag is intval(null) = 0: a job sent without `active` is stored inactive and never runs (imapsync_runner.pl: WHERE active = 1)', async () => {
    const r = await post('add/syncjob', { ...full, user1: 'no-flags' });
    expect(msgs(r.body)).toEqual([['success', ['mailbox_modified', 'john.doe@example.com']]]);
    const listed = await (
      await fetch(`${emu.url}/api/v1/get/syncjobs/john.doe@example.com/no_log`, { headers: { 'x-api-key': RW } })
    ).json();
    const stored = (listed as Array<Record<string, unknown>>).find((j) => j.user1 === 'no-flags')!;
    expect(stored).toMatchObject({ active: '0', automap: 0, delete2duplicates: 0, subscribeall: 0, last_run: null });
  });

  test('no username is no_user_defined; a mailbox that does not exist is access_denied (hasMailboxObjectAccess)', async () => {
    expect(msgs((await post('add/syncjob', { ...full, username: undefined })).body)).toEqual([
      ['danger', 'no_user_defined'],
    ]);
    expect(msgs((await post('add/syncjob', { ...full, username: 'ghost@example.com' })).body)).toEqual([
      ['danger', 'access_denied'],
    ]);
  });

  test('the same source login and host into the same mailbox is ["object_exists", "host / user"]', async () => {
    await post('add/syncjob', { ...full, user1: 'twice' });
    expect(msgs((await post('add/syncjob', { ...full, user1: 'twice' })).body)).toEqual([
      ['danger', ['object_exists', 'imap.src.example / twice']],
    ]);
  });

  test('exclude must compile between slashes (@preg_match("/" . $exclude . "/")); the tool refuses an unescaped "/" before sending', async () => {
    expect(msgs((await post('add/syncjob', { ...full, user1: 'slash', exclude: 'Archive/2019' })).body)).toEqual([
      ['danger', 'access_denied'],
    ]);
    emu.clearLog();
    const r = await mcp.call('mailcow_create_sync_job', { ...job, exclude: 'Archive/2019' });
    expect(r.isError).toBe(true);
    expect(text(r)).toContain('exclude');
    expect(sent()).not.toContain('/api/v1/add/syncjob');
  });

  test('the client sends the form defaults (templates/modals/mailbox.twig), so a minimal job is active, on SSL/993 every 20 minutes, and runs', async () => {
    const r = await mcp.call('mailcow_create_sync_job', { ...job, exclude: undefined, user1: 'minimal' });
    expect(r.isError).toBeFalsy();
    expect(lastBody()).toMatchObject({
      port1: '993',
      enc1: 'SSL',
      mins_interval: 20,
      active: true,
      subscribeall: true,
    });
    const listed = await mcp.call('mailcow_list_sync_jobs', { mailbox: 'john.doe@example.com' });
    const mine = (listed.structuredContent?.items as Array<Record<string, unknown>> | undefined)?.find(
      (j) => j.user1 === 'minimal',
    );
    expect(mine).toMatchObject({ active: true, port1: 993, enc1: 'SSL', mins_interval: 20, success: true });
    expect(mine?.last_run).toEqual(expect.any(String));
  });
});

describe('edit/syncjob and delete/syncjob', () => {
  test('edit/syncjob never reads `username` (mailcow still answers success): the tool does not offer it', async () => {
    const before = [...state.syncjobs.values()][0]!;
    const r = await post('edit/syncjob', { items: [String(before.id)], attr: { username: 'jane.roe@example.com' } });
    expect(msgs(r.body)).toEqual([['success', ['mailbox_modified', 'john.doe@example.com']]]);
    expect(state.syncjobs.get(before.id)?.username).toBe('john.doe@example.com');
    const refused = await mcp.call('mailcow_update_sync_job', { id: before.id, username: 'jane.roe@example.com' });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toContain('username');
    expect(sent()).toEqual(['/api/v1/edit/syncjob']);
  });

  test('on edit the host must pass is_valid_domain_name (functions.inc.php): an underscore is access_denied; the tool refuses it', async () => {
    const id = [...state.syncjobs.values()][0]!.id;
    expect(
      msgs((await post('edit/syncjob', { items: [String(id)], attr: { host1: 'imap_old.example' } })).body),
    ).toEqual([['danger', 'access_denied']]);
    const r = await mcp.call('mailcow_update_sync_job', { id, host1: 'imap_old.example' });
    expect(text(r)).toContain('host1');
  });

  test('a sync job id that does not exist is access_denied on edit and delete; the client says what it likely means', async () => {
    expect(msgs((await post('edit/syncjob', { items: ['999'], attr: { active: 1 } })).body)).toEqual([
      ['danger', 'access_denied'],
    ]);
    const r = await mcp.call('mailcow_delete_sync_job', { id: 999, confirm: true });
    expect(text(r)).toBe(
      'mailcow: Access denied or invalid form data (access_denied) mailcow answers this for a sync job id that does not exist: check it with mailcow_list_sync_jobs.',
    );
  });

  test('delete/syncjob returns false without an entry at a non-numeric id: "Cannot delete item"', async () => {
    expect((await post('delete/syncjob', ['x'])).body).toEqual({ type: 'error', msg: 'Cannot delete item' });
  });
});

describe('mailboxes and TLS policy', () => {
  test('edit/mailbox never reads tls_enforce_in/out and still answers success; edit/tls_policy changes them', async () => {
    const r = await post('edit/mailbox', { items: ['info@example.com'], attr: { tls_enforce_in: 1 } });
    expect(msgs(r.body)).toEqual([['success', ['mailbox_modified', 'info@example.com']]]);
    expect(state.mailboxes.get('info@example.com')?.tls_enforce_in).toBe(false);
    await post('edit/tls_policy', { items: ['info@example.com'], attr: { tls_enforce_in: 1 } });
    expect(state.mailboxes.get('info@example.com')?.tls_enforce_in).toBe(true);
    await post('edit/tls_policy', { items: ['info@example.com'], attr: { tls_enforce_in: 0 } });
  });

  test('the client routes TLS flags to edit/tls_policy and the rest to edit/mailbox; the change shows in the mailbox', async () => {
    const r = await mcp.call('mailcow_update_mailbox', {
      email: 'info@example.com',
      name: 'Desk',
      tls_enforce_out: true,
    });
    expect(r.isError).toBeFalsy();
    expect(sent()).toEqual(['/api/v1/edit/mailbox', '/api/v1/edit/tls_policy']);
    expect(lastBody()).toEqual({ items: ['info@example.com'], attr: { tls_enforce_out: true } });
    const got = await mcp.call('mailcow_get_mailbox', { email: 'info@example.com' });
    expect(got.structuredContent).toMatchObject({ name: 'Desk', tls_enforce_out: true, tls_enforce_in: false });
    emu.clearLog();
    await mcp.call('mailcow_update_mailbox', { email: 'info@example.com', tls_enforce_out: false });
    expect(sent()).toEqual(['/api/v1/edit/tls_policy']);
  });

  test('a mailbox that does not exist is access_denied on edit/mailbox, edit/tls_policy and delete/mailbox', async () => {
    for (const [path, b] of [
      ['edit/mailbox', { items: ['ghost@example.com'], attr: { name: 'x' } }],
      ['edit/tls_policy', { items: ['ghost@example.com'], attr: { tls_enforce_in: 1 } }],
      ['delete/mailbox', ['ghost@example.com']],
    ] as const) {
      expect(msgs((await post(path, b)).body)).toEqual([['danger', 'access_denied']]);
    }
    const r = await mcp.call('mailcow_update_mailbox', { email: 'ghost@example.com', quota: 1 });
    expect(text(r)).toContain('mailbox that does not exist');
  });

  test('edit/mailbox holds a quota against what the domain leaves, its per-mailbox maximum included: mailbox_quota_left_exceeded (the maxquota check compares MiB with bytes and never fires)', async () => {
    const r = await post('edit/mailbox', { items: ['info@example.com'], attr: { quota: 10241 } });
    // example.com: 10240 MiB, of which the other two mailboxes hold 6144.
    expect(msgs(r.body)).toEqual([['danger', ['mailbox_quota_left_exceeded', '4096']]]);
  });

  test('add/mailbox into a domain that does not exist is access_denied (hasDomainAccess comes before domain_not_found)', async () => {
    const b = { local_part: 'x', domain: 'nowhere.example', password: 'Pw-123456', password2: 'Pw-123456' };
    expect(msgs((await post('add/mailbox', b)).body)).toEqual([['danger', 'access_denied']]);
    const { password2: _p, ...args } = b;
    const r = await mcp.call('mailcow_create_mailbox', { ...args, name: 'X' });
    expect(text(r)).toContain('for a domain that does not exist');
  });

  test('add/mailbox over an alias address is is_alias; its success is two entries, rl_saved then mailbox_added', async () => {
    const pw = { password: 'Pw-123456', password2: 'Pw-123456' };
    expect(msgs((await post('add/mailbox', { local_part: 'sales', domain: 'example.com', ...pw })).body)).toEqual([
      ['danger', ['is_alias', 'sales@example.com']],
    ]);
    expect(msgs((await post('add/mailbox', { local_part: 'two', domain: 'example.com', ...pw })).body)).toEqual([
      ['success', ['rl_saved', 'two@example.com']],
      ['success', ['mailbox_added', 'two@example.com']],
    ]);
    await post('delete/mailbox', ['two@example.com']);
  });

  test('max_mailbox_exceeded carries the count and the limit; the client words both', async () => {
    const pw = { password: 'Pw-123456', password2: 'Pw-123456' };
    await post('edit/domain', { items: ['example.com'], attr: { mailboxes: 3 } });
    const r = await post('add/mailbox', { local_part: 'four', domain: 'example.com', ...pw });
    expect(msgs(r.body)).toEqual([['danger', ['max_mailbox_exceeded', '3', '3']]]);
    expect(words(['max_mailbox_exceeded', '3', '3'])).toBe('Max. mailboxes exceeded (3 of 3) (max_mailbox_exceeded)');
    await post('edit/domain', { items: ['example.com'], attr: { mailboxes: 10 } });
  });

  test('a mailbox `active` of 2 is "disallow login" (templates/edit/mailbox.twig): shown active, login disabled', async () => {
    const url = await (async () => {
      const one = mailcowNativeEmulator({ keys: { rw: RW } });
      one.inject({ kind: 'raw', status: 200, body: JSON.stringify({ username: 'a@example.com', active: '2' }) });
      return { one, url: await one.listen() };
    })();
    const c = new MailcowNative({ url: url.url, apiKey: RW, style: 'native' }, FAST);
    expect(await c.getMailbox('a@example.com')).toMatchObject({ active: true, login_disabled: true });
    await url.one.close();
  });
});

describe('domains and aliases', () => {
  test('add/domain answers dkim_added, then domain_added (the template DKIM selector and key size)', async () => {
    expect(msgs((await post('add/domain', { domain: 'audit.example' })).body)).toEqual([
      ['success', ['dkim_added', 'audit.example']],
      ['success', ['domain_added', 'audit.example']],
    ]);
  });

  test('edit/domain of a domain that does not exist is domain_invalid; the client hints at the list', async () => {
    expect(msgs((await post('edit/domain', { items: ['ghost.example'], attr: { quota: 1 } })).body)).toEqual([
      ['danger', 'domain_invalid'],
    ]);
    const r = await mcp.call('mailcow_update_domain', { domain: 'ghost.example', quota: 20000 });
    expect(text(r)).toContain('check it with mailcow_list_domains');
  });

  test('edit/domain reads aliases and description only when non-empty: the client refuses 0 and "" before sending', async () => {
    await post('edit/domain', { items: ['audit.example'], attr: { aliases: 0, description: '' } });
    expect(state.domains.get('audit.example')).toMatchObject({ aliases: 400, description: 'audit.example' });
    for (const [f, v] of [
      ['aliases', 0],
      ['description', ''],
    ] as const) {
      const r = await mcp.call('mailcow_update_domain', { domain: 'audit.example', [f]: v });
      expect(text(r)).toContain(`Invalid input: ${f}: mailcow keeps the current`);
    }
    expect(sent()).toEqual(['/api/v1/edit/domain']);
  });

  test('edit/domain holds the new limits against what is in use (max_quota_in_use, mailboxes_in_use)', async () => {
    expect(
      msgs((await post('edit/domain', { items: ['example.com'], attr: { maxquota: 2048, defquota: 1024 } })).body),
    ).toEqual([['danger', ['max_quota_in_use', '3072']]]);
    expect(msgs((await post('edit/domain', { items: ['example.com'], attr: { mailboxes: 1 } })).body)).toEqual([
      ['danger', ['mailboxes_in_use', '3']],
    ]);
  });

  test('delete/domain of a domain that does not exist checks nothing and answers domain_removed', async () => {
    expect(msgs((await post('delete/domain', ['never.example'])).body)).toEqual([
      ['success', ['domain_removed', 'never.example']],
    ]);
  });

  test('add/alias stores a missing flag as 0; the client sends the form defaults (active, sogo_visible, sender_allowed)', async () => {
    await post('add/alias', { address: 'bare@example.com', goto: 'info@example.com' });
    const bare = [...state.aliases.values()].find((a) => a.address === 'bare@example.com')!;
    expect(bare).toMatchObject({ active: false, sogo_visible: false, sender_allowed: false });
    await mcp.call('mailcow_create_alias', { address: 'full@example.com', goto: ['info@example.com'] });
    expect(lastBody()).toMatchObject({ active: true, sogo_visible: true, sender_allowed: true });
  });

  test('edit/alias of an id that does not exist is ["alias_invalid", null]; delete/alias is access_denied', async () => {
    expect(msgs((await post('edit/alias', { items: ['999'], attr: { active: 1 } })).body)).toEqual([
      ['danger', ['alias_invalid', null]],
    ]);
    const r = await mcp.call('mailcow_update_alias', { id: 999, active: true });
    expect(text(r)).toBe(
      'mailcow: Alias address ? is invalid (alias_invalid) mailcow answers this for an alias id that does not exist: check it with mailcow_list_aliases.',
    );
    expect(msgs((await post('delete/alias', ['999'])).body)).toEqual([['danger', 'access_denied']]);
  });
});

describe('answers with several entries', () => {
  test('a warning next to a success is no failure (mailbox("delete", "domain"): the mail store was not cleaned)', async () => {
    emu.inject(
      {
        kind: 'raw',
        status: 200,
        body: JSON.stringify([
          { type: 'warning', msg: 'Could not move mail storage to garbage collector: x' },
          { type: 'success', msg: ['domain_removed', 'w.example'] },
        ]),
      },
      1,
      'POST',
    );
    const r = await mcp.call('mailcow_delete_domain', { domain: 'w.example', confirm: true });
    expect(r.structuredContent).toEqual({
      type: 'success',
      msg: 'Domain w.example has been removed (domain_removed); Could not move mail storage to garbage collector: x',
    });
  });

  test('a failure next to a success was partly applied, and says so (edit/alias drops an invalid goto, saves the rest)', async () => {
    emu.inject(
      {
        kind: 'raw',
        status: 200,
        body: JSON.stringify([
          { type: 'danger', msg: 'alias_goto_identical' },
          { type: 'success', msg: ['alias_modified', 'sales@example.com'] },
        ]),
      },
      1,
      'POST',
    );
    const r = await mcp.call('mailcow_update_alias', { id: 1, goto: ['sales@example.com', 'info@example.com'] });
    expect(r.content[0]?.text).toBe(
      'mailcow: Alias and goto address must not be identical (alias_goto_identical) Applied nonetheless: Changes to alias address sales@example.com have been saved (alias_modified).',
    );
  });

  test('every msg key the handlers for our operations can return is worded (grep "\'msg\' =>" in the functions cited above)', () => {
    const keys = [
      // mailbox('add', 'domain'), dkim('add'), ratelimit('edit')
      ...['access_denied', 'mailbox_defquota_exceeds_mailbox_maxquota', 'mailbox_quota_exceeds_domain_quota'],
      ...['defquota_empty', 'maxquota_empty', 'domain_invalid', 'object_is_not_numeric', 'domain_exists'],
      ...['domain_cannot_match_hostname', 'tag_limit_exceeded', 'redis_error', 'domain_add_dkim_available'],
      ...['dkim_added', 'dkim_domain_or_sel_invalid', 'rl_saved', 'rl_timeframe', 'domain_added'],
      'domain_added_sogo_failed',
      // mailbox('add', 'mailbox'), password_check
      ...['mailbox_invalid', 'unlimited_quota_acl', 'quarantine_category_invalid', 'object_exists', 'is_alias'],
      ...['is_spam_alias', 'domain_not_found', 'password_complexity', 'password_mismatch', 'max_mailbox_exceeded'],
      ...['mailbox_quota_exceeded', 'mailbox_quota_left_exceeded', 'mailbox_added'],
      // mailbox('add', 'alias'), mailbox('add', 'syncjob')
      ...['comment_too_long', 'alias_empty', 'goto_empty', 'goto_invalid', 'max_alias_exceeded'],
      ...['is_alias_or_mailbox', 'alias_invalid', 'alias_added', 'no_user_defined', 'mailbox_modified'],
      // mailbox('edit', 'domain' | 'mailbox' | 'alias' | 'tls_policy' | 'syncjob')
      ...['max_quota_in_use', 'domain_quota_m_in_use', 'mailboxes_in_use', 'aliases_in_use', 'domain_modified'],
      ...['username_invalid', 'extended_sender_acl_denied', 'extra_acl_invalid', 'extra_acl_invalid_domain'],
      ...['sender_acl_invalid', 'is_not_primary_alias', 'alias_modified', 'alias_goto_identical'],
      // mailbox('delete', 'domain' | 'mailbox' | 'alias' | 'syncjob')
      ...['domain_not_empty', 'domain_removed', 'mailbox_removed', 'alias_removed', 'deleted_syncjob'],
    ];
    expect(keys.filter((k) => !wordedKeys.includes(k))).toEqual([]);
    expect(words(['alias_invalid', null])).toBe('Alias address ? is invalid (alias_invalid)');
  });
});

describe('acceptance, in both API styles', () => {
  test.each(['rest', 'native'] as const)(
    '%s: a minimal sync job is created active and runs; TLS enforcement changes show in the mailbox',
    async (style) => {
      const s = MailcowState.seeded();
      const server =
        style === 'rest'
          ? mailcowRestEmulator({ apiKey: 'k', state: s })
          : mailcowNativeEmulator({ keys: { rw: RW }, state: s });
      const url = await server.listen();
      const client =
        style === 'rest'
          ? new MailcowRest({ url, apiKey: 'k', style }, FAST)
          : new MailcowNative({ url, apiKey: RW, style }, FAST);
      const m = await mcpClient({ mailcow: client }, { rails: { confirm: 'flag' } });
      const made = await m.call('mailcow_create_sync_job', {
        username: 'jane.roe@example.com',
        host1: 'imap.old.example',
        user1: 'jane',
        password1: 'Old-pw-1',
      });
      expect(made.isError).toBeFalsy();
      const jobs = await m.call('mailcow_list_sync_jobs', { mailbox: 'jane.roe@example.com' });
      expect((jobs.structuredContent?.items as unknown[] | undefined)?.[0]).toMatchObject({
        active: true,
        port1: 993,
        enc1: 'SSL',
        mins_interval: 20,
        success: true,
        last_run: expect.any(String),
      });
      const tls = await m.call('mailcow_update_mailbox', {
        email: 'jane.roe@example.com',
        tls_enforce_in: true,
        tls_enforce_out: true,
      });
      expect(tls.isError).toBeFalsy();
      const box = await m.call('mailcow_get_mailbox', { email: 'jane.roe@example.com' });
      expect(box.structuredContent).toMatchObject({ tls_enforce_in: true, tls_enforce_out: true });
      await m.close();
      await server.close();
    },
  );
});
