import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { shapedOut } from '../../src/output.ts';
import { slim } from '../../src/tools/zammad/shape.ts';
import { type Harness, mcpClient, startHarness } from '../harness.ts';

// The seed's example records (user chris@chrispresso.com and ticket "Order 787556", plain and expanded),
// cut out of the seed text: every top-level `{ … }` block.
const seedText = readFileSync(new URL('../../../shared/seeds/001_ec822e1dbdaa2f46.txt', import.meta.url), 'utf8');
function seedRecords(): Array<Record<string, unknown>> {
  const out = [];
  for (let i = seedText.indexOf('\n{\n'); i >= 0; i = seedText.indexOf('\n{\n', i + 1)) {
    let depth = 0;
    for (let j = i + 1; j < seedText.length; j++) {
      if (seedText[j] === '{') depth++;
      else if (seedText[j] === '}' && --depth === 0) {
        out.push(JSON.parse(seedText.slice(i + 1, j + 1)));
        i = j;
        break;
      }
    }
  }
  return out;
}

const size = (v: unknown) => JSON.stringify(v).length;
/** What a tool answers by default: the Zammad shaping, then the boundary's shaping. */
const byDefault = (r: unknown) => shapedOut(slim(r), false);

describe('compact output on the seed example records', () => {
  const [userPlain, userExpanded, ticketPlain, ticketExpanded] = seedRecords();

  test('the seed holds the four example records', () => {
    expect([userPlain?.login, userExpanded?.organization, ticketPlain?.title, ticketExpanded?.state]).toEqual([
      'chris@chrispresso.com',
      'Chrispresso Inc.',
      'Order 787556',
      'closed',
    ]);
  });

  test('default output is a fraction of the raw record and keeps what identifies it', () => {
    const figures = Object.entries({ userPlain, userExpanded, ticketPlain, ticketExpanded }).map(([k, r]) => {
      const raw = size(r);
      const small = size(byDefault(r));
      return { record: k, raw, default: small, ratio: Math.round((small / raw) * 100) };
    });
    console.log(
      `zammad compact output: ${figures.map((f) => `${f.record} ${f.default}/${f.raw} chars (${f.ratio}%)`).join('; ')}`,
    );
    // Users shed the notification matrix; tickets mostly their null escalation fields.
    for (const f of figures) expect(f.ratio).toBeLessThan(f.record.startsWith('user') ? 45 : 70);
    expect(byDefault(userExpanded)).toMatchObject({
      id: 3,
      login: 'chris@chrispresso.com',
      roles: ['Admin', 'Agent'],
      group_ids: { '1': ['full'] },
    });
    expect(byDefault(userExpanded)).not.toHaveProperty('preferences');
    expect(byDefault(ticketExpanded)).toMatchObject({ id: 3, number: '71003', state: 'closed', article_ids: [5, 6] });
    expect(byDefault(ticketExpanded)).not.toHaveProperty('ticket_time_accounting');
  });
});

describe('the emulator serves the seed records as the seed shows them', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  test('expanded ticket 3 and user 3 carry the seed’s values; full: true returns them untouched', async () => {
    const [, userExpanded, , ticketExpanded] = seedRecords();
    const mcp = await mcpClient(h.clients);
    const ticket = (await mcp.call('zammad_get_ticket', { id: 3, expand: true, full: true })).structuredContent;
    const user = (await mcp.call('zammad_get_user', { id: 3, expand: true, full: true })).structuredContent;
    const small = (await mcp.call('zammad_get_user', { id: 3, expand: true })).structuredContent;
    await mcp.close();
    // Keys of the current API version replace a few of the 2021 seed's (karma_user_ids → two_factor_preference_ids …).
    for (const [k, v] of Object.entries(ticketExpanded as object)) expect(ticket?.[k], k).toEqual(v);
    const shared = Object.keys(userExpanded as object).filter((k) => k !== 'karma_user_ids');
    for (const k of shared) expect(user?.[k], k).toEqual((userExpanded as Record<string, unknown>)[k]);
    console.log(`zammad_get_user id 3 expand: default ${size(small)} chars, full ${size(user)} chars`);
    expect(size(small)).toBeLessThan(size(user) / 2);
  });
});
