import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ConfigError } from '../../src/errors.ts';
import { loadInstancesFile, parseInstances, parseText, unite } from '../../src/instances/file.ts';
import { allTools } from '../../src/tools/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'mailops-instances-'));
const toolNames = {
  mailcow: allTools.filter((t) => t.toolset === 'mailcow').map((t) => t.name),
  rackspace: allTools.filter((t) => t.toolset === 'rackspace').map((t) => t.name),
  zammad: allTools.filter((t) => t.toolset === 'zammad').map((t) => t.name),
  zimbra: allTools.filter((t) => t.toolset === 'zimbra').map((t) => t.name),
};
const ctx = (env: Record<string, string> = {}) => ({ env, base: dir, toolNames });
const parse = (doc: unknown, env: Record<string, string> = {}) => parseInstances(doc, ctx(env));
const fail = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};
const failing = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return (err as Error).message;
};
const file = (name: string, text: string, mode = 0o600) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  chmodSync(p, mode);
  return p;
};

// The catalog §6 example, completed with the secrets it names.
const YAML = `
mailcow:
  prod: { url: https://mail.example.com, api_key: { env: MAILCOW_PROD_KEY }, api_style: native, domains: [example.com] }
  lab:  { url: https://lab.example.net, api_key: { file: lab_key }, read_only: true }
zammad:
  main: { url: https://helpdesk.example.com, token: { env: ZAMMAD_TOKEN } }
rackspace:
  acme: { user_key: uk-inline, secret_key: { env: RS_SECRET }, customer_id: "12345678", domains: [acme.example] }
`;
const ENV = { MAILCOW_PROD_KEY: 'prod-key', ZAMMAD_TOKEN: 'zt', RS_SECRET: 'rs-secret' };

