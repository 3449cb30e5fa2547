import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import { test } from 'vitest';
import { allTools } from '../src/tools/index.ts';
import { listedSchema, toolInput } from '../src/tools/register.ts';

test('cost', () => {
  let total = 0;
  for (const t of allTools.filter((t) => t.toolset === 'zammad')) {
    const j = JSON.stringify({
      name: t.name,
      description: t.description,
      inputSchema: listedSchema(toolInput(t), 'input'),
    });
    const n = countTokens(j);
    total += n;
    console.log(n, t.name, process.env.V ? j : '');
  }
  console.log('TOTAL', total);
});
