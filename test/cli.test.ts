// Issue 15, the CLI that tells the truth: the built binary, spawned as a user runs it.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FLAGS, VARIABLES } from '../src/cli/help.ts';
import { parseArgv } from '../src/config.ts';
import { startSandboxes } from '../src/sandbox/index.ts';
import { VERSION } from '../src/version.ts';
import { BIN } from './e2e/clients.ts';

type Env = Record<string, string>;
/** Runs the built binary to its end (asynchronously: the sandbox below answers from this process). */
const run = (args: string[], env: Env = {}) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'warn', ...env },
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
    });
    p.stderr.on('data', (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => p.kill('SIGKILL'), 20_000);
    p.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

let sandbox: Awaited<ReturnType<typeof startSandboxes>>;
beforeAll(async () => {
  sandbox = await startSandboxes();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('--help and --version', () => {
  test('--version prints the version on stdout and exits 0', async () => {
    for (const flag of ['--version', '-v']) {
      const r = await run([flag]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${VERSION}\n`);
    }
  });

  test('--help prints on stdout, lists every flag the parser accepts and every variable', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    for (const [flag] of FLAGS) for (const f of flag.match(/--[a-z-]+/g) ?? []) expect(r.stdout).toContain(f);
    for (const [vars] of VARIABLES) for (const v of vars.match(/[A-Z_]{4,}/g) ?? []) expect(r.stdout).toContain(v);
    expect(r.stdout).toContain('doctor');
    // Every flag in the help is one the parser accepts (a listed flag that errors would be a lie).
    for (const [flag] of FLAGS) {
      const name = /--[a-z-]+/.exec(flag)?.[0] as string;
      expect(() => parseArgv([name, ...(/--[a-z-]+ \S/.test(flag) ? ['x'] : [])]), name).not.toThrow();
    }
  });
});

describe('misconfiguration stops start-up (exit 2) naming what is wrong', () => {
  const fails = async (args: string[], env: Env, ...parts: string[]) => {
    const r = await run(args, env);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stdout).toBe('');
    for (const p of parts) expect(r.stderr).toContain(p);
    return r.stderr;
  };

  test('an unknown tool or toolset name, in a variable or a flag, with the closest match', async () => {
    await fails(
      ['--sandbox'],
      { MAILOPS_TOOLS: 'mailcow_list_domainz' },
      'MAILOPS_TOOLS',
      'mailcow_list_domainz',
      'did you mean "mailcow_list_domains"',
    );
    await fails(['--sandbox'], { MAILOPS_EXCLUDE_TOOLS: 'nope' }, 'MAILOPS_EXCLUDE_TOOLS', '"nope"', 'Valid tools:');
    await fails(['--sandbox', '--tools', 'zammad_get_tiket'], {}, '--tools', 'did you mean "zammad_get_ticket"');
    await fails(
      ['--sandbox', '--exclude-tools', 'zimbra_delete_contact'],
      {},
      '--exclude-tools',
      '"zimbra_delete_contacts"',
    );
    await fails(['--sandbox'], { MAILOPS_TOOLSETS: 'mailcoww' }, 'MAILOPS_TOOLSETS', 'did you mean "mailcow"');
  });

  test('a credential without its URL, two auth methods, a flag that needs another', async () => {
    await fails([], { MAILCOW_API_KEY: 'k' }, 'MAILCOW_API_KEY', 'MAILCOW_URL');
    await fails(
      [],
      { ZAMMAD_URL: 'https://z.example', ZAMMAD_TOKEN: 't', ZAMMAD_USERNAME: 'u', ZAMMAD_PASSWORD: 'p' },
      'ZAMMAD_TOKEN',
      'ZAMMAD_USERNAME',
    );
    await fails(['--sandbox', '--port', '3112'], {}, '--port', '--http');
    await fails(['--sandbox', '--host', '127.0.0.1'], {}, '--host', '--http');
  });

  test('no backend configured says what to set', async () => {
    await fails([], {}, 'no backend is configured', 'MAILCOW_URL', '--sandbox');
    // `${VAR:-}` in a client configuration expands to "": still nothing configured.
    await fails([], { MAILCOW_URL: '', MAILCOW_API_KEY: '', ZAMMAD_URL: '' }, 'no backend is configured');
  });

  test('a port in use is one line naming the port and --port', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
        const p = spawn(process.execPath, [BIN, '--sandbox', '--http', '--port', String(port)], {
          env: { PATH: process.env.PATH ?? '', MAILOPS_LOG_LEVEL: 'silent' },
        });
        let err = '';
        p.stderr.on('data', (d) => {
          err += d;
        });
        p.once('exit', (code) => resolve({ code, err }));
      });
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toContain(`port ${port}`);
      expect(r.err).toContain('--port');
      expect(r.err).not.toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  }, 30_000);
});

describe('doctor', () => {
  test('--sandbox: one ok line per backend on stdout, exit 0', async () => {
    const r = await run(['doctor', '--sandbox']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ').slice(0, 2).join(' '))).toEqual([
      'ok mailcow:',
      'ok rackspace:',
      'ok zammad:',
      'ok zimbra:',
    ]);
    expect(r.stdout).toContain('customer 12345678');
    expect(r.stdout).toMatch(/ok zammad: .* as \S+@/);
  });

  test('one backend configured: only it is checked', async () => {
    const m = sandbox.configs.mailcow;
    const r = await run(['doctor'], { MAILCOW_URL: m?.url as string, MAILCOW_API_KEY: m?.apiKey as string });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^ok mailcow: rest API at http:\/\/127\.0\.0\.1:\d+, \d+ domains\n$/);
  });

  test('a wrong key: the failure in words with the fix, exit 1, the key never printed', async () => {
    const m = sandbox.configs.mailcow;
    const z = sandbox.configs.zammad;
    const r = await run(['doctor'], {
      MAILCOW_URL: m?.url as string,
      MAILCOW_API_KEY: 'wrong-key-8f3a',
      ZAMMAD_URL: z?.url as string,
      ZAMMAD_TOKEN: 'also-wrong-77c1',
    });
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^FAILED mailcow: .*HTTP 401.*fix: .*check MAILCOW_API_KEY/);
    expect(lines[1]).toMatch(/^FAILED zammad: .*fix: .*check ZAMMAD_TOKEN/);
    expect(r.stdout + r.stderr).not.toContain('wrong-key-8f3a');
    expect(r.stdout + r.stderr).not.toContain('also-wrong-77c1');
  });

  test('an unreachable server: the fix names the URL variable', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as { port: number }).port;
    await new Promise((r) => s.close(r));
    const r = await run(['doctor'], { ZIMBRA_URL: `http://127.0.0.1:${port}`, ZIMBRA_AUTH_TOKEN: 't' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^FAILED zimbra: .*fix: check ZIMBRA_URL/);
  });
});
