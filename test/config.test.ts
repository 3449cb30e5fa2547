import { describe, expect, test } from 'vitest';
import { loadConfig, parseBackends } from '../src/config.ts';
import { ConfigError } from '../src/errors.ts';
import { allTools } from '../src/tools/index.ts';
import { headerSelection, selectTools } from '../src/tools/select.ts';

const fail = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  test('a backend without variables is simply not offered', () => {
    expect(parseBackends({})).toEqual({});
  });

  test('every backend parses from its variables', () => {
    const b = parseBackends({
      MAILCOW_URL: 'https://mail.example.com/',
      MAILCOW_API_KEY: 'k',
      ZAMMAD_URL: 'https://helpdesk.example.com',
      ZAMMAD_USERNAME: 'u',
      ZAMMAD_PASSWORD: 'p',
      ZIMBRA_URL: 'https://zimbra.example.com',
      ZIMBRA_AUTH_TOKEN: 't',
      RACKSPACE_USER_KEY: 'uk',
      RACKSPACE_SECRET_KEY: 'sk',
      RACKSPACE_CUSTOMER_ID: '12345678',
    });
    expect(b.mailcow).toEqual({ url: 'https://mail.example.com', apiKey: 'k', style: 'rest' });
    expect(b.zammad?.auth).toEqual({ kind: 'basic', username: 'u', password: 'p' });
    expect(b.zimbra?.auth).toEqual({ kind: 'token', token: 't' });
    expect(b.rackspace?.url).toBe('https://api.emailsrvr.com/v1');
  });

  test('malformed variables stop start-up naming the variable', () => {
    expect(fail(() => parseBackends({ MAILCOW_URL: 'not a url', MAILCOW_API_KEY: 'k' }))).toContain('MAILCOW_URL');
    expect(fail(() => parseBackends({ MAILCOW_URL: 'https://m.example' }))).toContain('MAILCOW_API_KEY');
    expect(
      fail(() => parseBackends({ MAILCOW_URL: 'https://m.example', MAILCOW_API_KEY: 'k', MAILCOW_API_STYLE: 'soap' })),
    ).toContain('MAILCOW_API_STYLE');
    expect(fail(() => parseBackends({ ZAMMAD_URL: 'https://z.example' }))).toContain('ZAMMAD_TOKEN');
    expect(fail(() => parseBackends({ RACKSPACE_USER_KEY: 'u' }))).toContain('RACKSPACE_CUSTOMER_ID');
    expect(fail(() => loadConfig([], { MAILOPS_TIMEOUT_MS: 'soon' }))).toContain('MAILOPS_TIMEOUT_MS');
    expect(fail(() => loadConfig([], { MAILOPS_READ_ONLY: 'maybe' }))).toContain('MAILOPS_READ_ONLY');
    expect(fail(() => loadConfig([], { MAILOPS_TOOLSETS: 'mailcow,exchange' }))).toContain('exchange');
    expect(fail(() => loadConfig(['--http'], { MAILOPS_HTTP_HOST: '10.0.0.5' }))).toContain('MAILOPS_HTTP_TOKEN');
    expect(fail(() => loadConfig(['--bogus'], {}))).toContain('bogus');
  });

  test('flags and environment: flags win, read-only from either', () => {
    const c = loadConfig(['--toolsets', 'mailcow', '--read-only', '--http', '--port', '0'], {
      MAILOPS_TOOLSETS: 'zammad',
      MAILOPS_EXCLUDE_TOOLS: 'a, b',
    });
    expect(c.selection).toEqual({ toolsets: ['mailcow'], tools: undefined, exclude: ['a', 'b'], readOnly: true });
    expect(c.mode).toBe('http');
    expect(c.http.port).toBe(0);
    expect(loadConfig([], { MAILOPS_READ_ONLY: 'true' }).selection.readOnly).toBe(true);
    expect(loadConfig(['--http'], { MAILOPS_HTTP_HOST: '0.0.0.0', MAILOPS_HTTP_TOKEN: 't' }).http.token).toBe('t');
  });
});

