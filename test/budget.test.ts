import { describe, expect, test } from 'vitest';
import { costByToolset } from '../scripts/tokens.ts';
import { TOOLSETS } from '../src/config.ts';

describe('context budget (o200k, catalog §1)', () => {
  const per = costByToolset();
  const total = [...per.values()].reduce((a, b) => a + b, 0);

  test('whole catalog stays at or under 7,000 tokens', () => {
    console.log(`context cost: total ${total} tokens; ${[...per].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    expect(total).toBeLessThanOrEqual(7000);
  });
  for (const ts of TOOLSETS) {
    test(`${ts} stays at or under 3,000 tokens`, () => {
      expect(per.get(ts) ?? 0).toBeLessThanOrEqual(3000);
    });
  }
});
