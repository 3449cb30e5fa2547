import { InputError } from '../../errors.ts';

// SOAP envelopes in fast-xml-parser's object form: `@_name` attributes, `#text` text, children by name.
// The builder escapes every text and attribute value; the parser decodes them exactly once.

export const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
export const NS = { zimbra: 'urn:zimbra', account: 'urn:zimbraAccount', mail: 'urn:zimbraMail' } as const;

export type XNode = { [key: string]: unknown };
type AttrValue = string | number | boolean | undefined;

/** Elements that may repeat, parsed as arrays even when there is one. */
const REPEATED = new Set(['cn', 'a', 'm', 'ma', 'meta', 'action', 'Text', 'folder', 'link']);

interface Codec {
  build(root: XNode): string;
  parse(xml: string): XNode;
  valid(xml: string): true | { err: { msg: string; line: number } };
}

let codec: Codec | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the XML library, once: a process without Zimbra never loads it, one with Zimbra on its first SOAP call
 * (`ZimbraSoap` awaits this before it builds an envelope, so every answer it reads finds it loaded).
 */
export function loadXml(): Promise<void> {
  loading ??= import('fast-xml-parser').then(({ XMLBuilder, XMLParser, XMLValidator }) => {
    const builder = new XMLBuilder({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      textNodeName: '#text',
      suppressEmptyNode: true,
      processEntities: true,
    });
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      textNodeName: '#text',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      alwaysCreateTextNode: true,
      processEntities: true,
      htmlEntities: true,
      isArray: (name) => REPEATED.has(name),
    });
    codec = {
      build: (root) => builder.build(root) as string,
      parse: (xml) => parser.parse(xml) as XNode,
      valid: (xml) => XMLValidator.validate(xml) as ReturnType<Codec['valid']>,
    };
  });
  return loading;
}

function loaded(): Codec {
  if (!codec) throw new Error('the XML library is not loaded: await loadXml() first');
  return codec;
}

/** Characters no XML 1.0 document can carry, escaped or not: control characters, U+FFFE/U+FFFF, lone surrogates. */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function xmlSafe(value: string, field: string): string {
  if (NOT_XML.test(value)) throw new InputError(field, 'contains a control character that XML cannot carry');
  return value;
}

/**
 * An element: attributes (undefined dropped, booleans as 1/0), optional text, child elements. Every
 * value is checked here, so no request can ever carry malformed XML; errors name the attribute (`<a n>`).
 */
export function el(attrs: Record<string, AttrValue> = {}, children: XNode = {}, text?: string): XNode {
  const node: XNode = {};
  const field = typeof attrs.n === 'string' ? attrs.n : undefined;
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined) node[`@_${k}`] = xmlSafe(typeof v === 'boolean' ? (v ? '1' : '0') : String(v), field ?? k);
  }
  if (text !== undefined) node['#text'] = xmlSafe(text, field ?? 'value');
  for (const [k, v] of Object.entries(children)) if (v !== undefined) node[k] = v;
  return node;
}

export function buildXml(root: XNode): string {
  return loaded().build(root);
}

/** Parses well-formed XML without a DTD (SOAP forbids one); throws with the parser's reason otherwise. */
export function parseXml(xml: string): XNode {
  if (/<!DOCTYPE/i.test(xml)) throw new Error('a DTD is not allowed in a SOAP message');
  const valid = loaded().valid(xml);
  if (valid !== true) throw new Error(`${valid.err.msg} (line ${valid.err.line})`);
  return loaded().parse(xml);
}

export interface Context {
  authToken?: string;
  /** Act on another mailbox: `<account by="name">`. */
  account?: string;
}

/** A SOAP 1.2 envelope with the `urn:zimbra` context header and one request element. */
export function envelope(name: string, request: XNode, ctx: Context = {}): string {
  const context = el(
    { xmlns: NS.zimbra },
    {
      authToken: ctx.authToken === undefined ? undefined : el({}, {}, ctx.authToken),
      account: ctx.account === undefined ? undefined : el({ by: 'name' }, {}, ctx.account),
      userAgent: el({ name: 'mailops-mcp' }),
    },
  );
  return buildXml({
    'soap:Envelope': el({ 'xmlns:soap': SOAP12 }, { 'soap:Header': { context }, 'soap:Body': { [name]: request } }),
  });
}

// Readers for parsed nodes.

export function child(node: unknown, name: string): XNode | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const v = (node as XNode)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return first && typeof first === 'object' ? (first as XNode) : undefined;
}

export function children(node: unknown, name: string): XNode[] {
  if (!node || typeof node !== 'object') return [];
  const v = (node as XNode)[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is XNode => !!x && typeof x === 'object');
}

export function attr(node: XNode | undefined, name: string): string | undefined {
  const v = node?.[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

export function textOf(node: XNode | undefined): string {
  const v = node?.['#text'];
  return typeof v === 'string' ? v : '';
}

export interface Fault {
  /** Zimbra's `Error/Code`, e.g. `mail.NO_SUCH_CONTACT`. */
  code?: string;
  reason: string;
  /** `soap:Sender` (the request was wrong) rather than `soap:Receiver` (the server failed). */
  sender: boolean;
}

/** The `Body` of a parsed envelope (SOAP 1.1 or 1.2). */
export function bodyOf(doc: XNode): XNode | undefined {
  return child(child(doc, 'Envelope'), 'Body');
}

/** The fault in a SOAP 1.2 or 1.1 body, if it holds one. */
export function faultOf(body: XNode | undefined): Fault | undefined {
  const f = child(body, 'Fault');
  if (!f) return undefined;
  const detail = child(f, 'Detail') ?? child(f, 'detail');
  const code = textOf(child(child(detail, 'Error'), 'Code')) || undefined;
  const reason = textOf(child(child(f, 'Reason'), 'Text')) || textOf(child(f, 'faultstring'));
  const side = textOf(child(child(f, 'Code'), 'Value')) || textOf(child(f, 'faultcode'));
  return { code, reason, sender: !/Receiver|Server/.test(side) };
}
