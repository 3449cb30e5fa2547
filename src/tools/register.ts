import {
  type CallToolResult,
  isInputRequiredResult,
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { recordRequests } from '../backends/http.ts';
import type { Selection } from '../config.ts';
import { BackendError, errorText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { AuditError, type AuditRecord } from '../rails/audit.ts';
import { bindingOf, callerOf } from '../rails/caller.ts';
import { gate } from '../rails/confirm.ts';
import { validate } from '../rails/input.ts';
import { type Bound, policyRefusal, tagInstance } from '../rails/instance.ts';
import { carriedSelection } from '../rails/narrow.ts';
import { errorResult, guarded, okResult } from '../rails/outbound.ts';
import { scopeRefusal, scopeRows } from '../rails/scope.ts';
import type { Rails } from '../rails/state.ts';
import { type AnyTool, listedOutput } from './define.ts';
import type { ToolTable } from './table.ts';

export { listedSchema, toolInput } from './schema.ts';

type Result = CallToolResult;

/**
 * The one registration boundary. Every call of every tool passes, in this order:
 *   1. audit   – a write opens the audit log first; a log that cannot be written refuses the call
 *   2. input   – the arguments are validated here (not in the SDK), so a refusal is audited too
 *   2b. instance – the instance named by `instance` (or the only one); its read_only, tool lists and
 *                 domains refuse before anything is sent
 *   3. confirm – destructive calls: elicitation, or a confirmation token bound to this very call
 *   4. before  – updates and deletes of one record read it, for the audit record
 *   5. run     – the backend requests are recorded while the tool runs
 *   6. outbound – results are shaped, redacted and fenced as untrusted; the audit record is flushed
 * No server registers tools of its own: its tools/list and tools/call read the process's one table,
 * narrowed by `layers` (a 2025-11-25 session's opening selection) and by the request's own selection.
 */
export function registerTools(server: McpServer, table: ToolTable, ...layers: Selection[]): void {
  const inner = server.server;
  const narrowed = (ctx: ServerContext): Selection[] => {
    const sel = carriedSelection(ctx.http?.req?.headers);
    return sel ? [...layers, sel] : layers;
  };
  inner.setRequestHandler('tools/list', async (_request, ctx) => ({ tools: await table.list(narrowed(ctx)) }));
  inner.setRequestHandler('tools/call', async (request, ctx) => {
    const name = request.params.name;
    const head = table.find(name, narrowed(ctx));
    if (!head) throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Tool ${name} not found`);
    const { tool: t, members, input } = table.ready(head) ?? (await table.served(head));
    try {
      const raw = request.params.arguments;
      const result = (await guarded(raw, () => boundary(t, members, input, table.rails, server, raw, ctx))) as Result;
      if (isInputRequiredResult(result)) return result;
      if (!result.isError) checkOutput(t, result);
      const listing = table.listed(head) ?? (await table.listing(head));
      return inner.projectCallToolResult(result, listing.outputSchema);
    } catch (error) {
      // As the SDK's own tools/call: a throw becomes an error result, a URL elicitation request travels on.
      if (error instanceof ProtocolError && error.code === ProtocolErrorCode.UrlElicitationRequired) throw error;
      return {
        content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }],
        isError: true,
      };
    }
  });
}

/** The SDK checks structured content against a listed output schema; so does this boundary. */
function checkOutput(t: AnyTool, result: Result): void {
  const output = listedOutput(t.output);
  if (!output) return;
  if (result.structuredContent === undefined) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Output validation error: Tool ${t.name} has an output schema but no structured content was provided`,
    );
  }
  const parsed = output.safeParse(result.structuredContent);
  if (!parsed.success) {
    throw new ProtocolError(
      ProtocolErrorCode.InvalidParams,
      `Output validation error: Invalid structured content for tool ${t.name}: ${parsed.error.message}`,
    );
  }
}

async function boundary(
  t: AnyTool,
  members: Bound<unknown>[],
  input: AnyTool['input'],
  rails: Rails,
  server: McpServer,
  raw: unknown,
  ctx: ServerContext,
): Promise<unknown> {
  const started = Date.now();
  const writes = !t.hints.readOnly;
  // Who called goes into audit records, which only writes get.
  const caller = writes ? callerOf(server, ctx) : undefined;
  let record: ((r: AuditRecord) => void) | undefined;
  const many = members.length > 1;
  let at: Bound<unknown> | undefined = many ? undefined : members[0];
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
        ...(at ? { instance: at.name } : typeof args.instance === 'string' ? { instance: args.instance } : {}),
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
  const v = validate(t.name, input, raw);
  if (!v.ok) return finish(errorResult(v.error), { outcome: 'refused', reason: 'invalid input', error: v.error });
  const args = v.args;
  // 2b. instance
  at ??= members.find((m) => m.name === args.instance);
  if (!at)
    return finish(errorResult(`Invalid input: instance: unknown ${t.toolset} instance`), {
      outcome: 'refused',
      reason: 'invalid input',
      arguments: args,
    });
  const client = at.client;
  const denied = policyRefusal(t, at.policy);
  if (denied) {
    const message = `Refused: ${t.toolset} instance ${at.name} ${denied}. Nothing was sent.`;
    return finish(errorResult(message), { outcome: 'refused', reason: `instance ${denied}`, arguments: args });
  }
  const domains = at.policy.domains;
  try {
    if (domains) {
      const scope = { instance: at.name, domains, client };
      const why = await scopeRefusal(t.name, args, scope, ctx.mcpReq.signal);
      if (why)
        return finish(errorResult(why), { outcome: 'refused', reason: 'outside the domain scope', arguments: args });
    }
    // 3. confirm
    const what = t.hints.destructive ? (t.confirm ? t.confirm(args, client as never) : t.title) : undefined;
    if (what) {
      const g = await gate(rails, server, ctx, {
        tool: t.name,
        args,
        what,
        binding: bindingOf(caller ?? callerOf(server, ctx)),
      });
      if (!g.proceed) {
        if (g.pending) return g.result;
        log.info('destructive call not confirmed', { tool: t.name, reason: g.reason });
        return finish(g.result as Result, { outcome: 'refused', reason: `unconfirmed (${g.reason})`, arguments: args });
      }
    }
    const { confirm: _c, instance: _i, ...rest } = args;
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
      recordRequests(run.signal, requests);
      let data = await t.run(rest, client as never, run);
      if (domains) data = scopeRows(t.name, data, domains);
      if (many) data = tagInstance(data, at.name);
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
