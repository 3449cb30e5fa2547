import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';
const per = new Map<string, number>();
for (const t of allTools.filter((t) => t.toolset === 'zammad')) {
  const s = listedSchema(toolInput(t), 'input') as { properties: Record<string, unknown> };
  for (const [k, v] of Object.entries(s.properties)) per.set(k, (per.get(k) ?? 0) + countTokens(JSON.stringify({ [k]: v })) - 2);
  per.set('(desc)', (per.get('(desc)') ?? 0) + countTokens(t.description));
}
for (const [k, v] of [...per].sort((a, b) => b[1] - a[1])) console.log(v, k);
