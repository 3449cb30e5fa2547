import type { StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { AnyTool } from './define.ts';

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

/** The input a tool really takes: its own fields, plus `confirm` on destructive tools. */
const inputs = new WeakMap<AnyTool, z.ZodObject>();

export function toolInput(t: AnyTool): z.ZodObject {
  const known = inputs.get(t);
  if (known) return known;
  const input = t.hints.destructive
    ? t.input.extend({
        confirm: z
          .union([z.string().max(200), z.boolean()])
          .optional()
          .describe(`From the server's answer${t.confirmWhen ? `; ${t.confirmWhen}` : ''}`),
      })
    : t.input;
  inputs.set(t, input);
  return input;
}
