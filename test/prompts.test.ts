import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offeredPrompts, prompts, promptText } from '../src/prompts/index.ts';
import { allTools } from '../src/tools/index.ts';
import { type Harness, mcpClient, startHarness, text } from './harness.ts';

const catalog = readFileSync(new URL('../../shared/docs/catalog.md', import.meta.url), 'utf8');
const catalogTools = new Set([...catalog.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1] as string));
const mentioned = (text: string) =>
  [...text.matchAll(/\b((?:mailcow|zammad|zimbra|rackspace)_[a-z_]+)\b/g)].map((m) => m[1] as string);
const ARGS: Record<string, Record<string, string>> = {
  offboard_user: { email: 'alex.smith@example.com', forward_to: 'manager@example.com' },
  triage_ticket: { ticket: '71004' },
  investigate_spam: { mailbox: 'alex.smith@example.com', sender: 'junk@spam.example', ip: '203.0.113.7' },
};
const readOnly = new Set(allTools.filter((t) => t.hints.readOnly).map((t) => t.name));

/** Every `tool {json}` in a prompt whose JSON is complete (no `<placeholder>` left), in order. */
function calls(prompt: string): Array<{ tool: string; args: Record<string, unknown> }> {
  const out: Array<{ tool: string; args: Record<string, unknown> }> = [];
  for (const m of prompt.matchAll(/\b((?:mailcow|zammad|zimbra|rackspace)_[a-z_]+) \{/g)) {
    let depth = 0;
    let quoted = false;
    const start = (m.index ?? 0) + m[1]!.length + 1;
    for (let i = start; i < prompt.length; i++) {
      const c = prompt[i];
      if (c === '\\') i++;
      else if (c === '"') quoted = !quoted;
      else if (!quoted && c === '{') depth++;
      else if (!quoted && c === '}' && --depth === 0) {
        try {
          out.push({ tool: m[1]!, args: JSON.parse(prompt.slice(start, i + 1)) });
        } catch {
          // a template with placeholders: filled in by the test
        }
        break;
      }
    }
  }
  return out;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const textOf = (got: { messages: Array<{ content: unknown }> }) =>
  (got.messages[0]?.content as { text: string } | undefined)?.text ?? '';

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
    const text = textOf(
      await c.client.getPrompt({ name: 'offboard_user', arguments: { email: 'john.doe@example.com' } }),
    );
    expect(text).toContain('mailcow_get_mailbox {"email":"john.doe@example.com"}');
    expect(text.indexOf('mailcow_delete_mailbox')).toBeGreaterThan(text.indexOf('Only after all of the above'));
    await expect(c.client.getPrompt({ name: 'offboard_user', arguments: { email: 'not-an-email' } })).rejects.toThrow();
    await c.close();
  });
});

describe('prompts fit what is offered', () => {
  test.each([
    ['MAILOPS_READ_ONLY / --read-only / X-MCP-Readonly', { readOnly: true }],
    ['read tools only, by name', { tools: allTools.filter((t) => t.hints.readOnly).map((t) => t.name) }],
  ])('with no write tool offered (%s) each prompt is a report', async (_how, selection) => {
    const c = await mcpClient(h.clients, { selection });
    try {
      const { prompts: listed } = await c.client.listPrompts();
      expect(listed.map((p) => p.name).sort()).toEqual(['investigate_spam', 'offboard_user', 'triage_ticket']);
      // No forwarding step can run, so forward_to is not offered.
      expect(listed.find((p) => p.name === 'offboard_user')?.arguments?.map((a) => a.name)).toEqual(['email']);
      for (const p of listed) {
        const args = Object.fromEntries(Object.entries(ARGS[p.name]!).filter(([k]) => k !== 'forward_to'));
        const t = textOf(await c.client.getPrompt({ name: p.name, arguments: args }));
        expect(t, p.name).toMatch(/^(Report|Write a triage report)/);
        expect(t, p.name).toMatch(/report/i);
        expect(t, p.name).not.toMatch(/approv|on approval|apply them|Wait for/i);
        for (const tool of mentioned(t)) expect(readOnly.has(tool), `${p.name}: ${tool}`).toBe(true);
        expect(t).toContain('change nothing');
      }
    } finally {
      await c.close();
    }
  });

  test('forward_to is offered only with a step that forwards (not with Zammad alone)', async () => {
    const c = await mcpClient(h.clients, { selection: { toolsets: ['zammad'] } });
    try {
      const { prompts: listed } = await c.client.listPrompts();
      expect(listed.find((p) => p.name === 'offboard_user')?.arguments?.map((a) => a.name)).toEqual(['email']);
      const t = textOf(
        await c.client.getPrompt({ name: 'offboard_user', arguments: { email: 'alex.smith@example.com' } }),
      );
      expect(t).toContain('approve the plan below');
      expect(t).toContain('zammad_update_ticket');
    } finally {
      await c.close();
    }
  });
});

