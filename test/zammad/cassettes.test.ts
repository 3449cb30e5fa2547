import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { afterEach, describe, expect, test } from 'vitest';
import { type ZammadEmulator, zammadEmulator } from '../../src/sandbox/zammad/rest.ts';
import { type Interaction, quoted, readCassette } from './cassette.ts';

// Replays the recorded traffic of a real Zammad (zammad_py's VCR cassettes, 2025) against the emulator:
// same status codes, same content types, same body shapes. Values are not compared: ids, timestamps,
// logins and ticket numbers depend on the recording server's state (fixtures README, "volatile fields").
// The knowledge-base cassettes are not replayed: knowledge bases are outside catalog §4.3 and the emulator.

const DIR = new URL('../../../shared/fixtures/zammad-cassettes/', import.meta.url);
const TOKEN = 'cassette-token';
const load = (name: string) => readCassette(readFileSync(new URL(name, DIR), 'utf8'));

/** Keys whose values are maps keyed by ids or names (or free-form): only "an object" is compared. */
const MAPS = new Set(['preferences', 'group_ids', 'groups', 'assets']);

/** Where the emulator's answer differs in shape from the recording; empty when they match. */
export function shapeDiff(expected: unknown, actual: unknown, path = '$'): string[] {
  if (expected === null || actual === null) return [];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array`];
    if (expected.length === 0 || actual.length === 0) return [];
    // Each element must have the shape of some recorded element (records with and without an organization differ).
    return actual.flatMap((a, i) => {
      const tries = expected.map((e) => shapeDiff(e, a, `${path}[${i}]`));
      return tries.some((t) => t.length === 0) ? [] : (tries[0] as string[]);
    });
  }
  if (typeof expected === 'object') {
    if (!actual || typeof actual !== 'object' || Array.isArray(actual)) return [`${path}: expected an object`];
    const name = path.split('.').at(-1) as string;
    if (MAPS.has(name)) return [];
    const e = Object.keys(expected as object).sort();
    const a = Object.keys(actual as object).sort();
    // An expanded name is left out when its `<name>_id` is null (a user without organization): a value, not a shape.
    const optional = (k: string, rec: object) => (rec as Record<string, unknown>)[`${k}_id`] === null;
    const missing = e
      .filter((k) => !a.includes(k) && !optional(k, actual as object))
      .map((k) => `${path}.${k}: missing`);
    const extra = a
      .filter((k) => !e.includes(k) && !optional(k, expected as object))
      .map((k) => `${path}.${k}: not in the recording`);
    const inner = e
      .filter((k) => a.includes(k))
      .flatMap((k) => shapeDiff((expected as never)[k], (actual as never)[k], `${path}.${k}`));
    return [...missing, ...extra, ...inner];
  }
  return typeof expected === typeof actual
    ? []
    : [`${path}: ${typeof actual} where the recording has ${typeof expected}`];
}

const parse = (s: string) => (s.trim() === '' ? '' : JSON.parse(s));

let emu: ZammadEmulator | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

/** Replays one cassette in order, mapping the recording's new ids onto the emulator's (`POST /x` → `/x/{id}`). */
async function replay(interactions: Interaction[]) {
  emu = zammadEmulator({ token: TOKEN });
  const base = await emu.listen();
  const ids = new Map<string, string>();
  const results = [];
  for (const it of interactions) {
    const u = new URL(it.uri);
    const path = u.pathname.replace(/^(\/api\/v1\/\w+\/)(\d+)$/, (m, head: string, id: string) =>
      ids.has(`${head}${id}`) ? `${head}${ids.get(`${head}${id}`)}` : m,
    );
    const res = await request(`${base}${path}${u.search}`, {
      method: it.method as 'GET',
      headers: {
        authorization: `Token token=${TOKEN}`,
        ...(it.requestBody ? { 'content-type': 'application/json' } : {}),
      },
      body: it.requestBody,
    });
    const text = await res.body.text();
    const actual = parse(text);
    if (it.method === 'POST' && res.statusCode === 201) {
      const recorded = parse(it.body) as { id?: number };
      ids.set(`${u.pathname}/${recorded.id}`, String((actual as { id: number }).id));
    }
    results.push({ it, status: res.statusCode, contentType: String(res.headers['content-type']), actual });
  }
  return results;
}

function expectFaithful(results: Awaited<ReturnType<typeof replay>>) {
  for (const { it, status, contentType, actual } of results) {
    const where = `${it.method} ${new URL(it.uri).pathname}${new URL(it.uri).search}`;
    expect(status, where).toBe(it.status);
    expect(contentType.split(';')[0], where).toBe(it.contentType?.split(';')[0]);
    const expected = parse(it.body);
    expect(Array.isArray(actual) && actual.length === 0, `${where}: empty list`).toBe(
      Array.isArray(expected) && expected.length === 0,
    );
    expect(shapeDiff(expected, actual), where).toEqual([]);
  }
}

describe('recorded Zammad traffic replayed against the emulator', () => {
  test('the cassette reader folds quoted scalars as YAML does', () => {
    expect(quoted("'a ''b''\n   c\n\n   d'", 0)).toBe("a 'b' c\nd");
    const tickets = load('TestAPI.test_tickets.yaml');
    expect(tickets.map((i) => `${i.method} ${i.status}`)).toEqual([
      'GET 200',
      'GET 200',
      'POST 201',
      'PUT 200',
      'DELETE 200',
      'GET 200',
    ]);
    expect(JSON.parse(tickets[2]?.requestBody as string)).toMatchObject({
      group: 'Users',
      article: { subject: 'some subject' },
    });
    expect(JSON.parse(tickets[0]?.body as string)[0].organization).toBe('Zammad Foundation');
  });

  test('tickets: list, show, create, update, delete (empty text/html), search (plain array)', async () => {
    expectFaithful(await replay(load('TestAPI.test_tickets.yaml')));
  });

  test('users: list, me, show, create, update, search', async () => {
    // The recording's API user was John Doe, whom the search finds.
    expectFaithful(
      await replayAfter(
        [createUser('{"firstname":"John","lastname":"Doe","email":"johndoe@example.com"}')],
        load('TestAPI.test_users.yaml'),
      ),
    );
  });

  test('groups: list, show, create, update, delete', async () => {
    expectFaithful(await replay(load('TestAPI.test_groups.yaml')));
  });

  test('pagination: pages of two users until an empty page, then deletes', async () => {
    // The recording server held 7 users before the test created 5, as the seed does.
    expectFaithful(await replayAfter([], load('TestAPI.test_pagination.yaml')));
  });

  test('a shape difference is caught', () => {
    expect(shapeDiff({ a: 1, b: 'x' }, { a: 1 })).toEqual(['$.b: missing']);
    expect(shapeDiff([{ a: 1 }], [{ a: '1' }])).toEqual(['$[0].a: string where the recording has number']);
  });
});

const createUser = (json: string): Interaction => ({
  method: 'POST',
  uri: 'http://localhost:8080/api/v1/users',
  requestBody: json,
  status: 201,
  body: '{}',
});

/** Brings the emulator to the recording's starting point first; only the recorded interactions are compared. */
async function replayAfter(setup: Interaction[], interactions: Interaction[]) {
  const all = await replay([...setup, ...interactions]);
  for (const r of all.slice(0, setup.length)) expect(r.status).toBe(201);
  return all.slice(setup.length);
}
