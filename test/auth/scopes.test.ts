// Catalog §7 scopes: levels include the ones below; a backend or instance qualifier narrows; other scopes are ignored.
import { describe, expect, test } from 'vitest';
import { allows, levelOf, neededScope, parseGrant } from '../../src/auth/scopes.ts';
import { allTools } from '../../src/tools/index.ts';

const tool = (name: string) => {
  const t = allTools.find((x) => x.name === name);
  if (!t) throw new Error(name);
  return t;
};
const read = tool('mailcow_list_domains');
const write = tool('mailcow_create_domain');
const destroy = tool('mailcow_delete_domain');
const zammadRead = tool('zammad_list_groups');

describe('scopes', () => {
  test('every tool needs read, write or admin by its annotations', () => {
    for (const t of allTools) {
      expect(levelOf(t)).toBe(t.hints.readOnly ? 'read' : t.hints.destructive ? 'admin' : 'write');
    }
  });

  test('levels include the ones below them', () => {
    const admin = parseGrant(['mailops:admin']);
    expect([read, write, destroy].every((t) => allows(admin, t))).toBe(true);
    const w = parseGrant(['mailops:write']);
    expect([allows(w, read), allows(w, write), allows(w, destroy)]).toEqual([true, true, false]);
    const r = parseGrant(['mailops:read']);
    expect([allows(r, read), allows(r, write), allows(r, destroy)]).toEqual([true, false, false]);
  });

  test('a backend qualifier narrows to that backend', () => {
    const g = parseGrant(['mailops:zammad:admin']);
    expect(allows(g, zammadRead)).toBe(true);
    expect(allows(g, read)).toBe(false);
  });

  test('an instance qualifier narrows to that instance; a listing asks for any instance', () => {
    const g = parseGrant(['mailops:mailcow/prod:write']);
    expect(allows(g, write, 'prod')).toBe(true);
    expect(allows(g, write, 'lab')).toBe(false);
    expect(allows(g, destroy, 'prod')).toBe(false);
    expect(allows(g, write)).toBe(true);
  });

  test('scopes of other resources, malformed ones and look-alikes grant nothing', () => {
    const g = parseGrant(['openid', 'profile', 'mailops:root', 'mailops:mailcow:', 'xmailops:admin', 'mailops:Admin']);
    expect(g.entries).toHaveLength(0);
    expect(allTools.some((t) => allows(g, t))).toBe(false);
  });

  test('the challenge names the narrowest scope that would allow the call', () => {
    expect(neededScope(destroy)).toBe('mailops:mailcow:admin');
    expect(neededScope(write, 'prod')).toBe('mailops:mailcow/prod:write');
  });
});
