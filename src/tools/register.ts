import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import type { Clients } from '../backends/index.ts';
import { BackendError, errorText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { gate } from '../rails/confirm.ts';
import { errorResult, guarded, okResult } from '../rails/outbound.ts';
import type { AnyTool } from './define.ts';
import { lean, toolInput } from './schema.ts';

export { listedSchema, toolInput } from './schema.ts';

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
      guarded(async (args: any, ctx: ServerContext) => {
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
      }),
    );
  }
}
