import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import {
  attr,
  bodyOf,
  child,
  children,
  faultOf,
  parseXml,
  SOAP11,
  SOAP12,
  textOf,
  type XNode,
} from '../../src/backends/zimbra/xml.ts';
import { SANDBOX_KEYS } from '../../src/sandbox/index.ts';
import { type Harness, startHarness } from '../harness.ts';
import { zimbra } from './helpers.ts';

// The emulator on the wire, spoken to with raw envelopes.

let h: Harness;
let z: ReturnType<typeof zimbra>;
let url: string;
let token: string;
beforeEach(async () => {
  h = await startHarness();
  z = zimbra(h);
  url = `${z.emu.url}/service/soap`;
  token = z.state.login('user@example.com', SANDBOX_KEYS.zimbra).token;
});
afterEach(() => h.close());

async function post(body: string, ns = SOAP12) {
  const res = await fetch(url, {
    method: 'POST',
    body: ns ? `<soap:Envelope xmlns:soap="${ns}">${body}</soap:Envelope>` : body,
  });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, body: bodyOf(parseXml(text)) as XNode };
}
const ctx = (t = token) =>
  `<soap:Header><context xmlns="urn:zimbra"><authToken>${t}</authToken></context></soap:Header>`;
const call = (req: string, t?: string) => post(`${ctx(t)}<soap:Body>${req}</soap:Body>`);
const mail = (name: string, inner: string, attrs = '') =>
  call(`<${name} xmlns="urn:zimbraMail"${attrs}>${inner}</${name}>`);
const faultCode = (r: { body: XNode }) => faultOf(r.body)?.code;
const reason = (r: { body: XNode }) => faultOf(r.body)?.reason;
const attrNames = (n: XNode | undefined) => Object.keys(n ?? {}).filter((k) => k !== '#text');

describe('protocol', () => {
  test('AuthRequest answers authToken and lifetime; responses are text/xml with HTTP 200', async () => {
    const r = await post(
      '<soap:Body><AuthRequest xmlns="urn:zimbraAccount"><account by="name">user@example.com</account><password>sandbox-zimbra-password</password></AuthRequest></soap:Body>',
    );
    expect(r.status).toBe(200);
    expect(r.type).toBe('text/xml; charset=utf-8');
    const auth = child(r.body, 'AuthResponse');
    expect(textOf(child(auth, 'authToken'))).toMatch(/^0_[0-9a-f]{40}$/);
    expect(textOf(child(auth, 'lifetime'))).toBe('172799999');
  });

  test('faults come back with HTTP 500 in SOAP 1.2, or SOAP 1.1 for a 1.1 request', async () => {
    const r = await mail('GetContactsRequest', '<cn id="999"/>');
    expect(r.status).toBe(500);
    expect(r.text).toContain('<soap:Value>soap:Sender</soap:Value>');
    expect(r.text).toContain('<a n="itemId" t="IID">999</a>');
    expect([faultCode(r), reason(r)]).toEqual(['mail.NO_SUCH_CONTACT', 'no such contact: 999']);
    const old = await post(
      `${ctx()}<soap:Body><GetContactsRequest xmlns="urn:zimbraMail"><cn id="999"/></GetContactsRequest></soap:Body>`,
      SOAP11,
    );
    expect(old.status).toBe(500);
    expect(old.text).toContain('<faultcode>soap:Client</faultcode>');
    expect(faultCode(old)).toBe('mail.NO_SUCH_CONTACT');
  });

  test('missing or bad token, parse errors, unknown documents, GET', async () => {
    expect(
      faultCode(
        await post(
          '<soap:Body><SearchRequest xmlns="urn:zimbraMail" types="contact"><query>a</query></SearchRequest></soap:Body>',
        ),
      ),
    ).toBe('service.AUTH_REQUIRED');
    expect(
      faultCode(
        await call('<SearchRequest xmlns="urn:zimbraMail" types="contact"><query>a</query></SearchRequest>', 'bogus'),
      ),
    ).toBe('service.AUTH_REQUIRED');
    const broken = await fetch(url, { method: 'POST', body: '<soap:Envelope><unclosed>' });
    expect(broken.status).toBe(500);
    expect(faultOf(bodyOf(parseXml(await broken.text())))?.code).toBe('service.PARSE_ERROR');
    expect(reason(await call('<NoSuchRequest xmlns="urn:zimbraMail"/>'))).toBe('unknown document: NoSuchRequest');
    expect((await fetch(url)).status).toBe(405);
  });

  test('the token is also accepted from the ZM_AUTH_TOKEN cookie; requestId is echoed', async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { cookie: `ZM_AUTH_TOKEN=${token}` },
      body: `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><GetContactsRequest xmlns="urn:zimbraMail" requestId="r1"><cn id="257"/></GetContactsRequest></soap:Body></soap:Envelope>`,
    });
    expect(res.status).toBe(200);
    expect(attr(child(bodyOf(parseXml(await res.text())), 'GetContactsResponse'), 'requestId')).toBe('r1');
  });
});

