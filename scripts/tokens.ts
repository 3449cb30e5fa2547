// What a client puts into the model's context for one tool (name, description, input schema), in o200k tokens.
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { AnyTool } from '../src/tools/define.ts';
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';

export function toolCost(t: AnyTool): number {
  return countTokens(
    JSON.stringify({ name: t.name, description: t.description, inputSchema: listedSchema(toolInput(t), 'input') }),
  );
}

export function costByToolset(): Map<string, number> {
  const per = new Map<string, number>();
  for (const t of allTools) per.set(t.toolset, (per.get(t.toolset) ?? 0) + toolCost(t));
  return per;
}

if (process.argv[1]?.endsWith('tokens.ts')) {
  for (const t of allTools) console.log(`${String(toolCost(t)).padStart(4)}  ${t.name}`);
  for (const [k, v] of costByToolset()) console.log(`${String(v).padStart(5)}  ${k} (total)`);
}
