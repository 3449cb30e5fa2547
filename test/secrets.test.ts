import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildClients } from '../src/backends/index.ts';
import { MailcowRest } from '../src/backends/mailcow/rest.ts';
import { setLogLevel, setLogSink } from '../src/log.ts';
import { mailcowRestEmulator } from '../src/sandbox/mailcow/rest.ts';
import { FAST, mcpClient } from './harness.ts';

const KEY = 'SECRET-mailcow-key-5b1d2e';
const PASSWORDS = ['Mailbox-pass-Q7w8', 'Sync-pass-Z9x0'];
const emu = mailcowRestEmulator({ apiKey: KEY });
const lines: string[] = [];

beforeAll(async () => {
  await emu.listen();
  setLogLevel('debug');
  setLogSink((l) => lines.push(l));
});
afterAll(async () => {
  setLogLevel('silent');
  await emu.close();
});

test('no configured secret or password argument appears in any result, error, log line or tools/list', async () => {
  const good = buildClients({ mailcow: { url: emu.url, apiKey: KEY, style: 'rest' } }, FAST);
  const outputs: string[] = [];
  const c = await mcpClient(good);
  outputs.push(JSON.stringify(await c.client.listTools()));
  const calls: Array<[string, Record<string, unknown>]> = [
    ['mailcow_list_domains', {}],
    ['mailcow_create_mailbox', { domain: 'example.com', local_part: 's1', name: 'S', password: PASSWORDS[0] }],
    ['mailcow_create_mailbox', { domain: 'nope.example', local_part: 's2', name: 'S', password: PASSWORDS[0] }],
    ['mailcow_update_mailbox', { email: 's1@example.com', password: PASSWORDS[0] }],
    ['mailcow_get_mailbox', { email: 's1@example.com' }],
    [
      'mailcow_create_sync_job',
      { username: 's1@example.com', host1: 'imap.x.example', user1: 'u', password1: PASSWORDS[1] },
    ],
    [
      'mailcow_create_sync_job',
      { username: 's1@example.com', host1: 'imap.x.example', user1: 'u', password1: PASSWORDS[1] },
    ],
    ['mailcow_list_sync_jobs', {}],
    ['mailcow_delete_mailbox', { email: 's1@example.com' }],
  ];
  for (const [name, args] of calls) outputs.push(JSON.stringify(await c.call(name, args)));
  await c.close();

  // A wrong key is echoed by nothing either; neither is the right one when the server refuses it.
  const bad = { mailcow: new MailcowRest({ url: emu.url, apiKey: `${KEY}-wrong`, style: 'rest' }, FAST) };
  const b = await mcpClient(bad);
  outputs.push(JSON.stringify(await b.call('mailcow_list_domains')));
  await b.close();

  const everything = [...outputs, ...lines].join('\n');
  expect(lines.length).toBeGreaterThan(5);
  expect(everything).toContain('mailcow 401');
  for (const secret of [KEY, ...PASSWORDS]) expect(everything).not.toContain(secret);
  // The wire did carry them: the test would notice a leak.
  expect(emu.seen.some((s) => s.headers.authorization === `Bearer ${KEY}`)).toBe(true);
  expect(emu.seen.some((s) => s.body.includes(PASSWORDS[1] as string))).toBe(true);
});
