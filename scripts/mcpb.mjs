// `npm run mcpb`: packs the desktop extension (manifest.json + the bundle) into mailops-mcp-<version>.mcpb.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
// The pinned devDependency's CLI (its package exports do not expose the path, so it is spelled out).
const cli = 'node_modules/@anthropic-ai/mcpb/dist/cli/cli.js';
const stage = 'build/mcpb';
const out = process.argv[2] ?? `mailops-mcp-${version}.mcpb`;

execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
execFileSync(process.execPath, [cli, 'validate', 'manifest.json'], { stdio: 'inherit' });
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
cpSync('dist', `${stage}/dist`, { recursive: true });
cpSync('manifest.json', `${stage}/manifest.json`);
cpSync('README.md', `${stage}/README.md`);
// The bundle is ESM: Node needs "type": "module" next to it.
writeFileSync(
  `${stage}/package.json`,
  `${JSON.stringify({ name: 'mailops-mcp', version, type: 'module' }, null, 2)}\n`,
);
execFileSync(process.execPath, [cli, 'pack', stage, out], { stdio: 'inherit' });
