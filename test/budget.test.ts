import { describe, expect, test } from 'vitest';
import { costByToolset } from '../scripts/tokens.ts';
import { TOOLSETS } from '../src/config.ts';

// Catalog §1: name, description and inputSchema of every listed tool, counted with o200k.
const CATALOG_MAX = 7500;
const BACKEND_MAX = 3000;

describe('context budget (o200k, catalog §1)', () => {
  const per = costByToolset();
  const total = [...per.values()].reduce((a, b) => a + b, 0);

  test(`whole catalog stays at or under ${CATALOG_MAX} tokens`, () => {
    console.log(`context cost: total ${total} tokens; ${[...per].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    expect(total).toBeLessThanOrEqual(CATALOG_MAX);
  });
  test.each(TOOLSETS)(`%s stays at or under ${BACKEND_MAX} tokens`, (ts) => {
    expect(per.get(ts)).toBeGreaterThan(0);
    expect(per.get(ts)).toBeLessThanOrEqual(BACKEND_MAX);
  });
});
