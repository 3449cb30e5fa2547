import type { CallToolResult, McpServer, ServerContext, StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { sentRequests } from '../backends/http.ts';
import type { Clients } from '../backends/index.ts';
import { parseRails } from '../config.ts';
import { BackendError, errorText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { AuditError, type AuditRecord } from '../rails/audit.ts';
import { bindingOf, callerOf } from '../rails/caller.ts';
import { gate } from '../rails/confirm.ts';
import { validate } from '../rails/input.ts';
import { errorResult, okResult } from '../rails/outbound.ts';
import { type Rails, railsFor } from '../rails/state.ts';
import type { AnyTool } from './define.ts';
import { lean, toolInput } from './schema.ts';

export { listedSchema, toolInput } from './schema.ts';

type Result = CallToolResult;

/**
 * The one registration boundary. Every call of every tool passes, in this order:
 *   1. audit   – a write opens the audit log first; a log that cannot be written refuses the call
 *   2. input   – the arguments are validated here (not in the SDK), so a refusal is audited too
 *   3. confirm – destructive calls: elicitation, or a confirmation token bound to this very call
 *   4. before  – updates and deletes of one record read it, for the audit record
 *   5. run     – the backend requests are recorded while the tool runs
 *   6. outbound – results are shaped, redacted and fenced as untrusted; the audit record is flushed
 */
export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  clients: Partial<Clients>,
  rails: Rails = railsFor(parseRails(process.env)),
): void {
  for (const t of tools) {
    const client = clients[t.toolset];
    if (!client) continue;
    const input = toolInput(t);
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: unchecked(input),
        outputSchema: lean(t.output),
        annotations: {
          readOnlyHint: t.hints.readOnly,
          destructiveHint: t.hints.destructive,
          idempotentHint: t.hints.idempotent,
          openWorldHint: t.hints.openWorld,
        },
      },
      (raw: unknown, ctx: ServerContext) => boundary(t, client, rails, server, raw, ctx) as Promise<Result>,
    );
  }
}

async function boundary(
  t: AnyTool,
  client: unknown,
  rails: Rails,
  server: McpServer,
  raw: unknown,
  ctx: ServerContext,
): Promise<unknown> {
  const started = Date.now();
  const caller = callerOf(server, ctx);
  const writes = !t.hints.readOnly;
  let record: ((r: AuditRecord) => void) | undefined;
  const finish = (r: Result, outcome: Omit<Partial<AuditRecord>, 'outcome'> & Pick<AuditRecord, 'outcome'>) => {
    if (!writes) return r;
    const { confirm: _c, ...args } = (outcome.arguments ?? raw ?? {}) as Record<string, unknown>;
    log.info('tool call', {
      tool: t.name,
      outcome: outcome.outcome,
      ...(outcome.reason ? { reason: outcome.reason } : {}),
    });
    try {
      record?.({
        time: new Date(started).toISOString(),
        tool: t.name,
        backend: t.toolset,
        ...(typeof args.instance === 'string' ? { instance: args.instance } : {}),
        caller,
        requests: [],
        duration_ms: Date.now() - started,
        ...outcome,
        arguments: args,
      } as AuditRecord);
    } catch (err) {
      log.error('audit record not written', { tool: t.name, error: (err as Error).message });
    }
    return r;
  };

  // 1. audit
  if (writes) {
    try {
      record = rails.audit.open();
    } catch (err) {
      if (!(err instanceof AuditError)) throw err;
      log.error('write refused: audit log not writable', { tool: t.name });
      return errorResult(err.message);
    }
  }
  // 2. input
  const v = validate(t.name, toolInput(t), raw);
  if (!v.ok) return finish(errorResult(v.error), { outcome: 'refused', reason: 'invalid input', error: v.error });
  const args = v.args;
  try {
    // 3. confirm
    const what = t.hints.destructive ? (t.confirm ? t.confirm(args, client as never) : t.title) : undefined;
    if (what) {
      const g = await gate(rails, server, ctx, { tool: t.name, args, what, binding: bindingOf(caller) });
      if (!g.proceed) {
        if (g.pending) return g.result;
        log.info('destructive call not confirmed', { tool: t.name, reason: g.reason });
        return finish(g.result as Result, { outcome: 'refused', reason: `unconfirmed: ${g.reason}`, arguments: args });
      }
    }
    const { confirm: _c, ...rest } = args;
    const run = { signal: ctx.mcpReq.signal };
    // 4. before
    const before = t.before
      ? await t.before(rest, client as never, run).catch((err: unknown) => {
          log.warn('could not read the record before the change', { tool: t.name, error: errorText(err) });
          return undefined;
        })
      : undefined;
    // 5. run
    const requests: string[] = [];
    const extra = { arguments: args, requests, ...(before === undefined ? {} : { before }) };
    try {
      const data = await sentRequests.run(requests, () => t.run(rest, client as never, run));
      // 6. outbound
      return finish(okResult(data, rest.full === true, t.toolset), { outcome: 'done', ...extra });
    } catch (err) {
      const message = failed(t, err);
      return finish(errorResult(message), { outcome: 'failed', error: message, ...extra });
    }
  } catch (err) {
    const message = failed(t, err);
    return finish(errorResult(message), { outcome: 'failed', error: message, arguments: args });
  }
}

function failed(t: AnyTool, err: unknown): string {
  const level = err instanceof BackendError || err instanceof InputError ? 'warn' : 'error';
  const message = errorText(err);
  log[level]('tool failed', { tool: t.name, error: message });
  return message;
}

/** The listed schema of `input`, with validation left to the boundary. */
const listings = new WeakMap<object, StandardSchemaWithJSON>();

function unchecked(input: AnyTool['input']): StandardSchemaWithJSON {
  const known = listings.get(input);
  if (known) return known;
  const listed = lean(input)['~standard'];
  const wrapped = {
    '~standard': { ...listed, validate: (value: unknown) => ({ value }) },
  } as unknown as StandardSchemaWithJSON;
  listings.set(input, wrapped);
  return wrapped;
}
