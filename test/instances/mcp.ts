// An in-memory MCP client over a server built from instances (harness.ts builds one from plain clients).
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { parseRails } from '../../src/config.ts';
import { firstClients } from '../../src/instances/clients.ts';
import type { InstanceClients } from '../../src/rails/instance.ts';
import { buildServer } from '../../src/server.ts';
import type { ToolResult } from '../harness.ts';

/** Confirmation by flag (these tests are about instances, not the gate); the audit log in a temporary file. */
export async function fleetClient(instances: InstanceClients) {
  const auditLog = join(mkdtempSync(join(tmpdir(), 'mailops-audit-')), 'audit.jsonl');
  const server = buildServer({
    clients: firstClients(instances),
    instances,
    selection: { readOnly: false },
    rails: { ...parseRails({}), confirm: 'flag', auditLog },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1.0.0' }, { capabilities: {} });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    call: async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: args })) as unknown as ToolResult,
    /** The audit records written so far. */
    audit: (): Array<Record<string, unknown>> =>
      existsSync(auditLog)
        ? readFileSync(auditLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [],
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
