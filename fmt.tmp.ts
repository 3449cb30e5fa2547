import { allTools } from './src/tools/index.ts';
import { listedSchema, toolInput } from './src/tools/register.ts';
for (const n of process.argv.slice(2)) { const t = allTools.find((x) => x.name === n)!; console.log(n, t.description, JSON.stringify(listedSchema(toolInput(t), 'input'))); }
