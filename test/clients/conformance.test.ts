// Issue 8, real clients 3: the MCP conformance suite (@modelcontextprotocol/conformance, run on the Node 22
// binary from test/clients) against the built server over Streamable HTTP, with a committed baseline of
// expected failures (test/clients/conformance-baseline.yml) that is explained line by line.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { spawnHttp } from '../e2e/clients.ts';
import { CONFORMANCE, describeRun, NODE22, ROOT, requireClients, run } from './tools.ts';

const BASELINE = `${ROOT}test/clients/conformance-baseline.yml`;
/** The scenarios that apply to a server with real tools (issue 8): these must pass, never be baselined. */
const APPLICABLE = [
  'server-initialize',
  'ping',
  'tools-list',
  'prompts-list',
  'server-sse-multiple-streams',
  'dns-rebinding-protection',
];
/** The only acceptable reasons for a baselined failure: a fixture tool/prompt, or a capability we do not declare. */
const FIXTURE_FAILURE =
  /^Failed: MCP error (-32602: ((Tool|Prompt) test_\w+ not found|Resource not found[^\n]*)|-32601: Method not found)$/;

let server: Awaited<ReturnType<typeof spawnHttp>>;
let out: string;
beforeAll(async () => {
  requireClients();
  server = await spawnHttp(['--sandbox']);
  out = mkdtempSync(join(tmpdir(), 'mailops-conformance-'));
}, 30_000);
afterAll(async () => {
  await server?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
});

interface Check {
  id: string;
  status: 'SUCCESS' | 'FAILURE' | 'WARNING' | 'INFO' | string;
  errorMessage?: string;
}

test('the conformance suite passes against the HTTP server, failing only on baselined fixture scenarios', async () => {
  // The suite reads the YAML itself; here each entry must sit under `server:` and carry its reason as a comment.
  const baselineText = readFileSync(BASELINE, 'utf8');
  const lines = baselineText.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));
  expect(lines[0]).toBe('server:');
  const baseline = lines.slice(1).map((l) => {
    const m = /^ {2}- ([\w-]+) # \S.{10,}$/.exec(l);
    expect(m, `baseline line without a scenario and its reason: ${l}`).not.toBeNull();
    return m?.[1] as string;
  });
  for (const s of APPLICABLE) expect(baseline, `${s} must pass, not be baselined`).not.toContain(s);

  const r = await run(
    NODE22,
    [CONFORMANCE, 'server', '--url', server.url, '--expected-failures', BASELINE, '-o', out],
    { timeoutMs: 110_000 },
  );

  // "✓ tools-list: 1 passed, 0 failed" per scenario, then "Total: 9 passed, 23 failed".
  const scenarios = new Map<string, { ok: boolean; passed: number; failed: number }>();
  for (const m of r.stdout.matchAll(/^([✓✗]) (\S+): (\d+) passed, (\d+) failed/gm)) {
    scenarios.set(m[2] as string, { ok: m[1] === '✓', passed: Number(m[3]), failed: Number(m[4]) });
  }
  const total = /^Total: (\d+) passed, (\d+) failed/m.exec(r.stdout);
  const passing = [...scenarios].filter(([, s]) => s.ok).map(([n]) => n);
  const failing = [...scenarios].filter(([, s]) => !s.ok).map(([n]) => n);
  console.log(
    [
      `conformance 0.1.16 on Node ${(await run(NODE22, ['--version'])).stdout.trim()} against ${server.url} (${r.ms} ms, exit ${r.code})`,
      `scenarios: ${scenarios.size}; passing ${passing.length}, failing ${failing.length} (baseline ${baseline.length}); checks: ${total?.[1]} passed, ${total?.[2]} failed`,
      ...[...scenarios].map(
        ([n, s]) =>
          `  ${s.ok ? '✓' : baseline.includes(n) ? '~' : '✗'} ${n}: ${s.passed} passed, ${s.failed} failed` +
          (s.ok ? '' : baseline.includes(n) ? ' (baselined: fixture)' : ' (UNEXPECTED)'),
      ),
    ].join('\n'),
  );

  expect(r.code, describeRun(r)).toBe(0);
  expect(r.stdout).toContain('Baseline check passed: all failures are expected.');
  expect(total, describeRun(r)).not.toBeNull();
  for (const s of APPLICABLE) {
    expect(scenarios.get(s), `${s} was not run\n${r.stdout}`).toBeDefined();
    expect(scenarios.get(s)?.ok, `${s} failed`).toBe(true);
    expect(scenarios.get(s)?.passed, `${s} made no check`).toBeGreaterThan(0);
  }
  // The suite ignores baseline entries for scenarios it no longer runs; do not let them linger.
  for (const s of baseline) expect(scenarios.has(s), `baseline entry ${s} is not a scenario of this suite`).toBe(true);
  expect(failing.sort()).toEqual([...baseline].sort());

  // Every baselined failure fails for the fixture reason, not for another one.
  const dirs = readdirSync(out);
  for (const s of baseline) {
    const dir = dirs.find((d) => d.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '') === `server-${s}`);
    expect(dir, `no results for ${s}`).toBeDefined();
    const checks = JSON.parse(readFileSync(join(out, dir as string, 'checks.json'), 'utf8')) as Check[];
    const failures = checks.filter((c) => c.status === 'FAILURE' || c.status === 'WARNING');
    expect(failures.length, s).toBeGreaterThan(0);
    for (const c of failures) expect(c.errorMessage, `${s}: ${c.id}`).toMatch(FIXTURE_FAILURE);
  }
}, 120_000);