describe('issue 15: misconfiguration names what is wrong', () => {
  const names = allTools.map((t) => t.name);

  test('unknown tool and toolset names stop start-up with the closest match and the valid names', () => {
    const m = fail(() => loadConfig([], { MAILOPS_TOOLS: 'mailcow_list_domainz' }, names));
    expect(m).toContain('MAILOPS_TOOLS');
    expect(m).toContain('did you mean "mailcow_list_domains"');
    expect(m).toContain('zimbra_move_contacts');
    expect(fail(() => loadConfig([], { MAILOPS_EXCLUDE_TOOLS: 'mailcow_list_domains, nope' }, names))).toContain(
      'MAILOPS_EXCLUDE_TOOLS names an unknown tool "nope"',
    );
    expect(fail(() => loadConfig(['--tools', 'zammad_list_tiket'], {}, names))).toMatch(
      /^--tools .*"zammad_list_tickets"/,
    );
    expect(fail(() => loadConfig(['--exclude-tools', 'x'], {}, names))).toMatch(/^--exclude-tools /);
    expect(fail(() => loadConfig(['--toolsets', 'zimbr'], {}))).toMatch(/^--toolsets .*did you mean "zimbra"/);
    expect(loadConfig([], { MAILOPS_TOOLS: 'mailcow_list_domains' }, names).selection.tools).toEqual([
      'mailcow_list_domains',
    ]);
  });

  test('empty variables (as a VAR:- default expands) count as unset', () => {
    const c = loadConfig(
      [],
      { MAILOPS_TOOLS: '', MAILOPS_TOOLSETS: ' ', MAILOPS_EXCLUDE_TOOLS: '', MAILOPS_HTTP_HOST: '' },
      names,
    );
    expect(c.selection).toEqual({ toolsets: undefined, tools: undefined, exclude: undefined, readOnly: false });
    expect(c.http.host).toBe('127.0.0.1');
    expect(
      parseBackends({
        MAILCOW_URL: '',
        MAILCOW_API_KEY: '',
        MAILCOW_API_STYLE: '',
        ZAMMAD_TOKEN: '',
        RACKSPACE_URL: '',
      }),
    ).toEqual({});
  });

  test('a credential without its URL names both', () => {
    for (const [cred, u] of [
      ['MAILCOW_API_KEY', 'MAILCOW_URL'],
      ['ZAMMAD_TOKEN', 'ZAMMAD_URL'],
      ['ZAMMAD_OAUTH_TOKEN', 'ZAMMAD_URL'],
      ['ZIMBRA_AUTH_TOKEN', 'ZIMBRA_URL'],
      ['ZIMBRA_PASSWORD', 'ZIMBRA_URL'],
    ] as const) {
      const m = fail(() => parseBackends({ [cred]: 'x' }));
      expect(m).toContain(cred);
      expect(m).toContain(u);
    }
  });

  test('two auth methods for one backend name both', () => {
    const z = { ZAMMAD_URL: 'https://z.example' };
    expect(fail(() => parseBackends({ ...z, ZAMMAD_TOKEN: 't', ZAMMAD_OAUTH_TOKEN: 'o' }))).toMatch(
      /ZAMMAD_TOKEN and ZAMMAD_OAUTH_TOKEN/,
    );
    expect(
      fail(() => parseBackends({ ...z, ZAMMAD_OAUTH_TOKEN: 'o', ZAMMAD_USERNAME: 'u', ZAMMAD_PASSWORD: 'p' })),
    ).toMatch(/ZAMMAD_OAUTH_TOKEN and ZAMMAD_USERNAME \+ ZAMMAD_PASSWORD/);
    expect(
      fail(() => parseBackends({ ZIMBRA_URL: 'https://m.example', ZIMBRA_AUTH_TOKEN: 't', ZIMBRA_USERNAME: 'u' })),
    ).toMatch(/ZIMBRA_AUTH_TOKEN and ZIMBRA_USERNAME/);
  });

  test('--port and --host do nothing without --http: an error naming both flags', () => {
    expect(fail(() => loadConfig(['--port', '3112'], {}))).toMatch(/--port .*--http/);
    expect(fail(() => loadConfig(['--host', '0.0.0.0'], {}))).toMatch(/--host .*--http/);
    expect(loadConfig(['--http', '--port', '3112'], {}).http.port).toBe(3112);
    // The variables are settings, not flags: harmless without --http.
    expect(loadConfig([], { MAILOPS_HTTP_PORT: '3112' }).mode).toBe('stdio');
  });
});

describe('tool selection', () => {
  const available = new Set(['mailcow']);
  const names = (...layers: Parameters<typeof selectTools>[2][]) =>
    selectTools(allTools, available, ...layers).map((t) => t.name);

  test('deny-list wins over allow-list; read-only wins over everything', () => {
    expect(
      names({
        readOnly: false,
        tools: ['mailcow_list_domains', 'mailcow_delete_domain'],
        exclude: ['mailcow_delete_domain'],
      }),
    ).toEqual(['mailcow_list_domains']);
    expect(names({ readOnly: true, tools: ['mailcow_delete_domain', 'mailcow_get_mailbox'] })).toEqual([
      'mailcow_get_mailbox',
    ]);
    expect(names({ readOnly: false, toolsets: ['zammad'] })).toEqual([]);
  });

  test('headers only narrow what the configuration offers', () => {
    const base = { readOnly: false, tools: ['mailcow_list_domains'] };
    const widen = headerSelection((n) => ({ 'x-mcp-tools': 'mailcow_list_domains,mailcow_delete_domain' })[n]);
    expect(names(base, widen)).toEqual(['mailcow_list_domains']);
    const ro = headerSelection((n) => ({ 'x-mcp-readonly': 'TRUE' })[n]);
    expect(names({ readOnly: false }, ro).every((n) => !n.includes('delete') && !n.includes('create'))).toBe(true);
  });
});
