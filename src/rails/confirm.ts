import {
  acceptedContent,
  inputRequired,
  inputResponse,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { errorResult, notChanged } from './outbound.ts';

const ConfirmForm = z.object({ confirm: z.boolean().describe('Yes, make this change') });

export type Gate = { proceed: true } | { proceed: false; result: unknown };

const CAPS_KEY = 'io.modelcontextprotocol/clientCapabilities';

/**
 * Whether the client can answer a form: 2026-07-28 clients declare it in every request's envelope,
 * 2025-era clients once at initialize. (The SDK types the envelope as `{}`, hence the cast.)
 */
function canElicit(server: McpServer, ctx: ServerContext): boolean {
  const envelope = (ctx.mcpReq as { envelope?: Record<string, { elicitation?: unknown } | undefined> }).envelope;
  return Boolean(envelope?.[CAPS_KEY]?.elicitation ?? server.server.getClientCapabilities()?.elicitation);
}

/** Catalog §2: elicitation when the client can, otherwise `confirm: true`; nothing is sent until then. */
export function gate(server: McpServer, ctx: ServerContext, what: string, confirm: unknown): Gate {
  if (canElicit(server, ctx)) {
    const view = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
    if (view.kind === 'missing') {
      return {
        proceed: false,
        result: inputRequired({
          inputRequests: {
            confirm: inputRequired.elicit({ message: `Confirm: ${what}`, requestedSchema: ConfirmForm }),
          },
        }),
      };
    }
    if (view.kind === 'elicit' && view.action !== 'accept')
      return { proceed: false, result: notChanged(`user chose ${view.action}`, what) };
    const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', ConfirmForm);
    if (answer?.confirm !== true)
      return { proceed: false, result: notChanged('confirmation box left unchecked', what) };
    return { proceed: true };
  }
  if (confirm === true) return { proceed: true };
  return {
    proceed: false,
    result: errorResult(
      `Confirmation required: ${what}. Nothing was sent. Ask the user, then call again with confirm: true.`,
    ),
  };
}
