import { createHash } from 'node:crypto';
import type { McpServer, ServerContext } from '@modelcontextprotocol/server';

/** Who made a call, as audit records show it and as confirmations are bound to it. */
export interface Caller {
  transport: 'stdio' | 'http';
  /** 2025-era HTTP session. */
  session?: string;
  /** A short hash of the HTTP bearer token, never the token. */
  token?: string;
  /** OAuth subject and client id, when the transport verified an access token. */
  subject?: string;
  client_id?: string;
  client?: { name?: string; version?: string };
}

const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';

export const label = (secret: string) => createHash('sha256').update(secret).digest('hex').slice(0, 12);

export function callerOf(server: McpServer | undefined, ctx: ServerContext): Caller {
  const auth = ctx.http?.authInfo as { extra?: Record<string, unknown>; clientId?: string } | undefined;
  const header = ctx.http?.req?.headers.get('authorization')?.replace(/^Bearer\s+/i, '');
  const envelope = (ctx.mcpReq as { envelope?: Record<string, unknown> }).envelope;
  const info = (envelope?.[CLIENT_INFO] ?? server?.server.getClientVersion()) as
    | { name?: string; version?: string }
    | undefined;
  const subject = auth?.extra?.subject ?? auth?.extra?.sub;
  return strip({
    transport: ctx.http ? 'http' : 'stdio',
    session: ctx.sessionId,
    token: header && !subject ? label(header) : undefined,
    subject: typeof subject === 'string' ? subject : undefined,
    client_id: auth?.clientId,
    client: info ? strip({ name: info.name, version: info.version }) : undefined,
  });
}

/**
 * What confirmations are bound to: the OAuth subject, else the HTTP token, else the transport (a stdio
 * server serves one client; per-process state makes it this process).
 */
export function bindingOf(c: Caller): string {
  if (c.subject) return `sub:${c.subject}:${c.client_id ?? ''}`;
  if (c.token) return `token:${c.token}`;
  return c.transport;
}

function strip<T extends object>(o: T): T {
  const out: Partial<T> = {};
  for (const k in o) if (o[k] !== undefined) out[k] = o[k];
  return out as T;
}
