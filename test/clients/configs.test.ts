// Issue 8, real clients 4: the ready-to-paste client configurations in README.md and the root mcp.json parse,
// have the shape their client expects, point at the real bin, and start the server with a real client.
// Issue 15: they start it through `npx -y mailops-mcp` and work with one backend's variables set; the README's
// Inspector command runs on Node 20 against a token-protected server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { spawnHttp } from '../e2e/clients.ts';
import { BIN, describeRun, disposeInspectorHome, inspect, ROOT, requireClients, run } from './tools.ts';

type Json = Record<string, unknown>;
interface Entry {
  type?: string;
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  url?: string;
  headers?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as {
  name: string;
  bin: Record<string, string>;
  files: string[];
};
/** How every snippet starts the server: the published package's bin, fetched by npx. */
const NPX = ['-y', 'mailops-mcp'];
const readme = readFileSync(`${ROOT}README.md`, 'utf8');
const rootConfig = JSON.parse(readFileSync(`${ROOT}mcp.json`, 'utf8')) as Json;
/** Every environment variable the server reads (names as they appear in its configuration code). */
const KNOWN_VARS = new Set(
  readFileSync(`${ROOT}src/config.ts`, 'utf8').match(/\b(MAILCOW|ZAMMAD|ZIMBRA|RACKSPACE|MAILOPS)_[A-Z_]+\b/g),
);

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

/** A stdio entry runs `npx -y mailops-mcp` (the package and bin of this repository) and sets known variables. */
function checkStdio(name: string, e: Entry): void {
  expect(e.command, name).toBe('npx');
  expect(e.args?.slice(0, 2), name).toEqual(NPX);
  expect(pkg.name).toBe('mailops-mcp');
  expect(Object.keys(pkg.bin)).toEqual(['mailops-mcp']);
  expect(e.url, name).toBeUndefined();
  for (const [k, v] of Object.entries(e.env ?? {})) {
    expect(KNOWN_VARS.has(k), `${name}: ${k} is not a variable mailops-mcp reads`).toBe(true);
    expect(v, `${name}: ${k}`).toBeTypeOf('string');
  }
}

/**
 * The environment the server gets from an entry when the user has filled in only the variables in `user` (pasted
 * over a literal, or through `${VAR}`, `${env:VAR}`, `${input:…}`). Any other `${VAR}` or `${env:VAR}` must carry a
 * default (`${VAR:-}`): Claude Code refuses an entry with an unset one, and a literal `${…}` is no value.
 */
function expand(e: Entry, user: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.env ?? {})) {
    if (user[k] !== undefined) {
      for (const r of refs(v)) expect(r, `${k} reads \${${r}}`).toMatch(new RegExp(`^(env:)?${k}(:-.*)?$|^input:`));
      out[k] = user[k] as string;
      continue;
    }
    out[k] = v.replace(/\$\{(?:env:)?([A-Z_][A-Z0-9_]*)(:-[^}]*)?\}/g, (_m, name: string, dflt?: string) => {
      expect(dflt, `${k}: \${${name}} is unset for a user with only ${Object.keys(user).join(', ')}`).toBeDefined();
      return (dflt as string).slice(2);
    });
    expect(out[k], k).not.toContain('${');
  }
  return out;
}

/** The `${…}` references in a value, e.g. `env:MAILCOW_URL`, `input:mailcow-key`, `ZAMMAD_URL`. */
function refs(v: string): string[] {
  return [...v.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1] as string);
}
function allValues(e: Entry): string[] {
  return [...(e.args ?? []), ...Object.values(e.env ?? {}), ...Object.values(e.headers ?? {}), e.url ?? ''];
}

/** The stdio entries of every snippet and of mcp.json, by where they come from. */
function stdioEntries(): Map<string, Entry> {
  const found = new Map<string, Entry>();
  for (const [client, key] of [
    ['Claude Desktop', 'mcpServers'],
    ['Claude Code', 'mcpServers'],
    ['Cursor', 'mcpServers'],
    ['VS Code', 'servers'],
  ] as const) {
    for (const [name, e] of entries(snippet(client), key)) if (e.command) found.set(`${client} ${name}`, e);
  }
  for (const [name, e] of entries(rootConfig, 'mcpServers')) if (e.command) found.set(`mcp.json ${name}`, e);
  return found;
}

