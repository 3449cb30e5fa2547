// stdout carries JSON-RPC in stdio mode: nothing in src/ may write to it, but the CLI's printer (help, version, doctor).
const allowed = new Set([join('src', 'cli', 'print.ts')]);

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const banned = [/console\.(log|info|debug|table|dir)\s*\(/, /process\.stdout\.write\s*\(/];
const hits = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.ts') && !allowed.has(path)) {
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (banned.some((re) => re.test(line))) hits.push(`${path}:${i + 1}: ${line.trim()}`);
        });
    }
  }
};
walk('src');
if (hits.length) {
  console.error(`stdout is reserved for the protocol; found writes to it:\n${hits.join('\n')}`);
  process.exit(1);
}
