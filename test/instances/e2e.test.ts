import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BIN, stdioClient } from '../e2e/clients.ts';

type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };

const dir = mkdtempSync(join(tmpdir(), 'mailops-e2e-'));
const write = (name: string, text: string, mode = 0o600) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
};
// The README's acceptance file: secrets from the environment and a file, neither needed on the sandbox.
const FILE = write(
  'mailops.yaml',
  `mailcow:
  prod: { url: https://mail.example.com, api_key: { env: MAILCOW_PROD_KEY }, api_style: native, domains: [example.com] }
  lab:  { url: https://lab.example.net, api_key: { file: /run/secrets/lab_key }, read_only: true }
`,
);

describe('the built server with an instances file', () => {
  test('--sandbox --config: both instances, a mailbox in prod, refusals for other.org and for lab', async () => {
    const c = await stdioClient('v2-legacy', ['--sandbox', '--config', FILE]);
    try {
      const { tools } = await c.listTools();
      expect(tools.map((t) => t.name).every((n) => n.startsWith('mailcow_'))).toBe(true);
      expect(tools).toHaveLength(17);
      const call = async (name: string, args: Record<string, unknown>) =>
        (await c.callTool({ name, arguments: args })) as Result;
      const created = await call('mailcow_create_mailbox', {
        instance: 'prod',
        domain: 'example.com',
        local_part: 'new.hire',
        name: 'New Hire',
        password: 'Sandbox-pw-123',
      });
      expect(created.structuredContent).toMatchObject({ type: 'success', instance: 'prod' });
      const listed = await call('mailcow_list_mailboxes', { instance: 'prod' });
      expect(JSON.stringify(listed.structuredContent)).toContain('new.hire@example.com');
      const lab = await call('mailcow_list_mailboxes', { instance: 'lab' });
      expect(JSON.stringify(lab.structuredContent)).not.toContain('new.hire@example.com');
      const other = await call('mailcow_create_mailbox', {
        instance: 'prod',
        domain: 'other.org',
        local_part: 'x',
        name: 'X',
        password: 'Sandbox-pw-123',
      });
      expect(other.content[0]?.text).toBe(
        'Refused: instance prod may only touch example.com; domain (other.org) is outside. Nothing was sent.',
      );
      const write = await call('mailcow_create_domain', { instance: 'lab', domain: 'lab.example' });
      expect(write.content[0]?.text).toBe('Refused: mailcow instance lab is read-only. Nothing was sent.');
    } finally {
      await c.close();
    }
  });

  test('MAILOPS_CONFIG works like --config, and the environment adds instance default', async () => {
    write('lab_key', 'lab-key\n');
    const file = write(
      'live.yaml',
      'mailcow:\n  prod: { url: https://p.example, api_key: { env: MAILCOW_PROD_KEY } }\n  lab: { url: https://l.example, api_key: { file: lab_key } }\n',
    );
    const c = await stdioClient('v2-legacy', [], {
      env: { MAILOPS_CONFIG: file, MAILCOW_PROD_KEY: 'k', MAILCOW_URL: 'https://m.example', MAILCOW_API_KEY: 'e' },
    });
    try {
      const { tools } = await c.listTools();
      const schema = (tools[0] as unknown as { inputSchema: { properties: { instance: { enum: string[] } } } })
        .inputSchema;
      expect(schema.properties.instance.enum).toEqual(['default', 'prod', 'lab']);
    } finally {
      await c.close();
    }
  });

  test('a bad file stops start-up naming the path inside it; an open file with inline secrets is warned about', () => {
    const run = (file: string, env: Record<string, string> = {}) =>
      spawnSync(process.execPath, [BIN, '--config', file], {
        env: { PATH: process.env.PATH ?? '', ...env },
        input: '',
        encoding: 'utf8',
        timeout: 20_000,
      });
    const bad = run(
      write(
        'bad.json',
        JSON.stringify({ mailcow: { prod: { url: 'https://m.example', api_key: { env: 'MAILCOW_PROD_KEY' } } } }),
      ),
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('mailops-mcp: mailcow.prod.api_key: environment variable MAILCOW_PROD_KEY is not set');
    const open = run(
      write('open.yaml', 'mailcow:\n  prod: { url: https://m.example, api_key: inline-key-123 }\n', 0o644),
    );
    expect(open.stderr).toContain('holds secrets (mailcow.prod.api_key) and can be read by group or others');
    expect(open.stderr).not.toContain('inline-key-123');
  });
});
