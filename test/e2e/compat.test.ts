// Issue 8, real clients 2: the cases of the v1/v2 compatibility matrix that stdio.test.ts and http.test.ts
// leave out. For every client (v1 SDK, v2 in the 2025-11-25 era, v2 in the 2026-07-28 era) over stdio and HTTP:
// the elicitation answers those files do not try (cancel, accept with the box unchecked) and the effect of a
// checked accept on the backend; and over HTTP, the `confirm: true` path of clients that cannot elicit.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AnyClient, type Era, httpClient, spawnHttp, stdioClient } from './clients.ts';

type Result = { isError?: boolean; content: Array<{ text?: string }>; structuredContent?: Record<string, unknown> };
type Answer = { action: 'accept' | 'decline' | 'cancel'; content?: Record<string, boolean> };

const TOKEN = 'e2e-compat-token-42b7';
const AUTH = { authorization: `Bearer ${TOKEN}` };
const eras: Era[] = ['v1', 'v2-legacy', 'v2-modern'];
const transports = ['stdio', 'HTTP'] as const;
const PROTOCOL: Record<Era, string> = { v1: '2025-11-25', 'v2-legacy': '2025-11-25', 'v2-modern': '2026-07-28' };

let server: Awaited<ReturnType<typeof spawnHttp>>;
beforeAll(async () => {
  server = await spawnHttp(['--sandbox'], { MAILOPS_HTTP_TOKEN: TOKEN });
});
afterAll(async () => {
  await server?.stop();
});

async function connect(transport: (typeof transports)[number], era: Era, elicit?: () => Answer): Promise<AnyClient> {
  return transport === 'stdio'
    ? stdioClient(era, ['--sandbox'], elicit ? { elicit } : {})
    : httpClient(era, server.url, elicit ? { headers: AUTH, elicit } : { headers: AUTH });
}

async function call(c: AnyClient, name: string, args: Record<string, unknown>): Promise<Result> {
  return (await c.callTool({ name, arguments: args })) as Result;
}

/** A fresh alias to delete: each test works on its own, also on the HTTP server they share. */
async function newAlias(c: AnyClient, tag: string): Promise<number> {
  const r = await call(c, 'mailcow_create_alias', { address: `${tag}@example.com`, goto: ['info@example.com'] });
  expect(r.isError, r.content[0]?.text).toBeFalsy();
  return r.structuredContent?.id as number;
}

async function aliasIds(c: AnyClient): Promise<number[]> {
  const r = await call(c, 'mailcow_list_aliases', {});
  return ((r.structuredContent?.items ?? []) as Array<{ id: number }>).map((a) => a.id);
}

describe.each(transports)('over %s', (transport) => {
  describe.each(eras)('with the %s client', (era) => {
    test('each elicitation answer is honoured, and only a checked accept deletes', async () => {
      let answer: Answer = { action: 'cancel' };
      let asked = 0;
      const c = await connect(transport, era, () => {
        asked++;
        return answer;
      });
      try {
        // v1's stdio transport does not expose the negotiated version; its HTTP transport does.
        if (transport === 'HTTP' || era !== 'v1') expect(c.protocol()).toBe(PROTOCOL[era]);
        const id = await newAlias(c, `compat-elicit-${transport}-${era}`.toLowerCase());

        for (const [a, reason] of [
          [{ action: 'cancel' }, 'user chose cancel'],
          [{ action: 'accept', content: { confirm: false } }, 'confirmation box left unchecked'],
        ] as Array<[Answer, string]>) {
          answer = a;
          // Even `confirm: true` in the arguments does not bypass the form when the client can show one.
          const r = await call(c, 'mailcow_delete_alias', { id, confirm: true });
          expect(r.isError, r.content[0]?.text).toBeFalsy();
          expect(r.structuredContent).toMatchObject({ changed: false, reason });
          expect(r.content[0]?.text).toContain(`Nothing was changed (${reason})`);
          expect(await aliasIds(c)).toContain(id);
        }

        answer = { action: 'accept', content: { confirm: true } };
        const done = await call(c, 'mailcow_delete_alias', { id });
        expect(done.isError, done.content[0]?.text).toBeFalsy();
        expect(done.structuredContent).toMatchObject({ type: 'success' });
        expect(await aliasIds(c)).not.toContain(id);
        expect(asked).toBe(3);
      } finally {
        await c.close();
      }
    }, 30_000);
  });
});

describe.each(eras)('over HTTP with the %s client and no elicitation capability', (era) => {
  test('a destructive call takes the preview, then its token; confirm: true changes nothing', async () => {
    const c = await connect('HTTP', era);
    try {
      expect(c.protocol()).toBe(PROTOCOL[era]);
      const id = await newAlias(c, `compat-confirm-${era}`);
      const gated = await call(c, 'mailcow_delete_alias', { id });
      expect(gated.isError).toBe(true);
      expect(gated.content[0]?.text).toMatch(
        new RegExp(
          `^Confirmation required: delete alias ${id} \\(DELETE /api/v1/aliases/${id}\\)\\. Arguments: \\{"id":${id}\\}\\. Nothing was sent\\.`,
        ),
      );
      expect(await aliasIds(c)).toContain(id);
      const flagged = await call(c, 'mailcow_delete_alias', { id, confirm: true });
      expect(flagged.content[0]?.text).toMatch(/^Confirmation required: /);
      expect(await aliasIds(c)).toContain(id);
      const token = /confirm: "([A-Za-z0-9_-]+)"$/.exec(gated.content[0]?.text ?? '')?.[1];
      const done = await call(c, 'mailcow_delete_alias', { id, confirm: token });
      expect(done.isError, done.content[0]?.text).toBeFalsy();
      expect(done.structuredContent).toMatchObject({ type: 'success' });
      expect(await aliasIds(c)).not.toContain(id);
    } finally {
      await c.close();
    }
  }, 30_000);
});
