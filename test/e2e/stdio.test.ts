import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { type Era, stdioClient } from './clients.ts';

type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
const eras: Era[] = ['v1', 'v2-legacy', 'v2-modern'];

describe.each(eras)('built server over stdio with the %s client', (era) => {
  test('lists the mailcow tools, calls a read tool, and gates a delete', async () => {
    const c = await stdioClient(era);
    try {
      expect(c.protocol()).toBe(era === 'v2-modern' ? '2026-07-28' : era === 'v1' ? undefined : '2025-11-25');
      const { tools } = await c.listTools();
      expect(tools.filter((t) => t.name.startsWith('mailcow_'))).toHaveLength(17);
      const list = (await c.callTool({ name: 'mailcow_list_domains', arguments: {} })) as Result;
      expect(list.isError).toBeFalsy();
      expect(list.structuredContent?.total).toBe(2);
      const gated = (await c.callTool({ name: 'mailcow_delete_alias', arguments: { id: 2 } })) as Result;
      expect(gated.isError).toBe(true);
      expect(gated.content[0]?.text).toMatch(/^Confirmation required: delete alias 2 \(DELETE \/api\/v1\/aliases\/2\)/);
      const flagged = (await c.callTool({
        name: 'mailcow_delete_alias',
        arguments: { id: 2, confirm: true },
      })) as Result;
      expect(flagged.content[0]?.text).toMatch(/^Confirmation required: /);
      const token = /confirm: "([A-Za-z0-9_-]+)"$/.exec(flagged.content[0]?.text ?? '')?.[1];
      const done = (await c.callTool({ name: 'mailcow_delete_alias', arguments: { id: 2, confirm: token } })) as Result;
      expect(done.isError).toBeFalsy();
      const after = (await c.callTool({ name: 'mailcow_list_aliases', arguments: {} })) as Result;
      expect((after.structuredContent?.items as Array<{ id: number }> | undefined)?.map((a) => a.id)).not.toContain(2);
    } finally {
      await c.close();
    }
  });

  test('asks for confirmation by elicitation when the client can', async () => {
    const declined = await stdioClient(era, ['--sandbox'], { elicit: () => ({ action: 'decline' }) });
    try {
      const r = (await declined.callTool({
        name: 'mailcow_delete_alias',
        arguments: { id: 1, confirm: true },
      })) as Result;
      expect(r.isError).toBeFalsy();
      expect(r.content[0]?.text).toContain('Nothing was changed');
      const still = (await declined.callTool({ name: 'mailcow_list_aliases', arguments: {} })) as Result;
      expect((still.structuredContent?.items as Array<{ id: number }> | undefined)?.map((a) => a.id)).toContain(1);
    } finally {
      await declined.close();
    }
    const accepted = await stdioClient(era, ['--sandbox'], {
      elicit: () => ({ action: 'accept', content: { confirm: true } }),
    });
    try {
      const r = (await accepted.callTool({ name: 'mailcow_delete_alias', arguments: { id: 1 } })) as Result;
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({ type: 'success' });
    } finally {
      await accepted.close();
    }
  });
});

describe('the bundle loads code on first use', () => {
  // The built server starts without the tool tables, the XML library or the YAML parser (prebuilt heads and
  // listing); each arrives in a chunk of its own on first use. One call per backend proves every chunk loads.
  test('a first call of each backend loads its table (and Zimbra its XML library) and answers', async () => {
    const c = await stdioClient('v2-legacy');
    try {
      for (const [name, args] of [
        ['mailcow_get_mailbox', { email: 'info@example.com' }],
        ['rackspace_list_exchange_mailboxes', { domain: 'example.com' }],
        ['zammad_get_current_user', {}],
        ['zimbra_list_contact_folders', {}],
      ] as const) {
        const r = (await c.callTool({ name, arguments: args })) as Result;
        expect(r.isError, `${name}: ${r.content[0]?.text}`).toBeFalsy();
        expect(r.structuredContent).toBeDefined();
      }
    } finally {
      await c.close();
    }
  });
});

describe('what a start loads', () => {
  // The SDK's Node shim makes AJV (153 KB) the default JSON Schema validator, evaluated at every start. The
  // build swaps the shim (src/sdk/shims.ts) and the server checks elicitation answers with the SDK's cf-worker
  // validator, so AJV is in no file of the bundle; the elicitation tests above run that validator.
  test('the bundle carries no AJV', () => {
    const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
    const files = [
      join(dist, 'mailops-mcp.js'),
      ...readdirSync(join(dist, 'chunks')).map((f) => join(dist, 'chunks', f)),
    ];
    const withAjv = files.filter((f) => /\bAjv2020\b|ajv-formats/.test(readFileSync(f, 'utf8')));
    expect(withAjv).toEqual([]);
  });
});

describe('start-up and selection over stdio', () => {
  test('read-only mode lists and allows only read tools', async () => {
    const c = await stdioClient('v2-legacy', ['--sandbox', '--read-only']);
    try {
      const { tools } = await c.listTools();
      expect(
        tools
          .map((t) => t.name)
          .filter((n) => n.startsWith('mailcow_'))
          .sort(),
      ).toEqual([
        'mailcow_get_mailbox',
        'mailcow_list_aliases',
        'mailcow_list_domains',
        'mailcow_list_mailboxes',
        'mailcow_list_sync_jobs',
      ]);
      await expect(
        c.callTool({ name: 'mailcow_delete_domain', arguments: { domain: 'example.org', confirm: true } }),
      ).rejects.toThrow(/not found/);
    } finally {
      await c.close();
    }
  });

  test('tool selection flags: toolsets, allow-list, deny-list', async () => {
    const c = await stdioClient('v1', [
      '--sandbox',
      '--tools',
      'mailcow_list_domains,mailcow_get_mailbox,mailcow_delete_domain',
      '--exclude-tools',
      'mailcow_delete_domain',
    ]);
    try {
      expect((await c.listTools()).tools.map((t) => t.name).sort()).toEqual([
        'mailcow_get_mailbox',
        'mailcow_list_domains',
      ]);
    } finally {
      await c.close();
    }
  });
});
