import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';

// The contract: tool names listed per backend section in shared/docs/catalog.md §4.
const catalog = readFileSync(new URL('../../shared/docs/catalog.md', import.meta.url), 'utf8');
function catalogNames(backend: string): string[] {
  return [...catalog.matchAll(/^\| `([a-z0-9_]+)` \|/gm)]
    .map((m) => m[1] as string)
    .filter((n) => n.startsWith(`${backend}_`));
}

describe('catalog invariants', () => {
  test('names are unique, snake_case, prefixed by their backend', () => {
    const names = allTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const t of allTools) {
      expect(t.name).toMatch(/^[a-z][a-z0-9_]{0,63}$/);
      expect(t.name.startsWith(`${t.toolset}_`)).toBe(true);
    }
  });

  test.each([...new Set(allTools.map((t) => t.toolset))])('%s offers exactly the tools of the catalog', (toolset) => {
    expect(
      allTools
        .filter((t) => t.toolset === toolset)
        .map((t) => t.name)
        .sort(),
    ).toEqual(catalogNames(toolset).sort());
  });

  test.each(allTools.map((t) => [t.name, t] as const))('%s: annotations, description, schema', (_n, t) => {
    for (const h of ['readOnly', 'destructive', 'idempotent', 'openWorld'] as const)
      expect(typeof t.hints[h]).toBe('boolean');
    expect(t.hints.readOnly && t.hints.destructive).toBe(false);
    expect(t.title.length).toBeGreaterThan(3);
    expect(t.description.length).toBeLessThanOrEqual(200);
    expect(t.description).toMatch(/^[A-Z].*[.)]$/);
    // One sentence, plus at most one "Use when / not when" line.
    const sentences = t.description.split(/(?<=[.!?])\s+(?=[A-Z])/);
    expect(sentences.length === 1 || (sentences.length === 2 && /^Use /.test(sentences[1] as string))).toBe(true);
    const schema = JSON.stringify(listedSchema(toolInput(t), 'input'));
    expect(schema).not.toContain('"pattern"');
    expect(schema).not.toContain('$schema');
    expect(schema).not.toContain('9007199254740991');
  });

  test.each(allTools.filter((t) => t.hints.destructive).map((t) => [t.name, t] as const))(
    '%s is gated by confirmation',
    (_n, t) => {
      expect(t.confirm).toBeTypeOf('function');
      expect(toolInput(t).shape).toHaveProperty('confirm');
      expect(t.hints.readOnly).toBe(false);
    },
  );

  test('read-only tools are never destructive and writes are never read-only', () => {
    for (const t of allTools) if (t.hints.readOnly) expect(t.confirm).toBeUndefined();
  });
});
