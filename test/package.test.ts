// Issue 15: the npm package as a user gets it (packed, installed alone, started through its bin), the MCP
// Registry entry (server.json against the registry's own schema, vendored in test/fixtures) and the MCPB
// desktop extension manifest (validated by the pinned @anthropic-ai/mcpb, tools checked for drift).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb';
import { Ajv } from 'ajv';
import formats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { manifestJson, serverJson } from '../scripts/meta.ts';
import { loadConfig } from '../src/config.ts';
import { allTools } from '../src/tools/index.ts';
import { VERSION } from '../src/version.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const read = (f: string) => JSON.parse(readFileSync(join(ROOT, f), 'utf8'));
const pkg = read('package.json');
const server = read('server.json');
const manifest = read('manifest.json');

/** Catalog section 3: every variable of the configuration contract. */
const CATALOG_VARS = (() => {
  const md = readFileSync(join(ROOT, '../shared/docs/catalog.md'), 'utf8');
  const section = md.slice(md.indexOf('## 3. Configuration'), md.indexOf('## 4.'));
  return [...new Set(section.match(/\b(MAILCOW|ZAMMAD|ZIMBRA|RACKSPACE|MAILOPS)_[A-Z_]+\b/g))];
})();
const SECRET = /KEY|TOKEN|PASSWORD/;
const BACKEND = /^(MAILCOW|ZAMMAD|ZIMBRA|RACKSPACE)_/;

describe('package.json', () => {
  test('no runtime dependencies, builds on pack, ships dist, registry metadata set', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.scripts.prepack).toContain('scripts/build.mjs');
    expect(pkg.files).toContain('dist');
    expect(pkg.mcpName).toBe('io.github.mailops-mcp/mailops-mcp');
    expect(pkg.repository.url).toContain('github.com/mailops-mcp/mailops-mcp');
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.keywords).toContain('mcp');
    expect(pkg.version).toBe(VERSION);
    // Pinned exact versions: a fresh install builds the same bundle.
    for (const [name, v] of Object.entries(pkg.devDependencies as Record<string, string>))
      expect(v, name).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe('server.json (MCP Registry)', () => {
  test('validates against the registry schema 2025-12-11', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    // ajv-formats is CommonJS with `exports.default`.
    (formats as unknown as { default: (a: Ajv) => void }).default(ajv);
    const validate = ajv.compile(read('test/fixtures/server.schema.2025-12-11.json'));
    expect(validate(server), ajv.errorsText(validate.errors)).toBe(true);
    // The schema is not a pushover: a description over 100 characters fails it.
    expect(validate({ ...server, description: 'x'.repeat(101) })).toBe(false);
  });

  test('name, version and package match package.json; every catalog variable, secrets marked', () => {
    expect(server.name).toBe(pkg.mcpName);
    expect(server.version).toBe(pkg.version);
    expect(server.description.length).toBeLessThanOrEqual(100);
    expect(server.packages).toHaveLength(1);
    const [p] = server.packages;
    expect(p).toMatchObject({ registryType: 'npm', identifier: pkg.name, version: pkg.version });
    expect(p.transport).toEqual({ type: 'stdio' });
    const env = new Map<string, { isSecret?: boolean }>(
      p.environmentVariables.map((v: { name: string }) => [v.name, v]),
    );
    expect([...env.keys()].sort()).toEqual([...CATALOG_VARS].sort());
    for (const [name, v] of env) expect(v.isSecret === true, name).toBe(SECRET.test(name));
  });

  test('is what npm run docs generates', () => {
    expect(server).toEqual(serverJson());
  });
});

