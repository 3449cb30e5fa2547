import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { faultMessage, type RackspaceClient, USER_AGENT } from '../../src/backends/rackspace/client.ts';
import { apiSignature, signatureHash } from '../../src/backends/rackspace/sign.ts';
import { BackendError } from '../../src/errors.ts';
import type { Emulator } from '../../src/sandbox/emulator.ts';
import { SANDBOX_KEYS } from '../../src/sandbox/index.ts';
import type { RackspaceEmulator } from '../../src/sandbox/rackspace/rest.ts';
import { type Harness, startHarness } from '../harness.ts';

/** Relative to RACKSPACE_URL (for raw client sends), and as seen on the wire. */
const R = '/customers/12345678/domains/example.com/ex';
const P = `/v1${R}`;
let h: Harness;
let c: RackspaceClient;
let emu: Emulator;

beforeAll(async () => {
  h = await startHarness();
  c = h.clients.rackspace as RackspaceClient;
  emu = h.sandbox.emulators.rackspace as Emulator;
  // These tests exercise the API, not its limits (limits.test.ts does).
  (emu as RackspaceEmulator).limits = { get: 10_000, write: 10_000, windowMs: 60_000 };
});
afterAll(() => h.close());
beforeEach(() => emu.clearLog());

const last = () => emu.seen.at(-1) as Emulator['seen'][number];
const wire = () => emu.seen.map((s) => `${s.method} ${s.path}`);

async function refused(p: Promise<unknown>, status: number, message: string): Promise<BackendError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BackendError);
  const e = err as BackendError;
  expect({ backend: e.backend, status: e.status, message: e.message }).toEqual({
    backend: 'rackspace',
    status,
    message,
  });
  return e;
}

/** A hand-signed request, to reach wire rows the client never produces. */
async function raw(path: string, opts: { method?: string; accept?: string; ua?: string; signUa?: string } = {}) {
  const ua = opts.ua ?? 'raw-test';
  const sig = apiSignature(SANDBOX_KEYS.rackspaceUser, SANDBOX_KEYS.rackspaceSecret, opts.signUa ?? ua, new Date());
  const headers: Record<string, string> = { 'user-agent': ua, 'x-api-signature': sig };
  if (opts.accept) headers.accept = opts.accept;
  const url = String(h.sandbox.configs.rackspace?.url).replace(/\/v1$/, '');
  const res = await request(`${url}${path}`, { method: (opts.method ?? 'GET') as 'GET', headers });
  return {
    status: res.statusCode,
    error: res.headers['x-error-message'],
    body: (await res.body.json()) as Record<string, unknown>,
  };
}

describe('signed requests', () => {
  test('every request carries User-Agent, Accept and a signature over that exact User-Agent', async () => {
    const before = Date.now();
    await c.getMailbox('example.com', 'alex.smith');
    const s = last();
    expect(s.headers['user-agent']).toBe(USER_AGENT);
    expect(s.headers.accept).toBe('application/json');
    const [key, ts, hash] = (s.headers['x-api-signature'] as string).split(':') as [string, string, string];
    expect(key).toBe(SANDBOX_KEYS.rackspaceUser);
    expect(ts).toMatch(/^\d{14}$/);
    expect(hash).toBe(signatureHash(key, USER_AGENT, ts, SANDBOX_KEYS.rackspaceSecret));
    const iso = `${ts.slice(0, 4)}-${ts.slice(4, 6)}-${ts.slice(6, 8)}T${ts.slice(8, 10)}:${ts.slice(10, 12)}:${ts.slice(12)}Z`;
    expect(Math.abs(Date.parse(iso) - before)).toBeLessThan(5000);
  });

  test('a signature for another User-Agent, or none, is refused with 403 Authentication failed', async () => {
    const r = await raw(`${P}/mailboxes`, { accept: 'application/json', ua: 'curl/8', signUa: 'raw-test' });
    expect(r.status).toBe(403);
    expect(r.error).toBe('Authentication failed');
    expect(r.body.unauthorizedFault).toMatchObject({ message: 'Authentication failed', code: 403 });
  });

  test('the API answers only JSON: another Accept is 404 Invalid format, except on Delete', async () => {
    const r = await raw(`${P}/mailboxes`, { accept: 'text/html' });
    expect(r).toMatchObject({ status: 404, error: 'Invalid format' });
    expect(r.body.itemNotFoundFault).toMatchObject({ message: 'Invalid format', code: 404 });
    const d = await raw(`${P}/mailboxes/nobody`, { method: 'DELETE' });
    expect(d).toMatchObject({ status: 404, error: 'Mailbox not found' });
  });
});

