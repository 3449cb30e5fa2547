import { readFileSync, writeFileSync } from 'node:fs';
import { manifestJson, serverJson } from './meta.ts';

for (const [file, data] of [
  ['server.json', serverJson()],
  ['manifest.json', manifestJson()],
] as const) {
  const text = `${JSON.stringify(data, null, 2)}\n`;
  let before = '';
  try {
    before = readFileSync(file, 'utf8');
  } catch {}
  if (text !== before) writeFileSync(file, text);
  console.error(`${file} ${text === before ? 'is up to date' : 'regenerated'}`);
}
