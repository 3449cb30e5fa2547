import type * as z from 'zod';

/**
 * Validation at the boundary (not in the SDK), so that a refused write is audited too. The text is the
 * SDK's own: it names the field and the rule.
 */
export function validate(
  tool: string,
  schema: z.ZodObject,
  raw: unknown,
): { ok: true; args: Record<string, unknown> } | { ok: false; error: string } {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return { ok: true, args: r.data as Record<string, unknown> };
  const issues = r.error.issues.map((i) =>
    i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message,
  );
  return { ok: false, error: `Input validation error: Invalid arguments for tool ${tool}: ${issues.join(', ')}` };
}
