import { beforeAll, describe, expect, test } from 'vitest';
import * as R from '../../src/backends/zimbra/requests.ts';
import { ZimbraSoap } from '../../src/backends/zimbra/soap.ts';
import {
  attr,
  bodyOf,
  child,
  children,
  envelope,
  faultOf,
  loadXml,
  parseXml,
  SOAP11,
  SOAP12,
  textOf,
} from '../../src/backends/zimbra/xml.ts';
import { SoapFault } from '../../src/sandbox/zimbra/faults.ts';
import { faultXml } from '../../src/sandbox/zimbra/soap.ts';

beforeAll(loadXml);

const TRICKY = [
  '</a><a n="x">',
  ']]>',
  '&amp;',
  '<![CDATA[x]]>',
  'it\'s "quoted"',
  'line 1\nline 2',
  '  padded  ',
  'ü 😀 €',
  '&#13;',
];

function requestOf(xml: string) {
  const body = bodyOf(parseXml(xml));
  return { body, header: child(child(child(parseXml(xml), 'Envelope'), 'Header'), 'context') };
}

describe('envelopes', () => {
  test('SOAP 1.2 envelope with the urn:zimbra context, token and account', () => {
    const xml = envelope('GetContactsRequest', R.getContacts({ ids: ['257'] }).node, {
      authToken: 'tok',
      account: 'team@example.com',
    });
    expect(xml).toContain(`<soap:Envelope xmlns:soap="${SOAP12}">`);
    expect(xml).toContain(
      '<context xmlns="urn:zimbra"><authToken>tok</authToken><account by="name">team@example.com</account>',
    );
    expect(xml).toContain(
      '<GetContactsRequest xmlns="urn:zimbraMail" memberOf="1"><cn id="257"/></GetContactsRequest>',
    );
  });

  test('no authToken or account element unless given', () => {
    const xml = envelope('AuthRequest', R.auth('u@example.com', 'pw').node);
    expect(xml).not.toContain('<authToken>');
    expect(xml).toContain(
      '<AuthRequest xmlns="urn:zimbraAccount"><account by="name">u@example.com</account><password>pw</password></AuthRequest>',
    );
  });

  test('every value and attribute is escaped and round-trips unchanged', () => {
    const spec = {
      id: 257,
      attrs: TRICKY.map((v, i) => ({ name: `custom${i}`, value: v })),
      members: [{ op: '+' as const, type: 'I' as const, value: TRICKY[0] }],
      tags: ['a&b', '<t>'],
    };
    const xml = envelope('ModifyContactRequest', R.modifyContact(spec).node, { authToken: 'x' });
    expect(xml).not.toContain('</a><a n="x">');
    expect(xml).not.toContain(']]>');
    const cn = child(child(requestOf(xml).body, 'ModifyContactRequest'), 'cn');
    expect(children(cn, 'a').map(textOf)).toEqual(TRICKY);
    expect(attr(child(cn, 'm'), 'value')).toBe(TRICKY[0]);
    expect(attr(cn, 'tn')).toBe('a&b,<t>');
  });

  test('ModifyContactRequest carries every element and attribute of the seed', () => {
    const call = R.modifyContact({
      id: 300,
      replace: false,
      verbose: false,
      want_imap_uid: true,
      want_mod_seq: true,
      tags: ['vip'],
      attrs: [
        { name: 'email', op: '+', value: 'b@example.com' },
        { name: 'image', upload_id: 'up-1' },
        { name: 'image2', item_id: 258, part: '1' },
      ],
      members: [{ op: 'reset' }, { op: '+', type: 'C', value: '257' }, { op: '-', type: 'G', value: 'uid=x' }],
    });
    const node = child(requestOf(envelope(call.name, call.node)).body, 'ModifyContactRequest');
    expect([attr(node, 'replace'), attr(node, 'verbose'), attr(node, 'wantImapUid'), attr(node, 'wantModSeq')]).toEqual(
      ['0', '0', '1', '1'],
    );
    const cn = child(node, 'cn');
    expect([attr(cn, 'id'), attr(cn, 'tn')]).toEqual(['300', 'vip']);
    const a = children(cn, 'a');
    expect([attr(a[0], 'op'), attr(a[0], 'n'), textOf(a[0])]).toEqual(['+', 'email', 'b@example.com']);
    expect(attr(a[1], 'aid')).toBe('up-1');
    expect([attr(a[2], 'id'), attr(a[2], 'part')]).toEqual(['258', '1']);
    const m = children(cn, 'm');
    expect(m.map((x) => [attr(x, 'op'), attr(x, 'type'), attr(x, 'value')])).toEqual([
      ['reset', undefined, undefined],
      ['+', 'C', '257'],
      ['-', 'G', 'uid=x'],
    ]);
  });

  test('omitted options are not sent; an empty tag list is tn=""', () => {
    const node = R.modifyContact({ id: 1, tags: [] }).node;
    expect(Object.keys(node)).toEqual(['@_xmlns', 'cn']);
    expect((node.cn as Record<string, unknown>)['@_tn']).toBe('');
  });

  test('previews name the method, path and request element, never the token', () => {
    const c = new ZimbraSoap(
      { url: 'http://127.0.0.1:1', auth: { kind: 'token', token: 'secret-token' } },
      { timeoutMs: 1000, maxRetryWaitMs: 0 },
    );
    expect(c.previewAction('delete', ['257', '258'])).toBe(
      'POST /service/soap ContactActionRequest <action id="257,258" op="delete">',
    );
    expect(c.previewModify({ id: 9, replace: true }, 'team@example.com')).toBe(
      'POST /service/soap ModifyContactRequest replace="1" <cn id="9"> in mailbox team@example.com',
    );
  });
});

