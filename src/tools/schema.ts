import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { AnyTool } from './define.ts';

/**
 * The JSON Schema a client lists for a tool, minus keys that carry nothing for the model (`$schema`).
 * Validation still runs through zod.
 */
export function listedSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, override: listAsToken }) as Record<
    string,
    unknown
  >;
  delete json.$schema;
  return prune(json) as Record<string, unknown>;
}

/**
 * Left out of the listing, still enforced by zod (unknown arguments are refused by name):
 * - sanity bounds: numbers of a million or more, string lengths of 100 or more, "non-empty";
 * - an integer's lower bound of 0 or 1 (ids, counts, sizes: the model never means a negative one);
 * - the closed-object marker, and the empty `properties` of a record;
 * - every integer's `maximum` (the validation error names the bound when it is exceeded);
 * - `type: "string"` beside a `format` (`email`, `hostname`): the format implies a string.
 * A union of bare types (`anyOf: [{type: a}, {type: b}]`) is listed as `type: [a, b]`.
 */
const sanity = (k: string, v: unknown, node: Record<string, unknown>) =>
  typeof v === 'number' &&
  ((k === 'maximum' && v >= 1_000_000) ||
    ((k === 'maxLength' || k === 'maxItems') && v >= 100) ||
    (k === 'minLength' && v === 1) ||
    (k === 'minimum' && (v === 0 || v === 1) && node.type === 'integer') ||
    (k === 'maximum' && node.type === 'integer'));

const bare = (s: unknown) =>
  !!s && typeof s === 'object' && Object.keys(s).length === 1 && typeof (s as { type?: unknown }).type === 'string';

function prune(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(prune);
  if (!node || typeof node !== 'object') return node;
  const n = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(n)) {
    if (sanity(k, v, n) || (k === 'additionalProperties' && v === false)) continue;
    if (k === 'type' && v === 'string' && typeof n.format === 'string') continue;
    if (k === 'properties' && n.additionalProperties && v && Object.keys(v).length === 0) continue;
    const p = prune(v);
    if (k === 'anyOf' && Array.isArray(p) && p.every(bare)) out.type = p.map((s) => (s as { type: string }).type);
    else out[k] = p;
  }
  return out;
}

/**
 * The schema as the SDK takes it: validation by zod, listing without the keys that carry nothing. Built
 * once per schema and shared by every server instance (over HTTP each request builds one).
 */
const leanSchemas = new WeakMap<z.ZodType, StandardSchemaWithJSON>();

export function lean(schema: z.ZodType): StandardSchemaWithJSON {
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

/**
 * `confirm` is listed as the string token the server hands out; validation also takes `true`, which only
 * MAILOPS_CONFIRM=flag asks for (and then names it in its answer).
 */
const tokens = new WeakSet<object>();

function listAsToken(ctx: { zodSchema: object; jsonSchema: Record<string, unknown> }): void {
  if (!tokens.has(ctx.zodSchema)) return;
  delete ctx.jsonSchema.anyOf;
  ctx.jsonSchema.type = 'string';
}

function confirmField(when: string | undefined) {
  const token = z.union([z.string().max(200), z.boolean()]);
  tokens.add(token);
  return token.optional().describe(`Token from the server's answer${when ? `; ${when}` : ''}`);
}

/** The input a tool really takes: its own fields, plus `confirm` on destructive tools. */
const inputs = new WeakMap<AnyTool, z.ZodObject>();

export function toolInput(t: AnyTool): z.ZodObject {
  const known = inputs.get(t);
  if (known) return known;
  const input = t.hints.destructive ? t.input.extend({ confirm: confirmField(t.confirmWhen) }) : t.input;
  inputs.set(t, input);
  return input;
}