describe('each prompt step finds its data on the sandbox', () => {
  let c: Awaited<ReturnType<typeof mcpClient>>;
  beforeAll(async () => {
    c = await mcpClient(h.clients);
  });
  afterAll(() => c.close());

  const run = async (tool: string, args: Record<string, unknown>) => {
    const r = await c.call(tool, args);
    expect(r.isError, `${tool} ${JSON.stringify(args)}: ${text(r)}`).toBeFalsy();
    return r.structuredContent as Record<string, unknown> & { items?: Array<Record<string, unknown>> };
  };
  const found = (r: { items?: unknown[] } & Record<string, unknown>) =>
    Array.isArray(r.items) ? r.items.length > 0 : Object.keys(r).length > 0;

  test('offboard_user: the person is found everywhere and their tickets are handed over', async () => {
    const email = 'alex.smith@example.com';
    // The person in mailcow and Zimbra as well (Rackspace and Zammad have them in their seeds).
    await run('mailcow_create_mailbox', {
      domain: 'example.com',
      local_part: 'alex.smith',
      name: 'Alex Smith',
      password: 'Sandbox-pw-123',
    });
    await run('mailcow_create_alias', { address: 'desk@example.com', goto: [email, 'info@example.com'] });
    await run('mailcow_create_sync_job', {
      username: email,
      host1: 'imap.old.example',
      user1: 'alex',
      password1: 'Remote-pw-123',
    });
    await run('zimbra_create_contact', { attrs: { firstName: 'Alex', lastName: 'Smith', email } });

    const prompt = textOf(await c.client.getPrompt({ name: 'offboard_user', arguments: ARGS.offboard_user! }));
    const reads = calls(prompt).filter((x) => readOnly.has(x.tool));
    expect(reads.map((x) => x.tool)).toEqual([
      'mailcow_get_mailbox',
      'mailcow_list_aliases',
      'mailcow_list_sync_jobs',
      'rackspace_get_exchange_mailbox',
      'zimbra_search_contacts',
      'zammad_search_users',
      'zammad_search_tickets',
      'zammad_search_tickets',
    ]);
    const results = [];
    for (const x of reads) {
      const r = await run(x.tool, x.args);
      expect(found(r), `${x.tool} found nothing`).toBe(true);
      results.push(r);
    }
    expect(JSON.stringify(results[1])).toContain(email);
    const [owned, asCustomer] = results.slice(-2) as Array<{ items: Array<{ id: number; number: string }> }>;
    expect(owned!.items.map((t) => t.number).sort()).toEqual(['71004', '71005']);
    expect(asCustomer!.items.map((t) => t.number)).toEqual(['71007']);

    // The hand-over step, with the ids from the search and the agent the user names.
    expect(prompt).toContain('zammad_update_ticket {"id":<ticket id>,"owner":"<agent login or email>"}');
    for (const t of owned!.items) await run('zammad_update_ticket', { id: t.id, owner: 'jacob@chrispresso.com' });
    expect((await run(reads[6]!.tool, reads[6]!.args)).items).toEqual([]);
    const handed = await run('zammad_search_tickets', {
      query: 'owner.email:"jacob@chrispresso.com" AND state.name:(open OR "pending reminder")',
    });
    expect(handed.items?.map((t) => t.number)).toEqual(expect.arrayContaining(['71004', '71005']));
  });

  test('triage_ticket: ticket by number, its articles, customer, organization, tags and the lists', async () => {
    const prompt = textOf(await c.client.getPrompt({ name: 'triage_ticket', arguments: ARGS.triage_ticket! }));
    const [first] = calls(prompt);
    expect(first).toEqual({ tool: 'zammad_get_ticket', args: { number: '71004', expand: true } });
    const ticket = await run(first!.tool, first!.args);
    expect(ticket).toMatchObject({ id: 4, title: 'Espresso machine leaks water' });
    expect((await run('zammad_list_ticket_articles', { ticket_id: ticket.id })).items?.[0]?.body).toContain('boiler');
    const customer = await run('zammad_get_user', { id: ticket.customer_id, expand: true });
    expect(customer.login).toBe('samuel@example.com');
    expect((await run('zammad_get_organization', { id: customer.organization_id })).name).toBe('Awesome Customer Inc.');
    await run('zammad_list_tags', { ticket_id: ticket.id });
    for (const list of ['zammad_list_ticket_states', 'zammad_list_ticket_priorities', 'zammad_list_groups']) {
      expect(prompt).toContain(list);
      expect(found(await run(list, {}))).toBe(true);
    }
    expect(prompt).toContain('"internal":true,"type":"note"');
    await run('zammad_create_ticket_article', {
      ticket_id: ticket.id,
      body: 'Triage: boiler seal.',
      internal: true,
      type: 'note',
    });
  });

  test('investigate_spam: settings and all four lists of the mailbox', async () => {
    const prompt = textOf(await c.client.getPrompt({ name: 'investigate_spam', arguments: ARGS.investigate_spam! }));
    const [settings] = calls(prompt);
    expect(settings?.tool).toBe('rackspace_get_spam_settings');
    expect(found(await run(settings!.tool, settings!.args))).toBe(true);
    const lists = [];
    for (const list of ['blacklist', 'safelist', 'ipblacklist', 'ipsafelist']) {
      expect(prompt).toContain(list);
      lists.push(await run('rackspace_list_spam_list', { ...settings!.args, list }));
    }
    expect(JSON.stringify(lists[0])).toContain('anyone@spam.com');
  });
});