describe('ModifyContact matrix', () => {
  test.each([
    ['<cn id="257"><a n="email" op="+">x@example.com</a></cn>', ' replace="1"', 'op must not be set in replace mode'],
    ['<cn id="257"><a n="email" op="+"></a></cn>', '', 'empty value not allowed with op +'],
    ['<cn id="257"><a n="email" op="-"></a></cn>', '', 'empty value not allowed with op -'],
    ['<cn id="257"><a n="email" op="x">v</a></cn>', '', 'unknown op: x'],
    ['<cn id="257"><a n=" ">v</a></cn>', '', 'at least one contact field name is blank'],
    ['<cn id="260"><m type="C" value="257"/></cn>', '', 'missing required attribute: op'],
    ['<cn id="260"><m op="+" value="257"/></cn>', '', 'missing member type'],
    ['<cn id="260"><m op="+" type="C"/></cn>', '', 'missing member value'],
    ['<cn id="260"><m op="+" type="X" value="1"/></cn>', '', 'invalid member type: X'],
    ['<cn id="257"><m op="reset"/></cn>', '', 'm is only allowed for contact group'],
    ['<cn><a n="x">y</a></cn>', '', 'missing required attribute: id'],
    ['<cn id="257"/>', ' verbose="maybe"', 'invalid boolean value: maybe'],
  ])('%s%s → INVALID_REQUEST', async (cn, attrs, why) => {
    const r = await mail('ModifyContactRequest', cn, attrs);
    expect(r.status).toBe(500);
    expect(faultCode(r)).toBe('service.INVALID_REQUEST');
    expect(reason(r)).toBe(`invalid request: ${why}`);
  });

  test('a failed modification changes nothing', async () => {
    const before = structuredClone(z.mailbox?.contacts.get(257));
    await mail(
      'ModifyContactRequest',
      '<cn id="257" tn="new"><a n="firstName">Changed</a><a n="email" op="+"></a></cn>',
    );
    expect(z.mailbox?.contacts.get(257)).toEqual(before);
  });

  test('a member that comes after reset is added; true/false booleans are accepted', async () => {
    const r = await mail(
      'ModifyContactRequest',
      '<cn id="260"><m op="reset"/><m op="+" type="I" value="x@example.com"/></cn>',
      ' verbose="false"',
    );
    expect(r.status).toBe(200);
    expect(attrNames(children(child(r.body, 'ModifyContactResponse'), 'cn')[0])).toEqual(['@_id']);
    expect(z.mailbox?.contacts.get(260)?.members).toEqual([{ type: 'I', value: 'x@example.com' }]);
  });
});

