import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { log } from '../log.ts';
import { buildServer, type ServerDeps } from '../server.ts';

/** Serves both protocol eras on stdin/stdout; resolves when the client closes the connection. */
export function startStdio(deps: ServerDeps): { close: () => Promise<void> } {
  const handle = serveStdio(() => buildServer(deps), {
    onerror: (err: Error) => log.error('stdio transport error', { error: err.message }),
  });
  return { close: async () => void (await (handle as { close?: () => Promise<void> }).close?.()) };
}
