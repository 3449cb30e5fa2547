import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, test } from 'vitest';
import { TOOLSETS } from '../src/config.ts';
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';

/** What a client puts into the model's context for one tool: name, description, input schema. */
export function toolCost(t: (typeof allTools)[number]): number {
  return countTokens(JSON.stringify({ name: t.name, description: t.description, inputSchema: listedSchema(toolInput(t), 'input') }));
}

describe('context budget (o200k, catalog §1)', () => {
  const per = new Map<string, number>();
  for (const t of allTools) per.set(t.toolset, (per.get(t.toolset) ?? 0) + toolCost(t));
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