describe('instances file', () => {
  test('--config wins over MAILOPS_CONFIG; neither means no file', () => {
    expect(loadConfig(['--config', 'a.yaml'], { MAILOPS_CONFIG: 'b.json' }).instancesFile).toBe('a.yaml');
    expect(loadConfig([], { MAILOPS_CONFIG: 'b.json' }).instancesFile).toBe('b.json');
    expect(loadConfig([], {}).instancesFile).toBeUndefined();
  });

  test('the catalog example in YAML: every backend, every secret form, policies', async () => {
    file('lab_key', 'lab-key\n');
    const { fleet, inlineSecrets } = parse(await parseText(YAML, 'x.yaml'), ENV);
    expect(fleet.mailcow).toEqual([
      {
        name: 'prod',
        config: { url: 'https://mail.example.com', apiKey: 'prod-key', style: 'native' },
        policy: { readOnly: false, domains: ['example.com'] },
      },
      {
        name: 'lab',
        config: { url: 'https://lab.example.net', apiKey: 'lab-key', style: 'rest' },
        policy: { readOnly: true },
      },
    ]);
    expect(fleet.zammad?.[0]?.config).toEqual({
      url: 'https://helpdesk.example.com',
      auth: { kind: 'token', token: 'zt' },
    });
    expect(fleet.rackspace?.[0]).toEqual({
      name: 'acme',
      config: {
        url: 'https://api.emailsrvr.com/v1',
        userKey: 'uk-inline',
        secretKey: 'rs-secret',
        customerId: '12345678',
      },
      policy: { readOnly: false, domains: ['acme.example'] },
    });
    expect(inlineSecrets).toEqual(['rackspace.acme.user_key']);
  });

  test('JSON reads the same as YAML; zimbra and every zammad auth; tool lists', async () => {
    const json = JSON.stringify({
      zimbra: {
        a: { url: 'https://z.example', username: 'u', password: { env: 'ZP' } },
        b: { url: 'https://z2.example', auth_token: 'tok-inline' },
      },
      zammad: {
        o: { url: 'https://h.example', oauth_token: 'oa' },
        p: { url: 'https://h.example', username: 'agent', password: 'pw', exclude_tools: ['zammad_delete_ticket'] },
        t: { url: 'https://h.example', token: 't', tools: ['zammad_get_ticket'] },
      },
    });
    const { fleet } = parse(await parseText(json, 'x.json'), { ZP: 'zp' });
    expect(fleet.zimbra?.map((i) => i.config.auth)).toEqual([
      { kind: 'password', username: 'u', password: 'zp' },
      { kind: 'token', token: 'tok-inline' },
    ]);
    expect(fleet.zammad?.map((i) => i.config.auth.kind)).toEqual(['bearer', 'basic', 'token']);
    expect(fleet.zammad?.[1]?.policy).toEqual({ readOnly: false, exclude: ['zammad_delete_ticket'] });
    expect(fleet.zammad?.[2]?.policy).toEqual({ readOnly: false, tools: ['zammad_get_ticket'] });
    expect(await failing(parseText('{', 'x.json'))).toMatch(/^x\.json: not valid JSON/);
    expect(await failing(parseText('a: [', 'x.yml'))).toMatch(/^x\.yml: not valid YAML/);
    expect(await failing(parseText('{}', 'x.toml'))).toContain('must end in .json, .yaml or .yml');
  });

  test('every error names its path inside the file', () => {
    const mc = (s: Record<string, unknown>) => ({
      mailcow: { prod: { url: 'https://m.example', api_key: 'k', ...s } },
    });
    const cases: Array<[unknown, string]> = [
      [
        mc({ api_key: { env: 'MAILCOW_PROD_KEY' } }),
        'mailcow.prod.api_key: environment variable MAILCOW_PROD_KEY is not set',
      ],
      [mc({ api_key: { file: 'missing' } }), `mailcow.prod.api_key: cannot read ${join(dir, 'missing')}: ENOENT`],
      [mc({ api_key: { vault: 'x' } }), 'mailcow.prod.api_key: must be a string, { env: NAME } or { file: PATH }'],
      [mc({ api_key: '  ' }), 'mailcow.prod.api_key: is empty'],
      [mc({ api_key: undefined }), 'mailcow.prod.api_key: is required'],
      [mc({ url: 'ftp://m.example' }), 'mailcow.prod.url: must be an http:// or https:// URL'],
      [mc({ url: 'nope' }), 'mailcow.prod.url: is not a valid URL: "nope"'],
      [mc({ api_style: 'soap' }), 'mailcow.prod.api_style: must be rest or native, got soap'],
      [mc({ read_only: 'yes' }), 'mailcow.prod.read_only: must be true or false'],
      [
        mc({ tools: ['mailcow_list_domains', 'zammad_get_ticket'] }),
        'mailcow.prod.tools[1]: "zammad_get_ticket" is not a mailcow tool',
      ],
      [mc({ exclude_tools: 'mailcow_list_domains' }), 'mailcow.prod.exclude_tools: must be a list of strings'],
      [
        mc({ domains: ['example.com', 'not a domain'] }),
        'mailcow.prod.domains[1]: "not a domain" is not a domain name',
      ],
      [mc({ domains: [] }), 'mailcow.prod.domains: must name at least one domain'],
      [mc({ apikey: 'k' }), 'mailcow.prod.apikey: unknown setting; known for mailcow:'],
      [
        { zammad: { z: { url: 'https://h.example', token: 't', domains: ['a.example'] } } },
        'zammad.z.domains: unknown setting',
      ],
      [
        { zammad: { z: { url: 'https://h.example' } } },
        'zammad.z: set exactly one of token, oauth_token or username + password',
      ],
      [{ zammad: { z: { url: 'https://h.example', username: 'u' } } }, 'zammad.z.password: is required with username'],
      [
        { zimbra: { z: { url: 'https://z.example', auth_token: 't', username: 'u' } } },
        'zimbra.z: set either username + password or auth_token',
      ],
      [{ rackspace: { r: { user_key: 'u', secret_key: 's' } } }, 'rackspace.r.customer_id: is required'],
      [
        { rackspace: { r: { user_key: 'u', secret_key: 's', customer_id: '1/2' } } },
        'rackspace.r.customer_id: must be an account number',
      ],
      [{ mailcow: { Prod: {} } }, 'mailcow.Prod: instance names are a lower-case letter'],
      [{ mailcow: { prod: 'https://m.example' } }, 'mailcow.prod: must be a map of settings'],
      [{ exchange: {} }, 'exchange: unknown backend'],
      [{ mailcow: ['prod'] }, 'mailcow: must be a map from instance name to its settings'],
      [['mailcow'], '(top level): must be a map of backends'],
    ];
    for (const [doc, message] of cases) expect(fail(() => parse(doc))).toContain(message);
    file('empty_key', '\n');
    expect(fail(() => parse(mc({ api_key: { file: 'empty_key' } })))).toBe(
      `mailcow.prod.api_key: file ${join(dir, 'empty_key')} is empty`,
    );
    expect(fail(() => parse(mc({ api_key: { env: 'E' } }), { E: '' }))).toBe(
      'mailcow.prod.api_key: environment variable E is empty',
    );
  });

  test('a numeric customer_id (unquoted in YAML) is accepted as its digits', async () => {
    const { fleet } = parse(
      await parseText('rackspace: { r: { user_key: u, secret_key: { env: S }, customer_id: 12345678 } }', 'x.yaml'),
      { S: 's' },
    );
    expect(fleet.rackspace?.[0]?.config.customerId).toBe('12345678');
  });

  test('the environment defines instance default; union with the file; a name used twice is an error', () => {
    const { fleet } = parse({ mailcow: { lab: { url: 'https://lab.example', api_key: 'k' } } });
    const env = { mailcow: { url: 'https://m.example', apiKey: 'e', style: 'rest' as const } };
    expect(unite(fleet, env).mailcow?.map((i) => i.name)).toEqual(['default', 'lab']);
    expect(unite({}, env).mailcow?.map((i) => i.name)).toEqual(['default']);
    const twice = parse({ mailcow: { default: { url: 'https://d.example', api_key: 'k' } } }).fleet;
    expect(fail(() => unite(twice, env))).toBe(
      'mailcow.default: the name default is already taken by the MAILCOW_* environment variables; rename this instance',
    );
    expect(unite(twice, {}).mailcow?.map((i) => i.name)).toEqual(['default']);
  });

  test('a file with inline secrets that group or others can read gets a start-up warning', async () => {
    const inline = 'mailcow:\n  prod: { url: https://m.example, api_key: inline-key }\n';
    const open = file('open.yaml', inline, 0o644);
    const closed = file('closed.yaml', inline, 0o600);
    const indirect = file(
      'indirect.yaml',
      'mailcow:\n  prod: { url: https://m.example, api_key: { env: K } }\n',
      0o644,
    );
    const w = (await loadInstancesFile(open, {}, toolNames)).warnings;
    expect(w).toHaveLength(1);
    expect(w[0]).toContain(`${open} holds secrets (mailcow.prod.api_key) and can be read by group or others`);
    expect((await loadInstancesFile(closed, {}, toolNames)).warnings).toEqual([]);
    expect((await loadInstancesFile(indirect, { K: 'k' }, toolNames)).warnings).toEqual([]);
    expect(await failing(loadInstancesFile(join(dir, 'absent.yaml'), {}, toolNames))).toContain('ENOENT');
  });
});
