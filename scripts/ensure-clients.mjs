// Installs the real-client check tools (MCP Inspector, MCP conformance suite, a Node 22 binary) into
// test/clients/node_modules from test/clients/package-lock.json, only when that install is missing or
// older than the lock file. They live in their own private package so the main install stays light.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, 'test', 'clients');
const lock = join(dir, 'package-lock.json');
const modules = join(dir, 'node_modules');
// npm ci rewrites this hidden lock file on every install, so its age is the age of the install.
const stamp = join(modules, '.package-lock.json');
const required = [
  join(modules, '.bin', 'inspector'),
  join(modules, '.bin', 'node'),
  join(modules, '@modelcontextprotocol', 'conformance', 'dist', 'index.js'),
];

const say = (msg) => process.stderr.write(`ensure-clients: ${msg}\n`);
const rel = (p) => relative(root, p) || '.';

if (!existsSync(lock)) {
  say(`${rel(lock)} is missing`);
  process.exit(1);
}

let why;
if (!existsSync(stamp)) why = `${rel(modules)} is missing`;
else if (statSync(stamp).mtimeMs < statSync(lock).mtimeMs) why = `${rel(modules)} is older than ${rel(lock)}`;
else {
  const gone = required.find((p) => !existsSync(p));
  if (gone) why = `${rel(gone)} is missing`;
}

if (!why) {
  say(`${rel(modules)} is up to date`);
  process.exit(0);
}

say(`${why}: running npm ci --prefix ${rel(dir)} (about 330 MB, half a minute)`);
const started = Date.now();
// npm's own output goes to stderr too: stdout stays clean for whoever runs this.
const r = spawnSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], {
  cwd: root,
  shell: process.platform === 'win32',
  stdio: ['ignore', process.stderr, process.stderr],
});
if (r.error) {
  say(`could not run npm: ${r.error.message}`);
  process.exit(1);
}
if (r.status !== 0) {
  say(`npm ci failed with exit code ${r.status}`);
  process.exit(r.status ?? 1);
}
const gone = required.find((p) => !existsSync(p));
if (gone) {
  say(`npm ci finished but ${rel(gone)} is still missing`);
  process.exit(1);
}
say(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
