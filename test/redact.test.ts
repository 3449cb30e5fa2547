// The redaction step itself: which names are credentials, which forms of a secret are caught, how long a
// call's own passwords are redacted, what backend text loses. The catalog-wide proof is
// test/robustness/echo.test.ts.
import { describe, expect, test } from 'vitest';
import { parseJson } from '../src/backends/http.ts';
import { loadConfig } from '../src/config.ts';
import { BackendError, ConfigError, cleanText } from '../src/errors.ts';
import { log, setLogLevel, setLogSink } from '../src/log.ts';
import { scrubbed, shapedOut, withoutSecrets } from '../src/output.ts';
import { okResult } from '../src/rails/outbound.ts';
import { addCredentialHeader, addSecret, forms, isSecretName, redact, runWithCallSecrets } from '../src/redact.ts';

describe('secret-named fields', () => {
  const secret = [
    'password',
    'Password',
    'password1',
    'password2',
    'activationPassword',
    'new_password',
    'passwd',
    'pass',
    'PASS',
    'pwd',
    'secret',
    'client_secret',
    'clientSecret',
    'secret_key',
    'secretKey',
    'userKey',
    'api-key',
    'api_key',
    'apikey',
    'apiKey',
    'X-API-Key',
    'x_api_key',
    'x-api-signature',
    'token',
    'Token',
    'access_token',
    'refresh_token',
    'auth_token',
    'authToken',
    'id_token',
    'csrf_token',
    'private_key',
    'privateKey',
    'privkey',
    'authorization',
    'Proxy-Authorization',
    'cookie',
    'Set-Cookie',
    'credentials',
    'password_hash',
  ];
  const harmless = [
    'passive',
    'bypass',
    'compass',
    'tokens_count',
    'token_type',
    'password_update',
    'passwd_update',
    'force_pw_update',
    'signature',
    'signature_id',
    'key',
    'keywords',
    'secretary',
    'authorizations',
    'authorization_ids',
    'author',
    'email',
    'note',
  ];
  test.each(secret)('%s is a credential', (name) => expect(isSecretName(name)).toBe(true));
  test.each(harmless)('%s is not', (name) => expect(isSecretName(name)).toBe(false));

  test('dropped at any depth, in default and full answers', () => {
    const deep = {
      a: [{ b: { passwd: 'x', pass: 'y', 'api-key': 'z', keep: 1, c: { x_api_key: 'w', client_secret: 'v' } } }],
    };
    expect(shapedOut(deep, false)).toEqual({ a: [{ b: { keep: 1 } }] });
    expect(withoutSecrets(deep)).toEqual({ a: [{ b: { keep: 1, c: {} } }] });
  });
  test('a default result drops empty fields, judged before cleaning; a full one drops only secrets', () => {
    const samples: Array<[unknown, unknown]> = [
      [
        { a: null, b: '', c: {}, d: { e: null }, f: [null, '', {}], g: 'ok', h: 0, i: false },
        { f: [null, '', {}], g: 'ok', h: 0, i: false },
      ],
      [
        { 'na\u202eme': 'x\u200by', only: '\u200b', password: 'p', nested: { token: 't', keep: [{ x: '' }] } },
        { name: 'xy', only: '', nested: { keep: [{}] } },
      ],
      [
        [{ a: 1 }, 'two', ['three', null]],
        [{ a: 1 }, 'two', ['three', null]],
      ],
      ['plain text', 'plain text'],
      [42, 42],
      [{ deep: { deeper: { deepest: { secret_key: 's', cookie: 'c' } } } }, {}],
      [{ 'Keyed-word-88': 'a', when: new Date(0) }, { 'Keyed-word-88': 'a' }],
    ];
    for (const [v, shaped] of samples) {
      expect(shapedOut(v, false)).toEqual(shaped);
      expect(shapedOut(v, true)).toEqual(scrubbed(withoutSecrets(v)));
    }
  });
});

describe('forms of a configured secret', () => {
  const s = 'Rs&Pass=<7>"q\'/+ %é';
  addSecret(s);
  const variants = {
    raw: s,
    json: JSON.stringify(s).slice(1, -1),
    php: '"Rs&Pass=<7>\\"q\'\\/+ %\\u00e9"'.slice(1, -1),
    xml: 'Rs&amp;Pass=&lt;7&gt;&quot;q&apos;/+ %é',
    xmlNumeric: 'Rs&amp;Pass=&lt;7&gt;&#34;q&#39;/+ %é',
    uri: encodeURIComponent(s),
    uriLower: encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    form: new URLSearchParams({ s }).toString().slice(2),
    base64: Buffer.from(s).toString('base64'),
    base64url: Buffer.from(s).toString('base64url'),
  };
  test.each(Object.entries(variants))('%s', (_k, v) => {
    expect(forms(s).length).toBeGreaterThan(8);
    expect(redact(`before ${v} after`)).toBe('before [redacted] after');
  });
});

describe('credential header values', () => {
  test('Basic: the header, its base64, user:password and the password', () => {
    const header = `Basic ${Buffer.from('admin@example.com:Zd-B4sic-pw!').toString('base64')}`;
    addCredentialHeader(header);
    for (const v of [header, header.slice(6), 'admin@example.com:Zd-B4sic-pw!', 'Zd-B4sic-pw!'])
      expect(redact(`note: ${v}`)).toBe('note: [redacted]');
  });
  test('Token token=, Bearer, X-API-Key, cookie, Rackspace signature hash', () => {
    addCredentialHeader('Token token=ZdTok-91a');
    addCredentialHeader('Bearer Oauth-77c');
    addCredentialHeader('ZM_AUTH_TOKEN=0_zimbra_minted_token');
    addCredentialHeader('rsuser:20260101120000:aGFzaC1vZi10aGUtc2lnbg==');
    expect(redact('ZdTok-91a Oauth-77c 0_zimbra_minted_token aGFzaC1vZi10aGUtc2lnbg==')).toBe(
      '[redacted] [redacted] [redacted] [redacted]',
    );
  });
});

