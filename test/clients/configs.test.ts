// Issue 8, real clients 4: the ready-to-paste client configurations in README.md and the root mcp.json parse,
// have the shape their client expects, point at the real bin, and start the server with a real client.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnHttp } from '../e2e/clients.ts';
import { describeRun, disposeInspectorHome, inspect, ROOT, requireClients } from './tools.ts';

type Json = Record<string, unknown>;
interface Entry {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { bin: Record<string, string>; files: string[] };
const BIN_PATH = pkg.bin['mailops-mcp'] as string;
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const rootConfig = JSON.parse(readFileSync(`${ROOT}mcp.json`, 'utf8')) as Json;
/** Every environment variable the server reads (names as they appear in its configuration code). */
const KNOWN_VARS = new Set(
  readFileSync(`${ROOT}src/config.ts`, 'utf8').match(/\b(MAILCOW|ZAMMAD|ZIMBRA|RACKSPACE|MAILOPS)_[A-Z_]+\b/g),
);
const PLACEHOLDER = '/absolute/path/to/mailops-mcp/';
/** VS Code's variable for the opened folder (a template literal only to spell out the `${…}`). */
const WORKSPACE = `\${workspaceFolder}/`;

/** The fenced JSON block that follows the bold client name in the README's "Client set-up" section. */
function snippet(client: string): Json {
  const section = readme.slice(readme.indexOf('## Client set-up'));
  const at = section.indexOf(`**${client}**`);
  expect(at, `README has no **${client}** snippet`).toBeGreaterThanOrEqual(0);
  const m = /```json\n([\s\S]*?)\n```/.exec(section.slice(at));
  expect(m, `no json block after **${client}**`).not.toBeNull();
  return JSON.parse(m?.[1] as string) as Json;
}

function entries(config: Json, key: 'mcpServers' | 'servers'): Array<[string, Entry]> {
  const servers = config[key] as Record<string, Entry> | undefined;
  expect(servers, `top-level "${key}"`).toBeTypeOf('object');
  const list = Object.entries(servers ?? {});
  expect(list.length).toBeGreaterThan(0);
  return list;
}

/** A stdio entry runs `node <…>/dist/mailops-mcp.js` (the package's bin), never npx, and sets known variables. */
function checkStdio(name: string, e: Entry, binArg: (arg: string) => boolean): void {
  expect(e.command, name).toBe('node');
  expect(Array.isArray(e.args), name).toBe(true);
  const first = e.args?.[0] as string;
  expect(first.endsWith(`/${BIN_PATH}`) || first === BIN_PATH, `${name}: ${first} is not the bin ${BIN_PATH}`).toBe(
    true,
  );
  expect(binArg(first), `${name}: ${first}`).toBe(true);
  expect(e.url, name).toBeUndefined();
  for (const [k, v] of Object.entries(e.env ?? {})) {
    expect(KNOWN_VARS.has(k), `${name}: ${k} is not a variable mailops-mcp reads`).toBe(true);
    expect(v, `${name}: ${k}`).toBeTypeOf('string');
  }
}

/** The `${…}` references in a value, e.g. `env:MAILCOW_URL`, `input:mailcow-key`, `ZAMMAD_URL`. */
function refs(v: string): string[] {
  return [...v.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] as string);
}
function allValues(e: Entry): string[] {
  return [...(e.args ?? []), ...Object.values(e.env ?? {}), ...Object.values(e.headers ?? {}), e.url ?? ''];
}

/** Resolves a README command line the way a user pastes it: the placeholder path becomes this checkout. */
function resolveArgs(args: string[]): string[] {
  return args.map((a) => a.replace(PLACEHOLDER, ROOT).replace(WORKSPACE, ROOT));
}

