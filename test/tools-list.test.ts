import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { withReference } from '../scripts/tool-docs.ts';
import { type Harness, mcpClient, startHarness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

test('tools/list matches the committed snapshot', async () => {
  const c = await mcpClient(h.clients);
  const { tools } = await c.client.listTools();
  await c.close();
  const line = JSON.stringify(tools);
  console.log(`tools/list: ${tools.length} tools, ${line.length} characters`);
  await expect(`${JSON.stringify(tools, null, 1)}\n`).toMatchFileSnapshot('__snapshots__/tools-list.json');
});

test('the README tool reference is generated from the definitions (run `npm run docs` after a change)', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  expect(withReference(readme)).toBe(readme);
});
