// Issue 8, real clients 1: the MCP Inspector CLI (@modelcontextprotocol/inspector --cli) against the built
// server on the sandbox, over stdio and over Streamable HTTP (both protocol eras the Inspector speaks).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawnHttp } from '../e2e/clients.ts';
import { BIN, describeRun, disposeInspectorHome, type Inspected, inspect, requireClients } from './tools.ts';

type Tool = { name: string; annotations?: { readOnlyHint?: boolean; destructiveHint?: boolean } };
type CallResult = {
  isError?: boolean;
  content?: Array<{ text?: string }>;
  structuredContent?: Record<string, unknown>;
};

/** Exit code of the Inspector CLI when the tool returned `isError` (or was not found). */
const TOOL_ERROR_EXIT = 5;

let server: Awaited<ReturnType<typeof spawnHttp>>;
/** The sandbox's mailcow emulator, shared by the HTTP server and the stdio servers the Inspector spawns. */
let mailcowUrl: string;

beforeAll(async () => {
  requireClients();
  server = await spawnHttp(['--sandbox']);
  const m = /sandbox backends started (\{[^\n]*\})/.exec(server.stderr());
  if (!m?.[1]) throw new Error(`the sandbox did not log its backends: ${server.stderr()}`);
  mailcowUrl = (JSON.parse(m[1]) as { mailcow: string }).mailcow;
}, 30_000);
afterAll(async () => {
  await server?.stop();
  disposeInspectorHome();
});

interface Transport {
  name: string;
  /** Target for reads: the sandbox itself. */
  sandbox: () => string[];
  /**
   * Target for the destructive calls. Every Inspector run over stdio spawns a new server, so a change made
   * by one run must land in emulators that outlive it: the stdio server is pointed at the long-running
   * sandbox's mailcow emulator (the sandbox's own sample key), and the check reads it back in a new run.
   */
  shared: () => string[];
}

const stdioShared = () => [
  process.execPath,
  BIN,
  '-e',
  `MAILCOW_URL=${mailcowUrl}`,
  '-e',
  'MAILCOW_API_KEY=sandbox-mailcow-api-key',
  '-e',
  'MAILOPS_LOG_LEVEL=warn',
  // Each run is a new process: a shared key lets the next run accept the token the previous one minted.
  '-e',
  'MAILOPS_STATE_KEY=inspector-test-state-key-0123456789abcdef',
  '-e',
  'MAILOPS_AUDIT_LOG=off',
];
const http = (era: 'legacy' | 'modern') => () => [server.url, '--transport', 'http', '--protocol-era', era];
const transports: Transport[] = [
  { name: 'stdio', sandbox: () => [process.execPath, BIN, '--sandbox'], shared: stdioShared },
  { name: 'HTTP, 2025-11-25 era (legacy)', sandbox: http('legacy'), shared: http('legacy') },
  { name: 'HTTP, 2026-07-28 era (modern)', sandbox: http('modern'), shared: http('modern') },
];

function ok(r: Inspected): CallResult {
  expect(r.code, describeRun(r)).toBe(0);
  expect(r.json?.result, describeRun(r)).toBeDefined();
  return r.json?.result as CallResult;
}

async function aliasIds(target: string[]): Promise<number[]> {
  const r = ok(await inspect(target, ['--method', 'tools/call', '--tool-name', 'mailcow_list_aliases']));
  return ((r.structuredContent?.items ?? []) as Array<{ id: number }>).map((a) => a.id);
}

const listed: Record<string, string[]> = {};

describe.each(transports)('Inspector CLI over $name', (t) => {
  test('tools/list shows the tools with their annotations', async () => {
    const r = await inspect(t.sandbox(), ['--method', 'tools/list']);
    const tools = ok(r) as unknown as { tools: Tool[] };
    const byName = new Map(tools.tools.map((x) => [x.name, x]));
    expect(byName.get('mailcow_list_domains')?.annotations).toMatchObject({ readOnlyHint: true });
    expect(byName.get('mailcow_delete_alias')?.annotations).toMatchObject({ destructiveHint: true });
    for (const prefix of ['mailcow_', 'rackspace_', 'zammad_', 'zimbra_']) {
      expect(
        tools.tools.some((x) => x.name.startsWith(prefix)),
        prefix,
      ).toBe(true);
    }
    listed[t.name] = tools.tools.map((x) => x.name).sort();
  }, 60_000);

  test('a read tool returns structured content', async () => {
    const r = await inspect(t.sandbox(), [
      '--method',
      'tools/call',
      '--tool-name',
      'mailcow_get_mailbox',
      '--tool-arg',
      'email=info@example.com',
    ]);
    expect(ok(r).structuredContent).toMatchObject({ username: 'info@example.com', domain: 'example.com' });
  }, 60_000);

  test('a destructive tool exits 5 without confirmation, changes nothing, and runs with the token', async () => {
    const target = t.shared();
    const address = `inspector-${transports.indexOf(t)}@example.com`;
    const created = ok(
      await inspect(target, [
        '--method',
        'tools/call',
        '--tool-name',
        'mailcow_create_alias',
        '--tool-args-json',
        JSON.stringify({ address, goto: ['info@example.com'] }),
      ]),
    );
    const id = created.structuredContent?.id as number;
    expect(id, JSON.stringify(created)).toBeGreaterThan(0);

    const gated = await inspect(target, [
      '--method',
      'tools/call',
      '--tool-name',
      'mailcow_delete_alias',
      '--tool-arg',
      `id=${id}`,
    ]);
    expect(gated.code, describeRun(gated)).toBe(TOOL_ERROR_EXIT);
    const refusal = gated.json?.result as CallResult;
    expect(refusal.isError).toBe(true);
    expect(refusal.content?.[0]?.text).toMatch(
      new RegExp(`^Confirmation required: delete alias ${id} \\(DELETE /api/v1/aliases/${id}\\)`),
    );
    // The CLI adds one JSON error line on stderr for any non-zero exit.
    expect(gated.stderr).toContain('"tool_is_error"');
    expect(await aliasIds(target)).toContain(id);

    // `--tool-arg confirm=true` is coerced to a boolean by the CLI: a model-written flag changes nothing.
    const flagged = await inspect(target, [
      '--method',
      'tools/call',
      '--tool-name',
      'mailcow_delete_alias',
      '--tool-arg',
      `id=${id}`,
      'confirm=true',
    ]);
    expect(flagged.code, describeRun(flagged)).toBe(TOOL_ERROR_EXIT);
    expect(await aliasIds(target)).toContain(id);
    const token = /confirm: "([A-Za-z0-9_-]+)"$/.exec(refusal.content?.[0]?.text ?? '')?.[1];
    const done = await inspect(target, [
      '--method',
      'tools/call',
      '--tool-name',
      'mailcow_delete_alias',
      '--tool-arg',
      `id=${id}`,
      `confirm=${token}`,
    ]);
    expect(ok(done).structuredContent).toMatchObject({ type: 'success' });
    expect(await aliasIds(target)).not.toContain(id);
  }, 120_000);
});

test('stdio and both HTTP eras offer the same tools', () => {
  const lists = Object.values(listed);
  expect(lists).toHaveLength(transports.length);
  for (const l of lists) expect(l).toEqual(lists[0]);
});
