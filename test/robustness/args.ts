// Arguments for every tool, derived from its input schema and the meaning of its field names:
// one plain valid call per tool (sandbox sample data), and the identifier fields that go into paths.
import * as z from 'zod';
import type { AnyTool } from '../../src/tools/define.ts';
import { toolInput } from '../../src/tools/register.ts';

export type Json = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Json>;
  required?: string[];
  items?: Json;
  anyOf?: Json[];
  minimum?: number;
  minItems?: number;
  default?: unknown;
};

export function schemaOf(t: AnyTool): Json {
  return z.toJSONSchema(toolInput(t), { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;
}

/** Sample values that exist in the sandboxes, by field name. */
const SAMPLE: Record<string, unknown> = {
  domain: 'example.com',
  email: 'john.doe@example.com',
  username: 'john.doe@example.com',
  mailbox: 'alex.smith',
  address: 'sales@example.com',
  local_part: 'new.person',
  goto: ['info@example.com'],
  host1: 'imap.remote.example',
  user1: 'remote-user',
  password1: 'Remote-pw-123',
  password: 'Sandbox-pw-123',
  name: 'Robust Test',
  displayName: 'Robust Test',
  id: 1,
  ids: ['257'],
  ticket_id: 1,
  source_id: 2,
  target_number: '71001',
  query: 'a',
  tag: 'robust',
  title: 'Robustness',
  group: 'Users',
  customer: 'nicole.braun@zammad.org',
  article: { body: 'Hello' },
  body: 'Hello',
  entry: 'junk@spam.example',
  list: 'blacklist',
  filterlevel: 'on',
  activationPassword: 'Activation-pw-1',
  size: 2048,
  attrs: [{ name: 'firstName', value: 'Robust' }],
  folder_id: 7,
  firstname: 'Robust',
};

export const IDENTIFIERS = new Set([
  'domain',
  'email',
  'mailbox',
  'address',
  'username',
  'local_part',
  'entry',
  'id',
  'ticket_id',
  'source_id',
  'target_number',
]);

function byType(s: Json): unknown {
  if (s.enum) return s.enum[0];
  if (s.anyOf) return byType(s.anyOf[0] as Json);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return 'text';
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'array':
      return s.items ? Array.from({ length: Math.max(1, s.minItems ?? 1) }, () => byType(s.items as Json)) : [];
    case 'object':
      return plain(s);
    default:
      return 'text';
  }
}

/** Required fields only: the smallest valid call. */
export function plain(s: Json): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of s.required ?? []) out[k] = k in SAMPLE ? SAMPLE[k] : byType(s.properties?.[k] ?? {});
  return out;
}

/** Hand-set calls where a field's meaning depends on the tool (checked to pass validation by a test). */
export const OVERRIDES: Record<string, Record<string, unknown>> = {
  mailcow_create_domain: { domain: 'robust.example' },
  mailcow_create_alias: { address: 'robust@example.com', goto: ['info@example.com'] },
  mailcow_get_mailbox: { email: 'info@example.com' },
  rackspace_add_email_address: { domain: 'example.com', mailbox: 'alex.smith', address: 'alias.robust@example.com' },
  rackspace_remove_email_address: { domain: 'example.com', mailbox: 'alex.smith', address: 'alias.robust@example.com' },
  rackspace_create_exchange_mailbox: {
    domain: 'example.com',
    mailbox: 'robust.person',
    displayName: 'Robust',
    password: 'Sandbox-pw-123',
    size: 2048,
  },
  zimbra_modify_contact: { id: 257, attrs: [{ name: 'company', value: 'Robust Ltd' }] },
  zimbra_create_contact: { attrs: { firstName: 'Robust', email: 'robust@example.com' } },
  zimbra_move_contacts: { ids: ['257'], folder_id: 13 },
  // Exactly one of id or number: neither is required by the schema.
  zammad_get_ticket: { id: 1 },
  zammad_create_user: { email: 'robust.user@example.com', firstname: 'Robust' },
  zammad_create_organization: { name: 'Robust Org' },
  zammad_create_ticket: {
    title: 'Robustness',
    group: 'Users',
    customer: 'nicole.braun@zammad.org',
    article: { body: 'Hello' },
  },
};

export function validArgs(t: AnyTool): Record<string, unknown> {
  return { ...plain(schemaOf(t)), ...OVERRIDES[t.name] };
}
