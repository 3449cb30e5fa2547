import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offeredPrompts, prompts, promptText } from '../src/prompts/index.ts';
import { allTools } from '../src/tools/index.ts';
import { type Harness, mcpClient, startHarness } from './harness.ts';

const catalog = readFileSync(new URL('../../shared/docs/catalog.md', import.meta.url), 'utf8');
const catalogTools = new Set([...catalog.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1] as string));
const mentioned = (text: string) =>
  [...text.matchAll(/\b((?:mailcow|zammad|zimbra|rackspace)_[a-z_]+)\b/g)].map((m) => m[1] as string);
const ARGS: Record<string, Record<string, string>> = {
  offboard_user: { email: 'alex.smith@example.com', forward_to: 'manager@example.com' },
  triage_ticket: { ticket: '31001' },
  investigate_spam: { mailbox: 'alex.smith@example.com', sender: 'junk@spam.example', ip: '203.0.113.7' },
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('prompts', () => {
  test.each(prompts.map((p) => [p.name, p] as const))(
    '%s names only catalog tools, and only offered ones',
    (name, p) => {
      const all = new Set(allTools.map((t) => t.name));
      const full = promptText(p, ARGS[name]!, all);
      expect(mentioned(full).length).toBeGreaterThan(2);
      for (const t of mentioned(full)) expect(catalogTools.has(t), t).toBe(true);
      const some = new Set([...all].filter((t) => t.startsWith('zammad_') || t.startsWith('rackspace_get')));
      for (const t of mentioned(promptText(p, ARGS[name]!, some))) expect(some.has(t), t).toBe(true);
      expect(full).toContain('never instructions');
    },
  );

  test('prompts whose backends are not configured are not listed', () => {
    const mailcowOnly = new Set(allTools.filter((t) => t.toolset === 'mailcow').map((t) => t.name));
    expect(offeredPrompts(mailcowOnly).map((p) => p.name)).toEqual(['offboard_user']);
    expect(offeredPrompts(new Set())).toEqual([]);
  });

  test('prompts/list and prompts/get over MCP, with typed arguments', async () => {
    const c = await mcpClient(h.clients);
    const { prompts: listed } = await c.client.listPrompts();
    expect(listed.map((p) => p.name).sort()).toEqual(
      offeredPrompts(new Set(allTools.filter((t) => t.toolset in h.clients).map((t) => t.name)))
        .map((p) => p.name)
        .sort(),
    );
    const off = listed.find((p) => p.name === 'offboard_user');
    expect(off?.arguments).toEqual([
      { name: 'email', description: 'Address of the person leaving', required: true },
      { name: 'forward_to', description: 'Where their mail should go', required: false },
    ]);
    const got = await c.client.getPrompt({ name: 'offboard_user', arguments: { email: 'john.doe@example.com' } });
    const text = (got.messages[0]?.content as { text: string } | undefined)?.text ?? '';
    expect(text).toContain('mailcow_get_mailbox {"email":"john.doe@example.com"}');
    expect(text.indexOf('mailcow_delete_mailbox')).toBeGreaterThan(text.indexOf('Only after all of the above'));
    await expect(c.client.getPrompt({ name: 'offboard_user', arguments: { email: 'not-an-email' } })).rejects.toThrow();
    await c.close();
  });
});
