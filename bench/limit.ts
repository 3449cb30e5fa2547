// The limit: bare node:http answering every POST with the bench's backend GET, sent with undici, as JSON.
// What this machine can do at all for one request that costs one backend round trip.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';

const base = process.env.MAILCOW_URL ?? '';
const key = process.env.MAILCOW_API_KEY ?? '';

const srv = createServer(async (req, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const msg = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    id?: unknown;
    params?: { arguments?: { email?: string } };
  };
  const email = msg.params?.arguments?.email ?? '';
  const r = await request(`${base}/api/v1/mailboxes/${encodeURIComponent(email)}`, {
    headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
  });
  const data = await r.body.json();
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(
    JSON.stringify({
      jsonrpc: '2.0',
      id: msg.id ?? null,
      result: { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data },
    }),
  );
});
srv.listen(Number(process.env.MAILOPS_HTTP_PORT ?? 0), '127.0.0.1', () => {
  const { port } = srv.address() as AddressInfo;
  process.stderr.write(`serving Streamable HTTP {"url":"http://127.0.0.1:${port}/mcp"}\n`);
});