describe('other requests', () => {
  test('CreateContact verbose="0" answers the placeholder; folder 1 cannot hold contacts', async () => {
    const r = await mail('CreateContactRequest', '<cn><a n="firstName">Q</a></cn>', ' verbose="0"');
    expect(attrNames(child(child(r.body, 'CreateContactResponse'), 'cn'))).toEqual(['@_id']);
    expect(faultCode(await mail('CreateContactRequest', '<cn l="1"><a n="firstName">Q</a></cn>'))).toBe(
      'mail.CANNOT_CONTAIN',
    );
  });

  test('ContactAction: read and spam are invalid on contacts; unknown ids fail the whole action', async () => {
    expect(reason(await mail('ContactActionRequest', '<action id="257" op="read"/>'))).toBe(
      'invalid request: invalid operation on contact: read',
    );
    expect(faultCode(await mail('ContactActionRequest', '<action id="257,999" op="trash"/>'))).toBe(
      'mail.NO_SUCH_CONTACT',
    );
    expect(z.mailbox?.contacts.get(257)?.folder).toBe(7);
    expect(reason(await mail('ContactActionRequest', '<action id="257" op="move"/>'))).toBe(
      'invalid request: missing required attribute: l',
    );
    const r = await mail('ContactActionRequest', '<action id="257" op="TRASH"/>');
    expect(attr(child(child(r.body, 'ContactActionResponse'), 'action'), 'op')).toBe('trash');
  });

  test('Search: query syntax errors, or and negation, more flag, md on hits', async () => {
    expect(faultCode(await mail('SearchRequest', '<query>"open</query>', ' types="contact"'))).toBe(
      'mail.QUERY_PARSE_ERROR',
    );
    expect(faultCode(await mail('SearchRequest', '<query>bogus:x</query>', ' types="contact"'))).toBe(
      'mail.QUERY_PARSE_ERROR',
    );
    const r = await mail('SearchRequest', '<query>ada or grace -hopper</query>', ' types="contact" limit="1"');
    const res = child(r.body, 'SearchResponse');
    expect(children(res, 'cn').map((c) => attr(c, 'id'))).toEqual(['257']);
    expect(attr(res, 'more')).toBe('0');
    expect(attr(children(res, 'cn')[0], 'md')).toMatch(/^\d+$/);
    const tag = await mail('SearchRequest', '<query>tag:vip is:flagged</query>', ' types="contact"');
    expect(children(child(tag.body, 'SearchResponse'), 'cn').map((c) => attr(c, 'id'))).toEqual(['257']);
  });

  // zm-mailbox store/src/java/com/zimbra/cs/service/mail/GetFolder.java (filterByView, encodeFolderNode) and
  // ToXML.java (encodeFolderCommon: id, name, absFolderPath, l, view; encodeFolder: n = item count).
  test('GetFolder view="contact": nested tree, other views as <folder id name> placeholders, Trash kept', async () => {
    const r = await mail('GetFolderRequest', '', ' view="contact"');
    const root = child(child(r.body, 'GetFolderResponse'), 'folder');
    expect(attrNames(root).filter((k) => k.startsWith('@_'))).toEqual(['@_id', '@_name']);
    expect([attr(root, 'id'), attr(root, 'name')]).toEqual(['1', 'USER_ROOT']);
    const top = children(root, 'folder');
    expect(top.map((f) => [attr(f, 'id'), attr(f, 'name'), attr(f, 'view'), attr(f, 'n')])).toEqual([
      ['3', 'Trash', undefined, '1'],
      ['7', 'Contacts', 'contact', '3'],
      ['13', 'Emailed Contacts', 'contact', '1'],
    ]);
    const [sub] = children(top[1], 'folder');
    expect([attr(sub, 'id'), attr(sub, 'name'), attr(sub, 'l'), attr(sub, 'absFolderPath'), attr(sub, 'n')]).toEqual([
      '262',
      'Suppliers',
      '7',
      '/Contacts/Suppliers',
      '0',
    ]);
    // A contact folder below a mail folder keeps that folder as a placeholder.
    z.mailbox?.addFolder('Vendors', 2, 'contact');
    const again = child(
      child((await mail('GetFolderRequest', '', ' view="contact"')).body, 'GetFolderResponse'),
      'folder',
    );
    const inbox = children(again, 'folder').find((f) => attr(f, 'id') === '2');
    expect(attrNames(inbox).sort()).toEqual(['@_id', '@_name', 'folder']);
    expect(attr(children(inbox, 'folder')[0], 'view')).toBe('contact');
  });

  test('GetFolder without a view lists every folder; an unknown base folder is mail.NO_SUCH_FOLDER', async () => {
    const r = await mail('GetFolderRequest', '');
    const ids = children(child(child(r.body, 'GetFolderResponse'), 'folder'), 'folder').map((f) => attr(f, 'id'));
    expect(ids).toEqual(['2', '3', '4', '5', '6', '7', '10', '13', '15']);
    expect(faultCode(await mail('GetFolderRequest', '<folder l="999"/>'))).toBe('mail.NO_SUCH_FOLDER');
  });

  test('in:"Contacts/Suppliers" searches a user folder by its path', async () => {
    z.mailbox?.action('move', ['258'], '262');
    const r = await mail('SearchRequest', '<query>in:"Contacts/Suppliers"</query>', ' types="contact"');
    expect(children(child(r.body, 'SearchResponse'), 'cn').map((c) => attr(c, 'id'))).toEqual(['258']);
  });
});