describe('mailboxes', () => {
  test('index pages with size and offset and reports total', async () => {
    expect(await c.listMailboxes('example.com', {})).toEqual({
      items: [
        { name: 'alex.smith', displayName: 'Alex Smith' },
        { name: 'john.smith', displayName: 'John Smith' },
      ],
      offset: 0,
      size: 50,
      total: 2,
    });
    expect(await c.listMailboxes('example.com', { size: 1, offset: 1 })).toEqual({
      items: [{ name: 'john.smith', displayName: 'John Smith' }],
      offset: 1,
      size: 1,
      total: 2,
    });
    expect(wire()).toEqual([`GET ${P}/mailboxes`, `GET ${P}/mailboxes?size=1&offset=1`]);
    await refused(c.listMailboxes('example.com', { size: 251 }), 400, 'Invalid size, input must be between 1 and 250');
  });

  test('show, and the not-found rows with a next step', async () => {
    const m = await c.getMailbox('example.com', 'alex.smith');
    expect(m).toMatchObject({
      name: 'alex.smith',
      displayName: 'Alex Smith',
      size: 2048,
      emailAddressList: [{ address: 'alex.smith@example.com', replyTo: true }],
      hasActiveSyncMobileService: true,
      hasBlackBerryMobileService: false,
    });
    expect(m).not.toHaveProperty('password');
    const e = await refused(c.getMailbox('example.com', 'nobody'), 404, 'Mailbox not found');
    expect(e.hint).toContain('rackspace_list_exchange_mailboxes');
    const d = await refused(c.getMailbox('abc.com', 'alex.smith'), 404, 'abc.com not found');
    expect(d.hint).toBe('Check the domain name.');
  });

  test('add sends the form fields of the seed, then Show returns them', async () => {
    const done = await c.createMailbox('example.com', 'john.doe', {
      displayName: 'John Doe',
      password: 'Secret123!@#',
      size: 2048,
      isHidden: false,
      homenumber: '8005551234',
      jobTitle: 'Clerk',
    });
    expect(done).toEqual({ ok: true, request: `POST /customers/12345678/domains/example.com/ex/mailboxes/john.doe` });
    const s = last();
    expect(s.method).toBe('POST');
    expect(s.path).toBe(`${P}/mailboxes/john.doe`);
    expect(s.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(s.body).toBe(
      'displayName=John+Doe&password=Secret123%21%40%23&size=2048&isHidden=false&homenumber=8005551234&jobTitle=Clerk',
    );
    expect(await c.getMailbox('example.com', 'john.doe')).toMatchObject({
      displayName: 'John Doe',
      size: 2048,
      enabled: true,
      contactInfo: { homeNumber: '8005551234', jobTitle: 'Clerk' },
    });
  });

  test('add enforces the seed rows with their exact messages', async () => {
    const f = { displayName: 'Jane Doe', password: 'Secret123!@#', size: 1024 };
    await refused(
      c.createMailbox('example.com', 'john.doe', f),
      400,
      'The email address john.doe@example.com is already in use',
    );
    await refused(
      c.createMailbox('example.com', 'jane.doe', { ...f, password: 'short' }),
      400,
      'Password must be at least 8 characters long',
    );
    await refused(c.createMailbox('example.com', 'bad name', f), 400, 'Invalid user name');
    await refused(
      c.createMailbox('example.com', 'jane.doe', { ...f, displayName: '' }),
      400,
      'Required field displayName cannot be empty',
    );
    await refused(
      c.createMailbox('example.com', 'jane.doe', { ...f, displayName: '<script>' }),
      400,
      'Invalid display name',
    );
    await refused(
      c.createMailbox('example.com', 'jane.doe', { ...f, size: 1.5 }),
      400,
      'Invalid format for size, input must be an integer',
    );
    await refused(c.createMailbox('abc.com', 'jane.doe', f), 404, 'abc.com not found');
    const base = `${R}/mailboxes/jane.doe`;
    await refused(
      c.http.send({ method: 'POST', path: base, form: { password: 'Secret123!@#', size: '1' } }),
      400,
      'Missing required field: displayName',
    );
    await refused(
      c.http.send({
        method: 'POST',
        path: base,
        form: { displayName: 'J', password: 'Secret123!@#', size: '1', extraStorage: '5' },
      }),
      400,
      'Unrecognized field: extraStorage',
    );
    await refused(
      c.http.send({
        method: 'POST',
        path: base,
        form: { displayName: 'J', password: 'Secret123!@#', size: '1', enabled: 'maybe' },
      }),
      400,
      'Invalid format for Enabled, input must be True or False',
    );
    await refused(c.getMailbox('example.com', 'jane.doe'), 404, 'Mailbox not found');
  });

  test('edit sends only the given fields; enabled and forwarding round-trip', async () => {
    await c.updateMailbox('example.com', 'john.doe', {
      homenumber: '8005550000',
      enabled: false,
      emailForwardingAddress: 'jd@elsewhere.example',
    });
    expect(last()).toMatchObject({
      method: 'PUT',
      path: `${P}/mailboxes/john.doe`,
      body: 'homenumber=8005550000&enabled=false&emailForwardingAddress=jd%40elsewhere.example',
    });
    expect(await c.getMailbox('example.com', 'john.doe')).toMatchObject({
      enabled: false,
      emailForwardingAddress: 'jd@elsewhere.example',
      contactInfo: { homeNumber: '8005550000' },
    });
    await c.updateMailbox('example.com', 'john.doe', { emailForwardingAddress: '' });
    expect((await c.getMailbox('example.com', 'john.doe')).emailForwardingAddress).toBe('');
    await refused(c.updateMailbox('example.com', 'nobody', { size: 10 }), 404, 'Mailbox not found');
    await refused(
      c.updateMailbox('example.com', 'john.doe', { password: 'tiny' }),
      400,
      'Password must be at least 8 characters long',
    );
  });

  test('email addresses: add, refuse a duplicate, remove; the primary stays', async () => {
    await c.addEmailAddress('example.com', 'alex.smith', 'alex@example.com');
    expect(last()).toMatchObject({
      method: 'POST',
      path: `${P}/mailboxes/alex.smith/emailaddresses/alex@example.com`,
      body: '',
    });
    expect((await c.getMailbox('example.com', 'alex.smith')).emailAddressList).toEqual([
      { address: 'alex.smith@example.com', replyTo: true },
      { address: 'alex@example.com', replyTo: false },
    ]);
    await refused(
      c.addEmailAddress('example.com', 'john.smith', 'alex@example.com'),
      400,
      'The email address alex@example.com is already in use',
    );
    await refused(c.addEmailAddress('example.com', 'alex.smith', 'alex@abc.com'), 404, 'abc.com not found');
    await c.removeEmailAddress('example.com', 'alex.smith', 'alex@example.com');
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: `${P}/mailboxes/alex.smith/emailaddresses/alex@example.com`,
    });
    await refused(
      c.removeEmailAddress('example.com', 'alex.smith', 'alex@example.com'),
      404,
      'alex@example.com is not an email address of alex.smith@example.com',
    );
    await refused(
      c.removeEmailAddress('example.com', 'alex.smith', 'alex.smith@example.com'),
      400,
      'alex.smith@example.com is the primary email address of the mailbox and cannot be removed',
    );
  });

  test('delete removes the mailbox for good', async () => {
    await c.deleteMailbox('example.com', 'john.doe');
    expect(wire()).toEqual([`DELETE ${P}/mailboxes/john.doe`]);
    await refused(c.getMailbox('example.com', 'john.doe'), 404, 'Mailbox not found');
    await refused(c.deleteMailbox('example.com', 'john.doe'), 404, 'Mailbox not found');
  });

  test('path segments are encoded one by one: `..`, `/`, `?`, `#` and `%2F` cannot change the path', async () => {
    for (const name of ['../john.smith', 'a/b', 'x?size=1', 'x#y', 'a%2Fb']) {
      await refused(c.getMailbox('example.com', name), 404, 'Mailbox not found');
    }
    expect(wire()).toEqual([
      `GET ${P}/mailboxes/..%2Fjohn.smith`,
      `GET ${P}/mailboxes/a%2Fb`,
      `GET ${P}/mailboxes/x%3Fsize%3D1`,
      `GET ${P}/mailboxes/x%23y`,
      `GET ${P}/mailboxes/a%252Fb`,
    ]);
    await expect(c.getMailbox('example.com', '..')).rejects.toThrow('invalid path segment');
    expect(emu.seen).toHaveLength(5);
  });
});

