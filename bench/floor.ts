// The floor: the least an MCP server built on SDK v2 can do for the bench's request. One tool sending the same
// GET to mailcow, bundled like the server (esbuild, one ESM file) and served the same ways: stdio through
// serveStdio, Streamable HTTP through createMcpHandler (2026-07-28) and NodeStreamableHTTPServerTransport
// sessions (2025-11-25). Like the server, it loads undici on the first request and the HTTP stack only to
// serve HTTP (so that the floor is no slower to start than it need be). Reads MAILCOW_URL and MAILCOW_API_KEY; `--http` serves on MAILOPS_HTTP_PORT.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMcpHandler, isInitializeRequest, McpServer } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import * as z from 'zod';

const base = process.env.MAILCOW_URL ?? '';
const key = process.env.MAILCOW_API_KEY ?? '';

function build(): McpServer {
  const server = new McpServer({ name: 'floor', version: '1' }, { capabilities: { tools: {} } });
  server.registerTool(
    'mailcow_get_mailbox',
    {
      description: 'One mailbox by address.',
      inputSchema: z.object({ email: z.string() }),
      outputSchema: z.looseObject({}),
    },
    async ({ email }) => {
      const m = await import('undici');
      const { request } = 'request' in m ? m : (m as { default: typeof m }).default;
      const res = await request(`${base}/api/v1/mailboxes/${encodeURIComponent(email)}`, {
        headers: { authorization: `Bearer ${key}`, accept: 'application/json' },
      });
      const data = (await res.body.json()) as Record<string, unknown>;
      return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
    },
  );
  return server;
}

async function http(): Promise<void> {
  const { NodeStreamableHTTPServerTransport, toNodeHandler } = await import('@modelcontextprotocol/node');
  const modern = toNodeHandler(createMcpHandler(() => build(), { legacy: 'reject' }));
  const sessions = new Map<string, InstanceType<typeof NodeStreamableHTTPServerTransport>>();
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const body = req.method === 'POST' ? await read(req) : undefined;
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const t = sessions.get(sid);
      if (!t) return void res.writeHead(404).end();
      return t.handleRequest(req, res, body);
    }
    if (isInitializeRequest(body)) {
      const server = build();
      const transport: InstanceType<typeof NodeStreamableHTTPServerTransport> = new NodeStreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        onsessioninitialized: (id) => void sessions.set(id, transport),
        onsessionclosed: (id) => void sessions.delete(id),
      });
      await server.connect(transport);
      return transport.handleRequest(req, res, body);
    }
    return modern(req, res, body);
  };
  const srv = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => srv.listen(Number(process.env.MAILOPS_HTTP_PORT ?? 0), '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  process.stderr.write(`serving Streamable HTTP {"url":"http://127.0.0.1:${port}/mcp"}\n`);
}

if (process.argv.includes('--http')) await http();
else serveStdio(() => build());
