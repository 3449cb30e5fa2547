import * as z from 'zod';

// Shared parameter schemas: described once, validated before anything is sent.
// Validation lives in refinements, not regex `pattern`s, so the listed schemas stay small.

const DOMAIN_RE = /^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/i;
const LOCAL_RE = /^[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+=?^_`{|}~-]+)*$/;

export const isDomain = (s: string) => DOMAIN_RE.test(s);
export const isLocalPart = (s: string) => s.length <= 64 && LOCAL_RE.test(s);
export function isEmail(s: string): boolean {
  const at = s.lastIndexOf('@');
  return at > 0 && isLocalPart(s.slice(0, at)) && isDomain(s.slice(at + 1));
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
export const printable = (s: string) => !CONTROL.test(s);

/**
 * An identifier: control characters are refused as given (trimming must not turn "\r\nx" into "x"),
 * then surrounding spaces are trimmed and the rule is checked.
 */
export function ident(check: (s: string) => boolean, rule: string) {
  return z.string().refine(printable, 'must not contain control characters').trim().refine(check, rule);
}

// `format` is listed for clients and models; the refinement is what validates.
export const Domain = ident(isDomain, 'must be a domain name such as example.com').meta({ format: 'hostname' });
export const Email = ident(isEmail, 'must be an email address such as user@example.com').meta({ format: 'email' });
export const LocalPart = ident(isLocalPart, 'must be the part before @, such as john.doe');
export const Id = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
export const Flag = z.boolean();
export const Full = z.boolean().optional().describe('Return the backend record untouched');

/** A free-text field with a sane bound; backends refuse far less. */
export const Text = (max = 1000) => z.string().max(max);