describe('spam', () => {
  test('lists: index, add, refuse, remove, with the seed messages', async () => {
    expect(await c.listSpam('example.com', 'alex.smith', 'blacklist')).toEqual({
      items: ['anyone@spam.com'],
      total: 1,
    });
    await c.addSpamEntry('example.com', 'alex.smith', 'blacklist', 'junk@junkmail.com');
    await c.addSpamEntry('example.com', 'alex.smith', 'ipblacklist', '2001:db8::1');
    await c.addSpamEntry('example.com', 'alex.smith', 'safelist', '@%.partner.example');
    expect(wire()).toEqual([
      `GET ${P}/mailboxes/alex.smith/spam/blacklist`,
      `POST ${P}/mailboxes/alex.smith/spam/blacklist/junk@junkmail.com`,
      `POST ${P}/mailboxes/alex.smith/spam/ipblacklist/2001%3Adb8%3A%3A1`,
      `POST ${P}/mailboxes/alex.smith/spam/safelist/@%25.partner.example`,
    ]);
    expect((await c.listSpam('example.com', 'alex.smith', 'ipblacklist')).items).toEqual([
      '216.12.34.1',
      '2001:db8::1',
    ]);
    await refused(
      c.addSpamEntry('example.com', 'alex.smith', 'blacklist', 'example.com'),
      400,
      'Adding example.com would blacklist the current domain',
    );
    await refused(c.addSpamEntry('example.com', 'alex.smith', 'blacklist', 'abc'), 400, 'invalid email address: abc');
    await refused(c.addSpamEntry('example.com', 'alex.smith', 'ipsafelist', '123'), 400, 'invalid ip address: 123');
    await refused(
      c.addSpamEntry('example.com', 'nobody', 'safelist', 'a@b.com'),
      404,
      'No user with the email address nobody@example.com exists',
    );
    await refused(
      c.listSpam('example.com', 'nobody', 'safelist'),
      404,
      'No user with the email address nobody@example.com exists',
    );
    await refused(
      c.removeSpamEntry('example.com', 'alex.smith', 'blacklist', 'abc@junkmail.com'),
      400,
      'abc@junkmail.com is not found on the blacklist',
    );
    await refused(
      c.removeSpamEntry('example.com', 'alex.smith', 'ipsafelist', '216.12.34.1'),
      400,
      '216.12.34.1 is not found on the safelist',
    );
    await c.removeSpamEntry('example.com', 'alex.smith', 'blacklist', 'junk@junkmail.com');
    expect(last()).toMatchObject({
      method: 'DELETE',
      path: `${P}/mailboxes/alex.smith/spam/blacklist/junk@junkmail.com`,
    });
    expect((await c.listSpam('example.com', 'alex.smith', 'blacklist')).items).toEqual(['anyone@spam.com']);
  });

  test('settings: show, edit, and off forces sendtodomainquarantine to false', async () => {
    expect(await c.getSpamSettings('example.com', 'alex.smith')).toEqual({
      filterLevel: 'on',
      sendToDomainQuarantine: false,
      quarantineOwner: '',
    });
    await c.updateSpamSettings('example.com', 'alex.smith', {
      filterlevel: 'exclusive',
      sendtodomainquarantine: true,
      quarantineowner: 'admin@example.com',
    });
    expect(last()).toMatchObject({
      method: 'PUT',
      path: `${P}/mailboxes/alex.smith/spam/settings`,
      body: 'filterlevel=exclusive&sendtodomainquarantine=true&quarantineowner=admin%40example.com',
    });
    expect(await c.getSpamSettings('example.com', 'alex.smith')).toEqual({
      filterLevel: 'exclusive',
      sendToDomainQuarantine: true,
      quarantineOwner: 'admin@example.com',
    });
    await c.updateSpamSettings('example.com', 'alex.smith', { filterlevel: 'off', sendtodomainquarantine: true });
    expect(await c.getSpamSettings('example.com', 'alex.smith')).toMatchObject({
      filterLevel: 'off',
      sendToDomainQuarantine: false,
    });
  });

  test('settings: the seed error rows', async () => {
    const path = `${R}/mailboxes/alex.smith/spam/settings`;
    await refused(c.http.send({ method: 'PUT', path, form: {} }), 400, 'Missing required field: filterlevel');
    await refused(
      c.http.send({ method: 'PUT', path, form: { filterlevel: '' } }),
      400,
      'Required field filterlevel cannot be empty',
    );
    await refused(
      c.http.send({ method: 'PUT', path, form: { filterlevel: 'on', address: 'x' } }),
      400,
      'Unrecognized field: address',
    );
    await refused(
      c.http.send({ method: 'PUT', path, form: { filterlevel: 'on', sendtodomainquarantine: 'maybe' } }),
      400,
      'Invalid format for sendtodomainquarantine, input must be true or false',
    );
    await refused(
      c.updateSpamSettings('example.com', 'alex.smith', { filterlevel: 'high' as 'on' }),
      400,
      'Invalid filterLevel, input must be: on/off/exclusive',
    );
    await refused(
      c.updateSpamSettings('example.com', 'nobody', { filterlevel: 'on' }),
      404,
      'No user with the email address nobody@example.com exists',
    );
    await refused(c.getSpamSettings('example.com', 'nobody'), 404, 'Mailbox not found');
  });
});

