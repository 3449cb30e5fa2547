// Bar 1: generated bad input never crashes or hangs the server, is refused naming the field, and sends
// nothing; valid identifiers with unusual characters never change the shape of the request path.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AnyTool } from '../../src/tools/define.ts';
import { allTools } from '../../src/tools/index.ts';
import { isLocalPart } from '../../src/tools/params.ts';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';
import { IDENTIFIERS, type Json, schemaOf, validArgs } from './args.ts';

let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;
const stats = { calls: 0, pathsCompared: 0 };

beforeAll(async () => {
  h = await startHarness(undefined, { unlimited: true });
  mcp = await mcpClient(h.clients, { rails: { confirm: 'flag' } });
});
afterAll(async () => {
  console.log(`robustness/inputs: ${stats.calls} generated calls; ${stats.pathsCompared} tools' paths compared`);
  await mcp.close();
  await h.close();
});

const emulators = () => Object.values(h.sandbox.emulators);
const clearLogs = () => {
  for (const e of emulators()) e.clearLog();
};
const sent = () => emulators().flatMap((e) => e.seen);

async function call(t: AnyTool, args: Record<string, unknown>) {
  stats.calls++;
  return mcp.call(t.name, args);
}

/** Path traversal and URL injection, for every identifier. */
const INJECTIONS = [
  '../etc',
  '..',
  'a/b',
  'a/../b',
  '..%2f..%2f',
  '%2e%2e',
  'x?y=1',
  'x#frag',
  'a\\..\\b',
  '/abs',
  'a b',
  'a\r\nX-Injected: 1',
  'a\u0000b',
  '',
];
/** Unicode and control-character edge cases. */
const ODD_CHARS = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\r\n',
  '\u202e',
  '\ud800',
  '\uffff',
  '\u{1f4a9}',
  '\u00a0',
);

function wrongTypeFor(s: Json): fc.Arbitrary<unknown> {
  // Every type the field allows, a union's members included (an id may be an integer or a numeric string).
  const typesOf = (x: Json): unknown[] => (Array.isArray(x.type) ? x.type : [x.type]);
  const types = [...typesOf(s), ...((s.anyOf as Json[] | undefined) ?? []).flatMap(typesOf)];
  const all: Record<string, fc.Arbitrary<unknown>> = {
    string: fc.string({ maxLength: 5 }),
    integer: fc.integer(),
    number: fc.double({ noNaN: true }),
    boolean: fc.boolean(),
    array: fc.array(fc.integer(), { maxLength: 2 }),
    object: fc.dictionary(fc.string({ minLength: 1, maxLength: 3 }), fc.integer(), { maxKeys: 2 }),
    null: fc.constant(null),
  };
  const excluded = new Set([
    ...types,
    ...(types.includes('integer') ? ['number'] : []),
    ...(types.includes('number') ? ['integer'] : []),
  ]);
  if (s.enum) excluded.clear();
  const options = Object.entries(all)
    .filter(([k]) => !excluded.has(k))
    .map(([, v]) => v);
  // An enum or union field: values of every type, minus those that happen to be allowed.
  return fc.oneof(...options).filter((v) => !(s.enum ?? []).includes(v));
}

const tools = allTools.map((t) => [t.name, t] as const);

