import {
  acceptedContent,
  type CallToolResult,
  inputRequired,
  inputResponse,
  type McpServer,
  type ServerContext,
  type StandardSchemaWithJSON,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { Clients } from '../backends/index.ts';
import { BackendError, errorText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { compact, withoutSecrets } from '../output.ts';
import { redact } from '../redact.ts';
import type { AnyTool } from './define.ts';

const ConfirmForm = z.object({ confirm: z.boolean().describe('Yes, make this change') });

/**
 * The JSON Schema a client lists for a tool, minus keys that carry nothing for the model (`$schema`).
 * Validation still runs through zod.
 */
export function listedSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io }) as Record<string, unknown>;
  delete json.$schema;
  return prune(json) as Record<string, unknown>;
}

/**
 * Sanity bounds (numbers of a million or more, string lengths of 100 or more, "non-empty") and the closed
 * object marker are enforced by zod (unknown arguments are refused by name) but carry nothing for the
 * model, so they are left out of the listing.
 */
const sanity = (k: string, v: unknown) =>
  typeof v === 'number' &&
  ((k === 'maximum' && v >= 1_000_000) ||
    ((k === 'maxLength' || k === 'maxItems') && v >= 100) ||
    (k === 'minLength' && v === 1));

function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (sanity(k, v) || (k === 'additionalProperties' && v === false)) continue;
    out[k] = prune(v);
  }
  return out;
}

/**
 * The schema as the SDK takes it: validation by zod, listing without the keys that carry nothing. Built
 * once per schema and shared by every server instance (over HTTP each request builds one).
 */
const leanSchemas = new WeakMap<z.ZodType, StandardSchemaWithJSON>();

function lean(schema: z.ZodType): StandardSchemaWithJSON {
  const known = leanSchemas.get(schema);
  if (known) return known;
  const std = (schema as unknown as StandardSchemaWithJSON)['~standard'];
  let input: Record<string, unknown> | undefined;
  let output: Record<string, unknown> | undefined;
  const wrapped = {
    '~standard': {
      version: 1,
      vendor: 'mailops',
      validate: std.validate,
      jsonSchema: {
        input: () => (input ??= listedSchema(schema, 'input')),
        output: () => (output ??= listedSchema(schema, 'output')),
      },
    },
  } as unknown as StandardSchemaWithJSON;
  leanSchemas.set(schema, wrapped);
  return wrapped;
}

/** The input a tool really takes: its own fields, plus `confirm` on destructive tools. */
const inputs = new WeakMap<AnyTool, z.ZodObject>();

export function toolInput(t: AnyTool): z.ZodObject {
  const known = inputs.get(t);
  if (known) return known;
  const input = t.hints.destructive
    ? t.input.extend({ confirm: z.boolean().optional().describe('User approved') })
    : t.input;
  inputs.set(t, input);
  return input;
}

function text(data: unknown): string {
  return JSON.stringify(data);
}

export function okResult(data: unknown, full = false): CallToolResult {
  const shaped = full ? withoutSecrets(data) : compact(data);
  const structured =
    shaped && typeof shaped === 'object' && !Array.isArray(shaped)
      ? (shaped as Record<string, unknown>)
      : Array.isArray(shaped)
        ? { items: shaped }
        : { result: shaped ?? 'done' };
  return { content: [{ type: 'text', text: redact(text(structured)) }], structuredContent: structured };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(message) }] };
}

function notChanged(reason: string, what: string): CallToolResult {
  const data = { changed: false, reason, would_have: what };
  return {
    content: [{ type: 'text', text: redact(`Nothing was changed (${reason}). ${text(data)}`) }],
    structuredContent: data,
  };
}

type Gate = { proceed: true } | { proceed: false; result: unknown };

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
function gate(server: McpServer, ctx: ServerContext, what: string, confirm: unknown): Gate {
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

/** The one registration boundary: confirmation, error mapping and output shaping for every tool. */
export function registerTools(server: McpServer, tools: readonly AnyTool[], clients: Partial<Clients>): void {
  for (const t of tools) {
    const client = clients[t.toolset];
    if (!client) continue;
    const input = toolInput(t);
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: lean(input),
        outputSchema: lean(t.output),
        annotations: {
          readOnlyHint: t.hints.readOnly,
          destructiveHint: t.hints.destructive,
          idempotentHint: t.hints.idempotent,
          openWorldHint: t.hints.openWorld,
        },
      },
      // biome-ignore lint/suspicious/noExplicitAny: arguments were validated against `input` by the SDK
      async (args: any, ctx: ServerContext) => {
        try {
          if (t.hints.destructive) {
            // A destructive row without a preview is still gated, by its title.
            const what = t.confirm ? t.confirm(args, client as never) : t.title;
            if (what) {
              const g = gate(server, ctx, what, args.confirm);
              if (!g.proceed) {
                log.info('destructive call not confirmed', { tool: t.name });
                return g.result as CallToolResult;
              }
            }
          }
          const { confirm: _c, ...rest } = args;
          const data = await t.run(rest, client as never, { signal: ctx.mcpReq.signal });
          return okResult(data, rest.full === true);
        } catch (err) {
          const level = err instanceof BackendError || err instanceof InputError ? 'warn' : 'error';
          const message = errorText(err);
          log[level]('tool failed', { tool: t.name, error: message });
          return errorResult(message);
        }
      },
    );
  }
}
