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

export const Domain = z.string().trim().refine(isDomain, 'must be a domain name such as example.com');
export const Email = z.string().trim().refine(isEmail, 'must be an email address such as user@example.com');
export const LocalPart = z.string().trim().refine(isLocalPart, 'must be the part before @, such as john.doe');
export const Id = z
  .number()
  .int()
  .min(1)
  .max(2 ** 31 - 1);
export const Flag = z.boolean();
export const Full = z.boolean().optional().describe('Return the backend record untouched');

/** A free-text field with a sane bound; backends refuse far less. */
export const Text = (max = 1000) => z.string().max(max);
