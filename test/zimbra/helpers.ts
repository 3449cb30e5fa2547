// Shared setup for the Zimbra tests: a fresh sandbox per test, the client, and wire readers for the request log.
import { expect } from 'vitest';
import { bodyOf, child, parseXml, type XNode } from '../../src/backends/zimbra/xml.ts';
import type { ZimbraEmulator } from '../../src/sandbox/zimbra/index.ts';
import type { Harness } from '../harness.ts';

export function zimbra(h: Harness) {
  const emu = h.sandbox.emulators.zimbra as ZimbraEmulator;
  const client = h.clients.zimbra;
  expect(client).toBeDefined();
  return {
    emu,
    client: client as NonNullable<typeof client>,
    state: emu.state,
    mailbox: emu.state.accounts.get('user@example.com')?.mailbox,
  };
}

export interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The request element's name, e.g. `ModifyContactRequest`. */
  name: string;
  node: XNode;
  context?: XNode;
}

/** The SOAP calls an emulator saw, parsed. */
export function sent(emu: ZimbraEmulator): Sent[] {
  return emu.seen.map((s) => {
    const doc = parseXml(s.body);
    const body = bodyOf(doc) ?? {};
    const name = Object.keys(body).find((k) => !k.startsWith('@_') && k !== '#text') ?? '';
    const context = child(child(child(doc, 'Envelope'), 'Header'), 'context');
    return { method: s.method, path: s.path, headers: s.headers, name, node: child(body, name) ?? {}, context };
  });
}

export const names = (emu: ZimbraEmulator) => sent(emu).map((s) => s.name);