describe('secret arguments of the call in progress', () => {
  test('redacted while the call runs, in every form, and in later answers (a backend may store and show it)', async () => {
    const pw = 'Call-pw&<1>';
    const inside = await runWithCallSecrets([pw], async () => {
      await new Promise((r) => setTimeout(r, 5));
      return [redact(`a ${pw}`), redact(`b ${encodeURIComponent(pw)}`), redact('c Call-pw&amp;&lt;1&gt;')];
    });
    expect(inside).toEqual(['a [redacted]', 'b [redacted]', 'c [redacted]']);
    expect(redact(`a ${pw}`)).toBe('a [redacted]');
  });
  test('while calls overlap, the secrets of each are redacted from both; once settled, short ones are free', async () => {
    let release = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const slow = runWithCallSecrets(['Pw3'], async () => {
      await held;
      return redact('Pw3 and Other');
    });
    // A concurrent call's answer never shows Pw3 while the call holding it runs (hiding errs on the safe side).
    const other = await runWithCallSecrets(['x'.repeat(2)], async () => redact('Other-call-pw Pw3'));
    expect(other).toBe('Other-call-pw [redacted]');
    release();
    expect(await slow).toBe('[redacted] and Other');
    // Three characters are too short to redact for the life of the process: only while a call holds them.
    expect(redact('Pw3 and Other')).toBe('Pw3 and Other');
  });
  test('in structuredContent and text of a result built during the call', async () => {
    const r = await runWithCallSecrets(['Mailbox-pw-42'], async () =>
      okResult({ msg: ['password_complexity', 'Mailbox-pw-42'] }),
    );
    expect(JSON.stringify(r)).not.toContain('Mailbox-pw-42');
    expect(r.structuredContent).toEqual({ msg: ['password_complexity', '[redacted]'] });
  });
  test('field names too, though each is cleaned once: a name that becomes a secret is redacted from then on', async () => {
    const keyed = (name: string) => okResult({ [name]: 1, plain: 2 }).structuredContent;
    expect(keyed('Keyed-pw-77')).toEqual({ 'Keyed-pw-77': 1, plain: 2 });
    const during = await runWithCallSecrets(['Keyed-pw-77'], async () => keyed('Keyed-pw-77'));
    expect(during).toEqual({ '[redacted]': 1, plain: 2 });
    expect(keyed('Keyed-word-88')).toEqual({ 'Keyed-word-88': 1, plain: 2 });
    addSecret('Keyed-word-88');
    expect(keyed('Keyed-word-88')).toEqual({ '[redacted]': 1, plain: 2 });
  });
});

describe('backend text', () => {
  const nasty = 'a\u202eb\u2066c\u200bd\u2028e\u0085f\u001bg\u0007h\ufeffi\u061cj\u200ek\r\nl\tm';
  test('errors lose bidi, invisible, C0/C1 characters; tab and newline stay', () => {
    expect(cleanText(nasty)).toBe('abcdefghijk\nl\tm');
    expect(new BackendError('zammad', 400, nasty).message).toBe('abcdefghijk\nl\tm');
  });
  test('structured data too, keys included', () => {
    const r = okResult({ 'na\u202eme': nasty, list: [`x\u001b[31my`] });
    expect(r.structuredContent).toEqual({ name: 'abcdefghijk\nl\tm', list: ['x[31my'] });
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
    expect(r.content[0]).toMatchObject({ text: expect.not.stringMatching(/[\u202e\u001b\u0007]/) });
  });
  test('a log line stays one line without control or bidi characters, and redacted', () => {
    const lines: string[] = [];
    setLogSink((l) => lines.push(l));
    setLogLevel('info');
    addSecret('Log-secret-81');
    log.warn('tool failed', { error: 'x\n2026-01-01 error forged\u202e Log-secret-81' });
    setLogLevel('silent');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\u202e]|Log-secret-81/);
  });
});

describe('nesting', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
  test('a backend answer 100,000 levels deep is a clear backend error', () => {
    expect(() => parseJson('mailcow', { status: 200, headers: {}, text: deep(100_000) })).toThrow(
      /mailcow|nested deeper than 64 levels/,
    );
    expect(() => parseJson('mailcow', { status: 200, headers: {}, text: deep(100_000) })).toThrow(BackendError);
  });
  test('shaping refuses deep data with a clear message, never a stack overflow', () => {
    const v = JSON.parse(deep(100_000));
    expect(() => shapedOut(v, false)).toThrow(/nested deeper than 64 levels/);
    expect(() => okResult(v)).toThrow(/nested deeper than 64 levels/);
  });
});

describe('start-up errors', () => {
  test.each([
    'https://admin:pw-Start-9@host:99999',
    'https://admin:pw-Start-9@host/x y',
    'ftp://admin:pw-Start-9@host',
    'https://admin:pw-Start-9@host',
    'https://ad@min:pw-Start-9@host:0x',
  ])('MAILCOW_URL=%s never prints its userinfo', (u) => {
    let message = '';
    try {
      loadConfig([], { MAILCOW_URL: u, MAILCOW_API_KEY: 'k' });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/MAILCOW_URL/);
    expect(message).not.toContain('pw-Start-9');
    expect(message).not.toContain('admin');
  });
});
