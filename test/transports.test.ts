// Unit checks of the transport helpers (issue 11); the built binary is exercised in test/e2e/.
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { tooDeep } from '../src/transports/depth.ts';
import { originAllowed } from '../src/transports/http.ts';
import { headId, invalid } from '../src/transports/stdio.ts';

describe('tooDeep', () => {
  test('counts only brackets outside strings, without recursion', () => {
    expect(tooDeep('[[[]]]', 3)).toBe(false);
    expect(tooDeep('[[[[]]]]', 3)).toBe(true);
    expect(tooDeep(`{"a":"${'['.repeat(1000)}\\"["}`, 3)).toBe(false);
    expect(tooDeep('['.repeat(1_000_000))).toBe(true);
  });
});

describe('stdio message checks', () => {
  test('invalid() names the JSON-RPC error and keeps a readable id', () => {
    expect(invalid({ jsonrpc: '2.0', id: 1, method: 'ping' })).toBeUndefined();
    expect(invalid({ jsonrpc: '2.0', id: 1, result: {} })).toBeUndefined();
    expect(invalid({ jsonrpc: '2.0', id: 2, method: 'x', params: null })).toMatchObject({ id: 2, code: -32602 });
    expect(invalid({ jsonrpc: '2.0', id: 2, method: 'x', params: [1] })).toMatchObject({ id: 2, code: -32602 });
    expect(invalid({ jsonrpc: '2.0', id: 1.5, method: 'x' })).toMatchObject({ id: 1.5, code: -32600 });
    expect(invalid({ jsonrpc: '2.0', id: true, method: 'x' })).toMatchObject({ id: null, code: -32600 });
    expect(invalid({ jsonrpc: '2.0', id: 'a', method: 7 })).toMatchObject({ id: 'a', code: -32600 });
    expect(invalid('x')).toMatchObject({ id: null, code: -32600 });
  });

  test('headId() finds the top-level id of a cut-off text only', () => {
    expect(headId('{"jsonrpc":"2.0","id":42,"method":"tools/call","params":{"arguments":{"x":"')).toBe(42);
    expect(headId('{"params":{"id":7},"id":"abc","method":')).toBe('abc');
    expect(headId('{"params":{"id":7,"pad":"xxxx')).toBeNull();
    expect(headId('{"method":"a","params":{"s":"\\"id\\": 3"}, "id" : 9 ,')).toBe(9);
  });
});

describe('origins', () => {
  const allowed = ['https://app.example.com', 'vscode-webview://*'];
  test.each([
    [undefined, true],
    ['https://app.example.com', true],
    ['http://app.example.com', false],
    ['https://app.example.com:8443', false],
    ['ws://app.example.com', false],
    ['http://localhost:1234', true],
    ['http://[::1]:80', true],
    ['vscode-webview://abc', true],
    ['https://evil.example', false],
    ['null', false],
  ])('%s → %s', (origin, ok) => {
    expect(originAllowed(origin, allowed)).toBe(ok);
  });

  test('MAILOPS_ALLOWED_ORIGINS keeps whole origins and refuses paths and bare hosts', () => {
    const cfg = loadConfig([], { MAILOPS_ALLOWED_ORIGINS: 'https://App.Example.com:443/, http://x.test:8080' });
    expect(cfg.http.allowedOrigins).toEqual(['https://app.example.com', 'http://x.test:8080']);
    expect(() => loadConfig([], { MAILOPS_ALLOWED_ORIGINS: 'app.example.com' })).toThrow(/MAILOPS_ALLOWED_ORIGINS/);
    expect(() => loadConfig([], { MAILOPS_ALLOWED_ORIGINS: 'https://a.test/path' })).toThrow(/MAILOPS_ALLOWED_ORIGINS/);
  });
});