describe('manifest.json (MCPB 0.3)', () => {
  test('is what npm run docs generates: the tool list follows the definitions', () => {
    expect(manifest).toEqual(manifestJson());
    expect(manifest.tools.map((t: { name: string }) => t.name)).toEqual(allTools.map((t) => t.name));
  });

  test('a user_config entry per backend variable, secrets sensitive', () => {
    expect(manifest.manifest_version).toBe('0.3');
    expect(manifest.version).toBe(pkg.version);
    const backendVars = CATALOG_VARS.filter((v) => BACKEND.test(v)).map((v) => v.toLowerCase());
    for (const k of backendVars) {
      expect(manifest.user_config[k], k).toBeDefined();
      expect(manifest.user_config[k].sensitive === true, k).toBe(SECRET.test(k.toUpperCase()));
      expect(manifest.server.mcp_config.env[k.toUpperCase()]).toBe(`\${user_config.${k}}`);
    }
  });

  test('validates with the pinned mcpb CLI', () => {
    const out = execFileSync(
      process.execPath,
      ['node_modules/@anthropic-ai/mcpb/dist/cli/cli.js', 'validate', 'manifest.json'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    expect(out).toContain('validation passes');
  });

  test('filled in for one backend only, the host gives the server a configuration it accepts', async () => {
    // The reference host code (mcpb's getMcpConfigForManifest): unset optional values fall back to their default.
    const cfg = await getMcpConfigForManifest({
      manifest,
      extensionPath: '/ext',
      systemDirs: {},
      userConfig: { mailcow_url: 'https://mail.example.com', mailcow_api_key: 'k' },
      pathSeparator: '/',
    });
    expect(cfg?.args).toEqual(['/ext/dist/mailops-mcp.js']);
    const env = cfg?.env as Record<string, string>;
    for (const v of Object.values(env)) expect(v).not.toContain('${');
    const c = loadConfig([], env);
    expect(Object.keys(c.backends)).toEqual(['mailcow']);
  });
});

describe('the packed tarball, installed alone into an empty folder', () => {
  let dir: string;
  let tgz: string;
  const figures: Record<string, string> = {};
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mailops-pack-'));
    // prepack (checked above) builds the bundle on publish; here the bundle npm test built is packed as it is, so
    // files running beside this one keep their dist/.
    if (!existsSync(join(ROOT, 'dist/mailops-mcp.js'))) throw new Error('dist/ is missing: run node scripts/build.mjs');
    const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const info = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string; files: { path: string }[] }>;
    tgz = join(dir, info[0]?.filename as string);
    expect(info[0]?.files.map((f) => f.path)).toContain('dist/mailops-mcp.js');
    const started = Date.now();
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tgz], {
      cwd: join(dir),
      encoding: 'utf8',
      env: { ...process.env, npm_config_cache: join(dir, '.npm-cache') },
    });
    figures.installMs = String(Date.now() - started);
  }, 180_000);
  afterAll(() => {
    console.error(`tarball ${statSync(tgz).size} bytes; installed ${figures.bytes} bytes in ${figures.installMs} ms`);
    rmSync(dir, { recursive: true, force: true });
  });

  const du = (p: string): number =>
    statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + du(join(p, f)), 0) : statSync(p).size;

  test('nothing but the package itself is installed, at most 3 MB', () => {
    const modules = readdirSync(join(dir, 'node_modules')).filter((f) => !f.startsWith('.'));
    expect(modules).toEqual(['mailops-mcp']);
    const bytes = du(join(dir, 'node_modules'));
    figures.bytes = String(bytes);
    expect(bytes).toBeLessThanOrEqual(3 * 1024 * 1024);
  });

  test('npx mailops-mcp --version prints the version', () => {
    const out = execFileSync('npx', ['--no-install', 'mailops-mcp', '--version'], { cwd: dir, encoding: 'utf8' });
    expect(out).toBe(`${pkg.version}\n`);
  });

  test('the installed bin serves tools/list over stdio with --sandbox', async () => {
    const bin = join(dir, 'node_modules', '.bin', 'mailops-mcp');
    const child = spawn(bin, ['--sandbox'], { env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'warn' } });
    const lines: string[] = [];
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let i = buf.indexOf('\n');
      while (i >= 0) {
        lines.push(buf.slice(0, i));
        buf = buf.slice(i + 1);
        i = buf.indexOf('\n');
      }
    });
    const send = (m: object) => child.stdin.write(`${JSON.stringify(m)}\n`);
    const answer = async (id: number) => {
      for (let t = 0; t < 200; t++) {
        const hit = lines.map((l) => JSON.parse(l)).find((m) => m.id === id);
        if (hit) return hit;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`no answer to ${id}`);
    };
    try {
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'pack-test', version: '1' } },
      });
      expect((await answer(1)).result.serverInfo).toEqual({ name: 'mailops-mcp', version: pkg.version });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
      expect((await answer(2)).result.tools.length).toBe(allTools.length);
    } finally {
      child.kill();
    }
  }, 30_000);
});