describe.each(tools)('%s: invalid input', (_name, t) => {
  const schema = schemaOf(t);
  const props = Object.entries(schema.properties ?? {});

  test('a missing required field is refused by name and sends nothing', async () => {
    for (const field of schema.required ?? []) {
      clearLogs();
      const args = validArgs(t);
      delete args[field];
      const r = await call(t, args);
      expect(r.isError, `${field} missing`).toBe(true);
      expect(text(r)).toContain(field);
      expect(sent()).toHaveLength(0);
    }
  });

  test('a field of the wrong type is refused by name and sends nothing', async () => {
    for (const [field, s] of props) {
      if (field === 'confirm' && t.hints.destructive) continue;
      await fc.assert(
        fc.asyncProperty(wrongTypeFor(s), async (bad) => {
          clearLogs();
          const r = await call(t, { ...validArgs(t), [field]: bad });
          expect(r.isError, `${field}=${JSON.stringify(bad)}`).toBe(true);
          expect(text(r)).toContain(field);
          expect(sent()).toHaveLength(0);
        }),
        { numRuns: 4 },
      );
    }
  });

  test('an unknown argument is refused by name and sends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z][a-z_]{2,12}$/).filter((k) => !(k in (schema.properties ?? {}))),
        async (key) => {
          clearLogs();
          const r = await call(t, { ...validArgs(t), [key]: 'x' });
          expect(r.isError).toBe(true);
          expect(text(r)).toContain(key);
          expect(sent()).toHaveLength(0);
        },
      ),
      { numRuns: 3 },
    );
  });

  const idFields = props.filter(([f]) => IDENTIFIERS.has(f));
  // Only tools with an identifier field get this test.
  if (idFields.length > 0)
    test('path traversal, URL injection, control characters and huge strings in identifiers are refused', async () => {
      for (const [field] of idFields) {
        // `?`, `#`, `%` and `=` are legal in a local part (encoded where it enters a path): no injection there.
        const injections = field === 'local_part' ? INJECTIONS.filter((v) => !isLocalPart(v)) : INJECTIONS;
        const values = fc.oneof(
          fc.constantFrom(...injections),
          // Inside the value: surrounding spaces alone are trimmed, not refused.
          fc
            .tuple(fc.stringMatching(/^[a-z]{1,4}$/), ODD_CHARS, fc.stringMatching(/^[a-z]{1,4}$/))
            .map(([a, b, c]) => `${a}${b}${c}`),
          fc
            .tuple(
              ODD_CHARS.filter((c) => c.trim() !== ''),
              fc.constantFrom('example.com', 'alex.smith', '1'),
            )
            .map(([c, v]) => `${c}${v}`),
          fc.constant('a'.repeat(100_000)),
        );
        await fc.assert(
          fc.asyncProperty(values, async (bad) => {
            clearLogs();
            const r = await call(t, { ...validArgs(t), [field]: bad });
            expect(r.isError, `${field}=${JSON.stringify(bad).slice(0, 60)}`).toBe(true);
            expect(text(r)).toContain(field);
            expect(sent()).toHaveLength(0);
          }),
          { numRuns: 12 },
        );
      }
    });
});

/** Valid identifiers with characters that need encoding: `%`, `+`, `'`, `?`, `#`, `&`, `=` are all legal in local parts. */
const emails = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9.+%&'=?#!$*-]{0,10}[a-z0-9]$/).filter((s) => !s.includes('..')),
    fc.constantFrom('example.com', 'example.org', 'xn--bcher-kva.example'),
  )
  .map(([l, d]) => `${l}@${d}`);
const domains = fc.constantFrom(
  'example.com',
  'a-b.example',
  'xn--bcher-kva.example',
  'sub.domain.example.co.uk',
  'EXAMPLE.COM',
);
const mailboxNames = fc.stringMatching(/^[a-z][a-z0-9'_-]{0,8}(\.[a-z0-9'_-]{1,6})?$/);

const VALID: Record<string, fc.Arbitrary<unknown>> = {
  email: emails,
  username: emails,
  address: emails,
  domain: domains,
  mailbox: mailboxNames,
  id: fc.integer({ min: 1, max: 2_000_000 }),
  ticket_id: fc.integer({ min: 1, max: 2_000_000 }),
};

const segments = (path: string) => path.split('?')[0]!.split('/').filter(Boolean);

describe('valid identifiers never change the request path', () => {
  afterAll(() => {
    // Guard against a vacuous pass: most tools with a path identifier must really have been compared.
    expect(stats.pathsCompared).toBeGreaterThanOrEqual(30);
  });
  const candidates = allTools.filter((t) => Object.keys(schemaOf(t).properties ?? {}).some((f) => f in VALID));
  test.each(candidates.map((t) => [t.name, t] as const))('%s', async (_n, t) => {
    clearLogs();
    const base = validArgs(t);
    const confirm = t.hints.destructive ? { confirm: true } : {};
    await call(t, { ...base, ...confirm });
    const first = sent()[0];
    if (!first) return; // answered without a backend request (e.g. refused by the sandbox state): nothing to compare
    const baseline = segments(first.path);
    const inPath = Object.keys(VALID).filter(
      (f) => f in base && baseline.some((s) => decodeURIComponent(s) === String(base[f])),
    );
    if (inPath.length === 0) return;
    stats.pathsCompared++;
    await fc.assert(
      fc.asyncProperty(fc.record(Object.fromEntries(inPath.map((f) => [f, VALID[f]!]))), async (ids) => {
        clearLogs();
        await call(t, { ...base, ...ids, ...confirm });
        const req = sent()[0];
        expect(req, 'a request was sent').toBeDefined();
        const segs = segments(req!.path);
        expect(segs.length).toBe(baseline.length);
        for (const [f, v] of Object.entries(ids)) {
          const shown = f === 'domain' ? String(v) : String(v);
          expect(
            segs.map((s) => decodeURIComponent(s)),
            `${f}=${shown}`,
          ).toContain(shown);
        }
      }),
      { numRuns: 15 },
    );
  });
});
