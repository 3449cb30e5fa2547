// Bar 1, Zimbra: XML metacharacters in every value travel as data and come back unchanged; a value that
// XML cannot carry (control characters) is refused before sending or escaped, never sent raw.
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Harness, mcpClient, startHarness, text } from '../harness.ts';

let h: Harness;
let mcp: Awaited<ReturnType<typeof mcpClient>>;
let calls = 0;
beforeAll(async () => {
  h = await startHarness(undefined, { unlimited: true });
  mcp = await mcpClient(h.clients);
});
afterAll(async () => {
  console.log(`robustness/zimbra-xml: ${calls} generated calls`);
  await mcp.close();
  await h.close();
});

/** Text made of the pieces that break naive XML: markup, entities, CDATA ends, quotes, and ordinary letters. */
const xmlish = fc
  .array(
    fc.constantFrom(
      '<',
      '>',
      '&',
      '"',
      "'",
      ']]>',
      '<![CDATA[',
      '&amp;',
      '&#x41;',
      '</a><a n="x">',
      '<!--',
      '-->',
      'a',
      'é',
      '😀',
      ' ',
    ),
    {
      minLength: 1,
      maxLength: 12,
    },
  )
  .map((parts) => parts.join(''))
  .filter((s) => s.trim() !== '');

/** Every request body the emulator received is well-formed XML. */
const wellFormed = () => {
  for (const s of h.sandbox.emulators.zimbra!.seen)
    expect(XMLValidator.validate(s.body), s.body.slice(0, 200)).toBe(true);
};

test('create, modify, get and search: metacharacters round-trip exactly', async () => {
  await fc.assert(
    fc.asyncProperty(xmlish, xmlish, xmlish, async (first, company, note) => {
      calls += 4;
      const created = await mcp.call('zimbra_create_contact', { attrs: { firstName: first, notes: note } });
      expect(created.isError, text(created)).toBeFalsy();
      const id = created.structuredContent?.id as string;
      expect((created.structuredContent?.attrs as Record<string, string> | undefined)?.firstName).toBe(first);
      const modified = await mcp.call('zimbra_modify_contact', {
        id: Number(id),
        attrs: [{ name: 'company', value: company }],
      });
      expect(modified.isError, text(modified)).toBeFalsy();
      const got = await mcp.call('zimbra_get_contacts', { ids: [id] });
      const attrs = (got.structuredContent?.items as Array<{ attrs: Record<string, string> }> | undefined)?.[0]?.attrs;
      expect(attrs).toMatchObject({ firstName: first, company, notes: note });
      const search = await mcp.call('zimbra_search_contacts', { query: first });
      expect(search.isError === true && !/^zimbra/.test(text(search))).toBe(false);
      wellFormed();
    }),
    { numRuns: 25 },
  );
});

test('characters that XML 1.0 cannot carry are refused by name before sending', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('\u0000', '\u0001', '\u0008', '\u000b', '\u001f', '\ufffe', '\ud800'),
      async (c) => {
        h.sandbox.emulators.zimbra!.clearLog();
        calls++;
        const r = await mcp.call('zimbra_create_contact', { attrs: { firstName: `x${c}y` } });
        // Refused before sending: not even the login goes out for it.
        expect(h.sandbox.emulators.zimbra!.seen.filter((s) => s.body.includes('CreateContactRequest'))).toHaveLength(0);
        expect(r.isError).toBe(true);
        expect(text(r)).toContain('firstName');
      },
    ),
    { numRuns: 6 },
  );
});
