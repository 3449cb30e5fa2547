// An in-memory MCP client over a server built from instances (harness.ts builds one from plain clients).
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { firstClients } from '../../src/instances/clients.ts';
import type { InstanceClients } from '../../src/rails/instance.ts';
import { buildServer } from '../../src/server.ts';
import type { ToolResult } from '../harness.ts';

export async function fleetClient(instances: InstanceClients) {
  const server = buildServer({ clients: firstClients(instances), instances, selection: { readOnly: false } });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1.0.0' }, { capabilities: {} });
  await server.connect(serverSide);
  await client.connect(clientSide);
  return {
    client,
    call: async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: args })) as unknown as ToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