describe('README client snippets', () => {
  test('Claude Desktop: mcpServers, stdio only (npx -y mailops-mcp)', () => {
    const c = snippet('Claude Desktop');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      expect(e.type ?? 'stdio', name).toBe('stdio');
      checkStdio(name, e);
    }
    // The advice next to it: its config file takes stdio servers only; remote ones go elsewhere.
    const section = readme.slice(readme.indexOf('**Claude Desktop**'), readme.indexOf('**Claude Code**'));
    expect(section).toMatch(/stdio servers only/);
    expect(section).toMatch(/Connectors/);
    expect(section).toMatch(/mcp-remote/);
  });

  test('Claude Code (.mcp.json): mcpServers with type, $VAR-style expansion', () => {
    const c = snippet('Claude Code');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      expect(['stdio', 'http', 'sse']).toContain(e.type);
      checkStdio(name, e);
      for (const r of allValues(e).flatMap(refs)) expect(r, `${name}: \${${r}}`).toMatch(/^[A-Z_][A-Z0-9_]*(:-.*)?$/);
    }
  });

  test('Cursor (.cursor/mcp.json): mcpServers, env:VAR-style expansion', () => {
    const c = snippet('Cursor');
    expect(Object.keys(c)).toEqual(['mcpServers']);
    for (const [name, e] of entries(c, 'mcpServers')) {
      checkStdio(name, e);
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
      checkStdio(name, e);
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
  test('mcpServers with a stdio entry (npx, every backend variable defaulting to empty) and an HTTP entry', () => {
    expect(pkg.files).toContain('mcp.json');
    expect(Object.keys(rootConfig)).toEqual(['mcpServers']);
    const list = entries(rootConfig, 'mcpServers');
    const stdio = list.filter(([, e]) => e.type === 'stdio');
    const http = list.filter(([, e]) => e.type === 'http');
    expect(stdio).toHaveLength(1);
    expect(http).toHaveLength(1);
    expect(list).toHaveLength(2);
    for (const [name, e] of stdio) {
      checkStdio(name, e);
      for (const [k, v] of Object.entries(e.env ?? {})) expect(v, `${name}: ${k}`).toBe(`\${${k}:-}`);
      for (const k of KNOWN_VARS) {
        if (
          /^(MAILCOW|ZAMMAD|ZIMBRA|RACKSPACE)_/.test(k) &&
          !/OAUTH|AUTH_TOKEN|USERNAME|PASSWORD|RACKSPACE_URL/.test(k)
        )
          expect(e.env?.[k], `${name} passes ${k}`).toBeDefined();
      }
    }
    for (const [name, e] of http) {
      expect(e.url, name).toBe('http://127.0.0.1:3000/mcp');
      expect(e.command, name).toBeUndefined();
      expect(e.headers, name).toEqual({ Authorization: `Bearer \${MAILOPS_HTTP_TOKEN:-}` });
      expect(KNOWN_VARS.has('MAILOPS_HTTP_TOKEN')).toBe(true);
    }
  });
});

describe('the configurations start the server with the Inspector CLI', () => {
  let dir: string | undefined;
  let server: Awaited<ReturnType<typeof spawnHttp>> | undefined;
  let sandbox: Awaited<ReturnType<typeof spawnHttp>> | undefined;
  afterAll(async () => {
    await server?.stop();
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    disposeInspectorHome();
  });

  test('every stdio entry, filled in for mailcow only, serves mailcow (npx -y mailops-mcp is this bin)', async () => {
    requireClients();
    // A mailcow to point at: the sandbox of a running server (its emulator outlives each Inspector run).
    sandbox = await spawnHttp(['--sandbox']);
    const m = /sandbox backends started (\{[^\n]*\})/.exec(sandbox.stderr());
    const user = {
      MAILCOW_URL: (JSON.parse(m?.[1] as string) as { mailcow: string }).mailcow,
      MAILCOW_API_KEY: 'sandbox-mailcow-api-key',
    };
    const found = stdioEntries();
    expect(found.size).toBeGreaterThanOrEqual(5);
    // Several entries give the same environment; run each distinct one once.
    const distinct = new Map<string, { env: Record<string, string>; who: string[] }>();
    for (const [who, e] of found) {
      const env = expand(e, user);
      const key = JSON.stringify(Object.entries(env).sort());
      distinct.set(key, { env, who: [...(distinct.get(key)?.who ?? []), who] });
    }
    for (const { env, who } of distinct.values()) {
      // `npx -y mailops-mcp` runs the package's bin; test/package.test.ts shows the installed tarball's npx does.
      // The entry goes to the Inspector as a config file (its `-e` cannot carry the empty values).
      dir ??= mkdtempSync(join(tmpdir(), 'mailops-config-'));
      const file = join(dir, 'stdio.json');
      const server = { command: process.execPath, args: [BIN], env: { MAILOPS_LOG_LEVEL: 'warn', ...env } };
      writeFileSync(file, JSON.stringify({ mcpServers: { s: server } }));
      const r = await inspect(['--config', file, '--server', 's'], ['--method', 'tools/list']);
      expect(r.code, `${who.join(', ')}\n${describeRun(r)}`).toBe(0);
      const names = ((r.json?.result as { tools?: { name: string }[] } | undefined)?.tools ?? []).map((t) => t.name);
      expect(names.length, who.join(', ')).toBeGreaterThan(0);
      expect(
        names.filter((n) => !n.startsWith('mailcow_')),
        who.join(', '),
      ).toEqual([]);
    }
  }, 90_000);

  test("the README's Inspector command runs on Node 20 against a token-protected server", async () => {
    requireClients();
    const cmd = /`(npx -y @modelcontextprotocol\/inspector@([\d.]+) --cli [^`]*)`/.exec(readme);
    expect(cmd, 'README shows a pinned Inspector command').not.toBeNull();
    const [line, version] = [cmd?.[1] as string, cmd?.[2] as string];
    expect(line).toContain('--header "Authorization: Bearer $MAILOPS_HTTP_TOKEN"');
    // The pinned copy in test/clients is that version (an alias next to the Node 22 one).
    const alias = `${ROOT}test/clients/node_modules/inspector-node20/`;
    expect((JSON.parse(readFileSync(`${alias}package.json`, 'utf8')) as { version: string }).version).toBe(version);
    const token = 'readme-inspector-token-91c2';
    const s = await spawnHttp(['--sandbox'], { MAILOPS_HTTP_TOKEN: token });
    try {
      const argv = line
        .replace(/^npx -y \S+ /, '')
        .replace('http://127.0.0.1:3000/mcp', s.url)
        .replace('$MAILOPS_HTTP_TOKEN', token)
        .match(/"[^"]*"|\S+/g)
        ?.map((a) => a.replace(/^"|"$/g, '')) as string[];
      // On this Node (20), as `npx` would run it.
      expect(process.versions.node.split('.')[0]).toBe('20');
      const r = await run(process.execPath, [`${alias}cli/build/cli.js`, ...argv], { env: { HOME: tmpdir() } });
      expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0);
      expect((JSON.parse(r.stdout) as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
      // Without the header the same server refuses: the header is what got through.
      const bare = argv.filter((a, i) => a !== '--header' && argv[i - 1] !== '--header');
      expect(
        (await run(process.execPath, [`${alias}cli/build/cli.js`, ...bare], { env: { HOME: tmpdir() } })).code,
      ).not.toBe(0);
    } finally {
      await s.stop();
    }
  }, 90_000);

  test('the HTTP entry of mcp.json, read by the Inspector with --config, reaches a token-protected server', async () => {
    requireClients();
    const token = 'config-test-token-5e1d';
    server = await spawnHttp(['--sandbox'], { MAILOPS_HTTP_TOKEN: token });
    const port = new URL(server.url).port;
    dir ??= mkdtempSync(join(tmpdir(), 'mailops-config-'));
    // What a client does with the file: expand ${MAILOPS_HTTP_TOKEN}. The port is the test server's.
    const text = readFileSync(`${ROOT}mcp.json`, 'utf8')
      .replace('http://127.0.0.1:3000/mcp', `http://127.0.0.1:${port}/mcp`)
      .replace(`\${MAILOPS_HTTP_TOKEN:-}`, token);
    writeFileSync(join(dir, 'mcp.json'), text);
    const args = ['--config', join(dir, 'mcp.json'), '--server', 'mailops-mcp-http', '--stored-auth-only'];
    const r = await inspect(args, ['--method', 'tools/list']);
    expect(r.code, describeRun(r)).toBe(0);
    expect((r.json?.result as { tools?: unknown[] } | undefined)?.tools?.length ?? 0).toBeGreaterThan(0);
  }, 60_000);
});
