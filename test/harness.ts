// Shared test plumbing: sandboxes on loopback, clients built from their configs, an in-memory MCP client.
import { Client } from '@modelcontextprotocol/client';
import { InMemoryTransport } from '@modelcontextprotocol/server';
import { buildClients, type ClientOptions, type Clients } from '../src/backends/index.ts';
import { parseRails, type RailsConfig, type Selection } from '../src/config.ts';
import { unfence } from '../src/rails/fence.ts';
import { type Sandbox, type SandboxOptions, startSandboxes } from '../src/sandbox/index.ts';
import { buildServer } from '../src/server.ts';

export const FAST: ClientOptions = { timeoutMs: 5000, maxRetryWaitMs: 3000 };

export interface Harness {
  sandbox: Sandbox;
  clients: Partial<Clients>;
  close(): Promise<void>;
}

/** Starts every sandbox emulator and builds real backend clients pointed at them over loopback HTTP. */
export async function startHarness(opts: ClientOptions = FAST, sandboxOpts: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await startSandboxes('127.0.0.1', sandboxOpts);
  const clients = buildClients(sandbox.configs, opts);
  return { sandbox, clients, close: () => sandbox.close() };
}

export interface McpOptions {
  selection?: Partial<Selection>;
  /** Rails settings over the environment's (e.g. `confirm: 'flag'`, an audit log file). */
  rails?: Partial<RailsConfig>;
  /** Declare elicitation and answer every request with this. */
  elicit?: (params: { message: string; requestedSchema: unknown }) => Answer | Promise<Answer>;
}

export interface Answer {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
}

export type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};

/** An MCP client (v2, 2025-11-25 era) connected in memory to a server built over `clients`. */
export async function mcpClient(clients: Partial<Clients>, opts: McpOptions = {}) {
  const server = buildServer({
    clients,
    selection: { readOnly: false, ...opts.selection },
    rails: { ...parseRails(process.env), ...opts.rails },
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client(
    { name: 'test', version: '1.0.0' },
    { capabilities: opts.elicit ? { elicitation: { form: {} } } : {} },
  );
  if (opts.elicit) {
    const answer = opts.elicit;
    client.setRequestHandler('elicitation/create', async (req) => (await answer(req.params as never)) as never);
  }
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

export function text(r: ToolResult): string {
  return r.content.map((c) => c.text ?? '').join('\n');
}

/** The data of a result's text block, out of its untrusted-data fence. */
export function data(r: ToolResult): unknown {
  return JSON.parse(unfence(text(r)));
}

/** The confirmation token a `Confirmation required:` answer ends with. */
export function tokenOf(r: ToolResult): string {
  const m = /confirm: ("[A-Za-z0-9_-]+")$/.exec(text(r));
  if (!m) throw new Error(`no confirmation token in ${JSON.stringify(text(r))}`);
  return JSON.parse(m[1] as string) as string;
}

/** Calls a destructive tool the way a client without elicitation must: the preview, then its token. */
export async function confirmed(
  call: (name: string, args: Record<string, unknown>) => Promise<ToolResult>,
  name: string,
  args: Record<string, unknown>,
): Promise<ToolResult> {
  const first = await call(name, args);
  if (!first.isError || !text(first).startsWith('Confirmation required:')) return first;
  return call(name, { ...args, confirm: tokenOf(first) });
}