/** The stdio command lines of every snippet and of mcp.json, by where they come from. */
function stdioCommandLines(): Map<string, string[]> {
  const lines = new Map<string, string[]>();
  for (const [client, key] of [
    ['Claude Desktop', 'mcpServers'],
    ['Claude Code', 'mcpServers'],
    ['Cursor', 'mcpServers'],
    ['VS Code', 'servers'],
  ] as const) {
    for (const [name, e] of entries(snippet(client), key)) {
      if (e.command) lines.set(`${client} ${name}`, resolveArgs(e.args ?? []));
    }
  }
  for (const [name, e] of entries(rootConfig, 'mcpServers')) if (e.command) lines.set(`mcp.json ${name}`, e.args ?? []);
  return lines;
}

describe('README client snippets', () => {
  test('Claude Desktop: mcpServers, node + absolute path to the bin', () => {
    const c = snippet('Claude Desktop');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      expect(e.type ?? 'stdio', name).toBe('stdio');
      checkStdio(name, e, (a) => a.startsWith(PLACEHOLDER));
    }
  });

  test('Claude Code (.mcp.json): mcpServers with type, $VAR-style expansion', () => {
    const c = snippet('Claude Code');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      expect(['stdio', 'http', 'sse']).toContain(e.type);
      checkStdio(name, e, (a) => a.startsWith(PLACEHOLDER));
      for (const r of allValues(e).flatMap(refs)) expect(r, `${name}: \${${r}}`).toMatch(/^[A-Z_][A-Z0-9_]*(:-.*)?$/);
    }
  });

  test('Cursor (.cursor/mcp.json): mcpServers, env:VAR-style expansion', () => {
    const c = snippet('Cursor');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      checkStdio(name, e, (a) => a.startsWith(PLACEHOLDER));
      const found = allValues(e).flatMap(refs);
      expect(found.length, `${name} should read its secrets from the environment`).toBeGreaterThan(0);
      for (const r of found)
        expect(r, `${name}: \${${r}}`).toMatch(/^(env:[A-Z_][A-Z0-9_]*|workspaceFolder|userHome)$/);
    }
  });

  test('VS Code (.vscode/mcp.json): servers with type, password inputs for the secrets', () => {
    const c = snippet('VS Code');
    expect(Object.keys(c).sort()).toEqual(['inputs', 'servers']);
    expect(c.mcpServers).toBeUndefined();
    const inputs = c.inputs as Array<{ type: string; id: string; description: string; password?: boolean }>;
    expect(Array.isArray(inputs)).toBe(true);
    const byId = new Map(inputs.map((i) => [i.id, i]));
    expect(byId.size, 'input ids are unique').toBe(inputs.length);
    for (const i of inputs) {
      expect(i.type).toBe('promptString');
      expect(i.id).toMatch(/^[\w.-]+$/);
      expect(i.description.length).toBeGreaterThan(0);
    }
    const used = new Set<string>();
    for (const [name, e] of entries(c, 'servers')) {
      expect(['stdio', 'http', 'sse'], `${name}: VS Code needs "type"`).toContain(e.type);
      checkStdio(name, e, (a) => a.startsWith(WORKSPACE));
      for (const r of allValues(e).flatMap(refs)) {
        expect(r, `${name}: \${${r}}`).toMatch(/^(input:[\w.-]+|env:[A-Z_][A-Z0-9_]*|workspaceFolder|userHome)$/);
        if (r.startsWith('input:')) {
          expect(byId.has(r.slice(6)), `${name}: \${${r}} has no matching input`).toBe(true);
          used.add(r.slice(6));
        }
      }
      // Secrets come from a password input, never inline.
      for (const [k, v] of Object.entries(e.env ?? {}).filter(([k]) => /KEY|TOKEN|PASSWORD|SECRET/.test(k))) {
        const id = /^\$\{input:([\w.-]+)\}$/.exec(v)?.[1];
        expect(id, `${name}: ${k} must be a \${input:…}`).toBeDefined();
        expect(byId.get(id as string)?.password, `${name}: input ${id} for ${k}`).toBe(true);
      }
    }
    expect([...used].sort(), 'every input is used').toEqual([...byId.keys()].sort());
  });

  test('the HTTP form mentioned in the README points at /mcp on the default port', () => {
    const m = /`(\{"type": "http", "url": "[^`]*\})`/.exec(readme);
    expect(m, 'README should show the HTTP entry').not.toBeNull();
    const e = JSON.parse(m?.[1] as string) as Entry;
    expect(e.url).toBe('http://127.0.0.1:3000/mcp');
  });
});

describe('the root mcp.json', () => {
  test('mcpServers with a stdio entry on the bin (relative) and an HTTP entry', () => {
    expect(pkg.files).toContain('mcp.json');
    expect(Object.keys(rootConfig)).toEqual(['mcpServers']);
    const list = entries(rootConfig, 'mcpServers');
    const stdio = list.filter(([, e]) => e.type === 'stdio');
    const http = list.filter(([, e]) => e.type === 'http');
    expect(stdio).toHaveLength(1);
    expect(http).toHaveLength(1);
    expect(list).toHaveLength(2);
    for (const [name, e] of stdio) {
      checkStdio(name, e, (a) => a === BIN_PATH);
      for (const [k, v] of Object.entries(e.env ?? {})) expect(v, `${name}: ${k}`).toBe(`\${${k}}`);
    }
    for (const [name, e] of http) {
      expect(e.url, name).toBe('http://127.0.0.1:3000/mcp');
      expect(e.command, name).toBeUndefined();
      expect(e.headers, name).toEqual({ Authorization: `Bearer \${MAILOPS_HTTP_TOKEN}` });
      expect(KNOWN_VARS.has('MAILOPS_HTTP_TOKEN')).toBe(true);
    }
  });
});

describe('the configurations start the server with the Inspector CLI', () => {
  let dir: string | undefined;
  let server: Awaited<ReturnType<typeof spawnHttp>> | undefined;
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    disposeInspectorHome();
  });

  test('every stdio command line, with the README placeholder filled in, serves the sandbox', async () => {
    requireClients();
    const lines = stdioCommandLines();
    expect(lines.size).toBeGreaterThanOrEqual(5);
    // Several snippets resolve to the same command line; run each distinct one once (relative paths from the root).
    const distinct = new Map<string, { args: string[]; who: string[] }>();
    for (const [who, args] of lines) {
      const key = JSON.stringify(args);
      distinct.set(key, { args, who: [...(distinct.get(key)?.who ?? []), who] });
    }
    for (const { args, who } of distinct.values()) {
      const r = await inspect([process.execPath, ...args, '--sandbox'], ['--method', 'tools/list']);
      expect(r.code, `${who.join(', ')}: node ${args.join(' ')}\n${describeRun(r)}`).toBe(0);
      expect((r.json?.result as { tools?: unknown[] } | undefined)?.tools?.length ?? 0).toBeGreaterThan(0);
    }
  }, 60_000);

  test('the HTTP entry of mcp.json, read by the Inspector with --config, reaches a token-protected server', async () => {
    requireClients();
    const token = 'config-test-token-5e1d';
    server = await spawnHttp(['--sandbox'], { MAILOPS_HTTP_TOKEN: token });
    const port = new URL(server.url).port;
    dir = mkdtempSync(join(tmpdir(), 'mailops-config-'));
    // What a client does with the file: expand ${MAILOPS_HTTP_TOKEN}. The port is the test server's.
    const text = readFileSync(`${ROOT}mcp.json`, 'utf8')
      .replace('http://127.0.0.1:3000/mcp', `http://127.0.0.1:${port}/mcp`)
      .replace(`\${MAILOPS_HTTP_TOKEN}`, token);
    writeFileSync(join(dir, 'mcp.json'), text);
    const args = ['--config', join(dir, 'mcp.json'), '--server', 'mailops-mcp-http', '--stored-auth-only'];
    const r = await inspect(args, ['--method', 'tools/list']);
    expect(r.code, describeRun(r)).toBe(0);
    expect((r.json?.result as { tools?: unknown[] } | undefined)?.tools?.length ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