describe('mobile services', () => {
  test('BlackBerry: add with the activation password, list, refuse twice, remove', async () => {
    expect(await c.listService('example.com', 'blackberry')).toEqual({ items: [], offset: 0, size: 50, total: 0 });
    await c.addService('example.com', 'john.smith', 'blackberry', '12345');
    expect(last()).toMatchObject({
      method: 'POST',
      path: `${P}/mailboxes/john.smith/blackberrymobileservice`,
      body: 'activationPassword=12345',
    });
    expect(await c.listService('example.com', 'blackberry')).toEqual({
      items: [{ name: 'john.smith', displayName: 'John Smith' }],
      offset: 0,
      size: 50,
      total: 1,
    });
    expect((await c.getMailbox('example.com', 'john.smith')).hasBlackBerryMobileService).toBe(true);
    await refused(
      c.addService('example.com', 'john.smith', 'blackberry', '12345'),
      400,
      'User john.smith@example.com has BlackBerry Mobile Service already',
    );
    await refused(
      c.addService('example.com', 'alex.smith', 'blackberry'),
      400,
      'Missing required field: activationPassword',
    );
    await refused(c.addService('example.com', 'nobody', 'blackberry', '12345'), 404, 'Mailbox not found');
    await c.removeService('example.com', 'john.smith', 'blackberry');
    expect(last()).toMatchObject({ method: 'DELETE', path: `${P}/mailboxes/john.smith/blackberrymobileservice` });
    await refused(
      c.removeService('example.com', 'john.smith', 'blackberry'),
      400,
      'User john.smith@example.com does not have BlackBerry Mobile Service',
    );
    expect(wire()).toContain(`GET ${P}/blackberrymobileservices`);
  });

  test('ActiveSync: the URL segment is activesyncmobileservice, with no body', async () => {
    expect((await c.listService('example.com', 'activesync')).items).toEqual([
      { name: 'alex.smith', displayName: 'Alex Smith' },
    ]);
    await c.addService('example.com', 'john.smith', 'activesync');
    expect(last()).toMatchObject({
      method: 'POST',
      path: `${P}/mailboxes/john.smith/activesyncmobileservice`,
      body: '',
    });
    await refused(
      c.addService('example.com', 'john.smith', 'activesync'),
      400,
      'User john.smith@example.com has ActiveSync Mobile Service already',
    );
    await c.removeService('example.com', 'john.smith', 'activesync');
    expect(last()).toMatchObject({ method: 'DELETE', path: `${P}/mailboxes/john.smith/activesyncmobileservice` });
    expect(wire()[0]).toBe(`GET ${P}/activesyncmobileservices`);
    await refused(c.removeService('abc.com', 'john.smith', 'activesync'), 404, 'abc.com not found');
  });
});

describe('fault bodies', () => {
  test('the fault message wins, the x-error-message header is the fallback (older answers have no body)', () => {
    const fault = { itemNotFoundFault: { message: 'Mailbox not found', code: 404, resourceType: 'Mailbox' } };
    expect(faultMessage({ status: 404, headers: { 'x-error-message': 'other' }, text: JSON.stringify(fault) })).toBe(
      'Mailbox not found',
    );
    expect(
      faultMessage({ status: 400, headers: { 'x-error-message': 'Missing required field: name' }, text: '' }),
    ).toBe('Missing required field: name');
    expect(faultMessage({ status: 500, headers: {}, text: '' })).toBe('HTTP 500');
  });
});