describe('parsing', () => {
  test('SOAP 1.2 fault: code, reason, Error/Code', () => {
    const xml = faultXml(false, new SoapFault('mail.NO_SUCH_CONTACT', 'no such contact: 999'));
    expect(faultOf(bodyOf(parseXml(xml)))).toEqual({
      code: 'mail.NO_SUCH_CONTACT',
      reason: 'no such contact: 999',
      sender: true,
    });
  });

  test('SOAP 1.1 fault and server-side faults', () => {
    const xml = faultXml(true, new SoapFault('service.FAILURE', 'system failure: boom', false));
    expect(xml).toContain(SOAP11);
    expect(faultOf(bodyOf(parseXml(xml)))).toEqual({
      code: 'service.FAILURE',
      reason: 'system failure: boom',
      sender: false,
    });
  });

  test('a fault as Zimbra writes it (wire notes)', () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP12}"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>
      <soap:Reason><soap:Text>no such contact: 999</soap:Text></soap:Reason><soap:Detail><Error xmlns="urn:zimbra"><Code>mail.NO_SUCH_CONTACT</Code>
      <Trace>qtp:1</Trace><a n="itemId" t="IID">999</a></Error></soap:Detail></soap:Fault></soap:Body></soap:Envelope>`;
    expect(faultOf(bodyOf(parseXml(xml)))?.code).toBe('mail.NO_SUCH_CONTACT');
  });

  test('entities and character references are decoded exactly once', () => {
    const doc = parseXml('<r><a n="&amp;lt;">&amp;amp; &#38;lt; &#x41; &lt;b&gt;</a></r>');
    const a = children(child(doc, 'r'), 'a')[0];
    expect(attr(a, 'n')).toBe('&lt;');
    expect(textOf(a)).toBe('&amp; &lt; A <b>');
  });

  test('malformed XML and DTDs are refused', () => {
    expect(() => parseXml('<r><a></r>')).toThrow();
    expect(() => parseXml('<!DOCTYPE r [<!ENTITY e "boom">]><r>&e;</r>')).toThrow(/DTD/);
  });
});
