// Real-client tools (MCP Inspector CLI, MCP conformance suite, a Node 22 binary) installed into
// test/clients/node_modules by scripts/ensure-clients.mjs, and a small runner for them.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BIN } from '../e2e/clients.ts';

export { BIN };
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const HERE = fileURLToPath(new URL('./', import.meta.url));
const MODULES = `${HERE}node_modules/`;

/** The Inspector CLI runs on the Node 22 binary (its engines field asks for Node >= 22.19). */
export const INSPECTOR = `${MODULES}.bin/inspector`;
/** The conformance suite needs Node 22 (it imports `globSync` from node:fs). */
export const CONFORMANCE = `${MODULES}@modelcontextprotocol/conformance/dist/index.js`;
export const NODE22 = `${MODULES}.bin/node`;

/** Fails (never skips) when the client tools or the built server are missing, saying how to get them. */
export function requireClients(): void {
  const pkg = JSON.parse(readFileSync(`${HERE}package.json`, 'utf8')) as { devDependencies: Record<string, string> };
  const problems: string[] = [];
  for (const [name, version] of Object.entries(pkg.devDependencies)) {
    const manifest = `${MODULES}${name}/package.json`;
    if (!existsSync(manifest)) {
      problems.push(`${name} is not installed`);
      continue;
    }
    const installed = (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
    // An alias (`npm:pkg@1.2.3`) pins the version after its last `@`.
    if (installed !== version.replace(/^npm:.*@/, ''))
      problems.push(`${name} is ${installed}, test/clients/package.json pins ${version}`);
  }
  for (const file of [INSPECTOR, CONFORMANCE, NODE22]) {
    if (!existsSync(file)) problems.push(`${file.slice(ROOT.length)} is missing`);
  }
  if (problems.length > 0) {
    throw new Error(
      `The real-client check tools in test/clients are not ready (${problems.join('; ')}). ` +
        'Run `node scripts/ensure-clients.mjs` (npm test does it first).',
    );
  }
  requireBuild();
}

export function requireBuild(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`node scripts/build.mjs\` (npm test does it first).`);
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command to completion (killing it after `timeoutMs`), collecting its output. */
export function run(
  command: string,
  args: string[],
  opts: { env?: Record<string, string>; timeoutMs?: number; cwd?: string } = {},
): Promise<Ran> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 30_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

export interface Inspected extends Ran {
  /** stdout parsed (`--format json` prints one JSON object), or undefined if it is not JSON. */
  json: { result?: Record<string, unknown> } | undefined;
}

let inspectorHome: string | undefined;
/** A throw-away home for the Inspector's storage, so test runs leave nothing in ~/.mcp-inspector. */
function home(): string {
  inspectorHome ??= mkdtempSync(join(tmpdir(), 'mailops-inspector-'));
  return inspectorHome;
}
/** Removes that home; call it from the afterAll of a file that ran the Inspector. */
export function disposeInspectorHome(): void {
  if (inspectorHome) rmSync(inspectorHome, { recursive: true, force: true });
  inspectorHome = undefined;
}

/**
 * Runs `inspector --cli --format json -q <target…> <args…>`. The target is a command line (stdio)
 * or a URL with its transport options (HTTP).
 */
export async function inspect(target: string[], args: string[], env: Record<string, string> = {}): Promise<Inspected> {
  const r = await run(NODE22, [INSPECTOR, '--cli', '--format', 'json', '-q', ...target, ...args], {
    // Ad-hoc runs need no secret store; this keeps the Inspector away from the OS keychain.
    env: {
      HOME: home(),
      MCP_STORAGE_DIR: join(home(), 'storage'),
      MCP_INSPECTOR_SECRET_STORE: 'memory',
      ...env,
    },
    timeoutMs: 30_000,
  });
  let json: Inspected['json'];
  try {
    json = JSON.parse(r.stdout) as Inspected['json'];
  } catch {
    json = undefined;
  }
  return { ...r, json };
}

/** A readable failure message for a run: its exit code and the end of its output (where summaries are). */
export function describeRun(r: Ran): string {
  return `exit ${r.code} after ${r.ms} ms\nstdout: ${r.stdout.slice(-3000)}\nstderr: ${r.stderr.slice(-2000)}`;
}
