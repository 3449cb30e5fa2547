import { createHash } from 'node:crypto';
import {
  acceptedContent,
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  inputResponse,
  type McpServer,
  SdkError,
  SdkErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { errorResult, notChanged, outboundText } from './outbound.ts';
import type { Asked, Rails } from './state.ts';
import { canonical } from './token.ts';

const ConfirmForm = z.object({ confirm: z.boolean().describe('Yes, make this change') });
const ConfirmJson = {
  type: 'object',
  properties: { confirm: { type: 'boolean', description: 'Yes, make this change' } },
  required: ['confirm'],
} as const;

/** A call that would change something, as the gate sees it. */
export interface Change {
  tool: string;
  /** Validated arguments, `confirm` included. */
  args: Record<string, unknown>;
  /** What would change (method and path; model-supplied values quoted by the tool table). */
  what: string;
  /** The caller this confirmation is bound to (`bindingOf`). */
  binding: string;
}

/** `pending`: the question went out as `input_required`; the call goes on in the client's retry. */
export type Gate =
  | { proceed: true }
  | { proceed: false; result: CallToolResult | InputRequiredResult; reason: string; pending?: boolean };

const CAPS_KEY = 'io.modelcontextprotocol/clientCapabilities';

type Envelope = Record<string, { elicitation?: unknown } | undefined>;
const envelopeOf = (ctx: ServerContext) => (ctx.mcpReq as { envelope?: Envelope }).envelope;

/** 2026-07-28 clients declare elicitation in every request's envelope, 2025-era clients once at initialize. */
function elicitation(server: McpServer, ctx: ServerContext): 'modern' | 'legacy' | undefined {
  if (envelopeOf(ctx)?.[CAPS_KEY]?.elicitation) return 'modern';
  if (!envelopeOf(ctx)?.[CAPS_KEY] && server.server.getClientCapabilities()?.elicitation) return 'legacy';
  return undefined;
}

/** The preview the user reads: the change, then the arguments as JSON (every model-supplied value quoted). */
function shown(c: Change): string {
  // Previews and elicitation messages leave the process too: the same redaction as every result.
  return outboundText(`${c.what}. Arguments: ${canonical(c.args)}`);
}

const stop = (result: CallToolResult | InputRequiredResult, reason: string): Gate => ({
  proceed: false,
  result,
  reason,
});

/**
 * Catalog §2: elicitation where the client declared it (bounded wait), otherwise a confirmation token
 * bound to exactly this call (or `confirm: true` with MAILOPS_CONFIRM=flag). Nothing is sent until then.
 */
export async function gate(rails: Rails, server: McpServer, ctx: ServerContext, c: Change): Promise<Gate> {
  const mode = elicitation(server, ctx);
  if (mode === 'modern') return askModern(rails, ctx, c);
  if (mode === 'legacy') return askLegacy(rails, ctx, c);
  const given = c.args.confirm;
  if (rails.cfg.confirm === 'flag') {
    if (given === true) return { proceed: true };
    return stop(
      errorResult(
        `Confirmation required: ${shown(c)}. Nothing was sent. Ask the user, then call again with confirm: true.`,
      ),
      'no confirm: true',
    );
  }
  const verdict = typeof given === 'string' ? rails.tokens.check(given, c.tool, c.args, c.binding) : undefined;
  if (verdict === 'ok') return { proceed: true };
  const token = rails.tokens.mint(c.tool, c.args, c.binding);
  return stop(
    errorResult(
      `Confirmation required: ${shown(c)}. Nothing was sent. Show this to the user; only if they approve, call ${c.tool} again with the same arguments and confirm: ${JSON.stringify(token)}`,
    ),
    verdict ? `${verdict} token` : given === undefined ? 'no token' : `confirm: ${JSON.stringify(given)}`,
  );
}

const seconds = (ms: number) => Math.round(ms / 1000);

async function askLegacy(rails: Rails, ctx: ServerContext, c: Change): Promise<Gate> {
  const ms = rails.cfg.elicitationTimeoutMs;
  let answer: { action: string; content?: Record<string, unknown> };
  try {
    answer = await ctx.mcpReq.elicitInput(
      { mode: 'form', message: `Confirm: ${shown(c)}`, requestedSchema: ConfirmJson as never },
      { timeout: ms, signal: ctx.mcpReq.signal },
    );
  } catch (err) {
    if (ctx.mcpReq.signal.aborted) throw err;
    const timedOut = err instanceof SdkError && err.code === SdkErrorCode.RequestTimeout;
    const why = timedOut ? `no answer within ${seconds(ms)} s` : 'the confirmation could not be asked';
    return stop(notChanged(why, c.what), why);
  }
  if (answer.action !== 'accept') return stop(notChanged(`user chose ${answer.action}`, c.what), answer.action);
  if (answer.content?.confirm !== true) return stop(notChanged('confirmation box left unchecked', c.what), 'unchecked');
  return { proceed: true };
}

const digest = (c: Change) =>
  createHash('sha256')
    .update(`${c.tool}\0${canonical(c.args)}`)
    .digest('base64url');

/**
 * 2026-07-28: the question goes out as `input_required` with a sealed `requestState` bound to tool,
 * arguments and caller. Answers without a state that matches this very call run nothing and get the
 * question again.
 */
async function askModern(rails: Rails, ctx: ServerContext, c: Change): Promise<Gate> {
  const raw = (ctx.mcpReq.requestState as () => unknown)();
  let asked: Asked | undefined;
  if (typeof raw === 'string') asked = await rails.states.verify(raw, ctx).catch(() => undefined);
  const view = inputResponse(ctx.mcpReq.inputResponses, 'confirm');
  if (!asked || asked.t !== c.tool || asked.h !== digest(c) || view.kind === 'missing') {
    const state = await rails.states.mint(
      { t: c.tool, h: digest(c), e: Date.now() + rails.cfg.elicitationTimeoutMs },
      ctx,
    );
    const result = inputRequired({
      inputRequests: {
        confirm: inputRequired.elicit({ message: `Confirm: ${shown(c)}`, requestedSchema: ConfirmForm }),
      },
      requestState: state,
    });
    return { proceed: false, result, reason: 'asked', pending: true };
  }
  if (Date.now() > asked.e) {
    const why = `no answer within ${seconds(rails.cfg.elicitationTimeoutMs)} s`;
    return stop(notChanged(why, c.what), why);
  }
  if (view.kind === 'elicit' && view.action !== 'accept')
    return stop(notChanged(`user chose ${view.action}`, c.what), view.action);
  const answer = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', ConfirmForm);
  if (answer?.confirm !== true) return stop(notChanged('confirmation box left unchecked', c.what), 'unchecked');
  if (!rails.tokens.spendOnce(raw as string, Math.ceil(asked.e / 1000)))
    return stop(notChanged('this answer was already used', c.what), 'replayed');
  return { proceed: true };
}
