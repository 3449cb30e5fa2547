// Real MCP clients of both SDK generations, connected to the built server (dist/) over stdio or HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client as V2Client, StreamableHTTPClientTransport as V2Http } from '@modelcontextprotocol/client';
import { StdioClientTransport as V2Stdio } from '@modelcontextprotocol/client/stdio';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as V1Stdio } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as V1Http } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

export const BIN = fileURLToPath(new URL('../../dist/mailops-mcp.js', import.meta.url));

export type Era = 'v1' | 'v2-legacy' | 'v2-modern';
type Elicit = () => {
  action: 'accept' | 'decline' | 'cancel';
  content?: Record<string, string | number | boolean | string[]>;
};

export interface AnyClient {
  listTools(): Promise<{ tools: Array<{ name: string }> }>;
  callTool(p: { name: string; arguments?: Record<string, unknown> }): Promise<unknown>;
  close(): Promise<void>;
  protocol(): string | undefined;
}

function env(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    MAILOPS_LOG_LEVEL: 'warn',
    MAILOPS_AUDIT_LOG: 'off',
  };
  return { ...base, ...extra };
}

export async function stdioClient(
  era: Era,
  args: string[] = ['--sandbox'],
  opts: { elicit?: Elicit; env?: Record<string, string> } = {},
): Promise<AnyClient> {
  const params = { command: process.execPath, args: [BIN, ...args], env: env(opts.env), stderr: 'pipe' as const };
  if (era === 'v1') {
    const c = new V1Client(
      { name: 'e2e-v1', version: '1.0.0' },
      { capabilities: opts.elicit ? { elicitation: {} } : {} },
    );
    if (opts.elicit) c.setRequestHandler(ElicitRequestSchema, async () => opts.elicit!());
    await c.connect(new V1Stdio(params));
    return {
      listTools: () => c.listTools(),
      callTool: (p) => c.callTool(p),
      close: () => c.close(),
      // v1's stdio transport does not expose the negotiated version.
      protocol: () => undefined,
    };
  }
  const c = new V2Client(
    { name: `e2e-${era}`, version: '1.0.0' },
    {
      capabilities: opts.elicit ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: era === 'v2-modern' ? 'auto' : 'legacy' },
    },
  );
  if (opts.elicit) c.setRequestHandler('elicitation/create', async () => opts.elicit!());
  await c.connect(new V2Stdio(params));
  return {
    listTools: () => c.listTools(),
    callTool: (p) => c.callTool(p),
    close: () => c.close(),
    protocol: () => c.getNegotiatedProtocolVersion(),
  };
}

export async function httpClient(
  era: Era,
  url: string,
  opts: { elicit?: Elicit; headers?: Record<string, string> } = {},
): Promise<AnyClient> {
  const requestInit = { headers: opts.headers ?? {} };
  if (era === 'v1') {
    const c = new V1Client(
      { name: 'e2e-v1', version: '1.0.0' },
      { capabilities: opts.elicit ? { elicitation: {} } : {} },
    );
    if (opts.elicit) c.setRequestHandler(ElicitRequestSchema, async () => opts.elicit!());
    const t = new V1Http(new URL(url), { requestInit });
    await c.connect(t);
    return {
      listTools: () => c.listTools(),
      callTool: (p) => c.callTool(p),
      close: async () => {
        await t.terminateSession().catch(() => {});
        await c.close();
      },
      protocol: () => t.protocolVersion,
    };
  }
  const c = new V2Client(
    { name: `e2e-${era}`, version: '1.0.0' },
    {
      capabilities: opts.elicit ? { elicitation: { form: {} } } : {},
      versionNegotiation: { mode: era === 'v2-modern' ? 'auto' : 'legacy' },
    },
  );
  if (opts.elicit) c.setRequestHandler('elicitation/create', async () => opts.elicit!());
  await c.connect(new V2Http(new URL(url), { requestInit }));
  return {
    listTools: () => c.listTools(),
    callTool: (p) => c.callTool(p),
    close: () => c.close(),
    protocol: () => c.getNegotiatedProtocolVersion(),
  };
}

/** Spawns the built server with `--http`; resolves once it prints the URL it serves. */
export async function spawnHttp(
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<{ url: string; proc: ChildProcess; stderr: () => string; stop: () => Promise<number | null> }> {
  const proc = spawn(process.execPath, [BIN, '--http', ...args], {
    env: env({ MAILOPS_HTTP_PORT: '0', MAILOPS_LOG_LEVEL: 'info', ...extraEnv }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  let out = '';
  proc.stdout?.on('data', (d) => {
    out += d;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not start: ${err}`));
    }, 10_000);
    proc.stderr?.on('data', (d) => {
      err += d;
      const m = /serving Streamable HTTP \{"url":"([^"]+)"/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    proc.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return {
    url,
    proc,
    stderr: () => err + out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill('SIGTERM');
      }),
  };
}
