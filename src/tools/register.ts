import type { CallToolResult, McpServer, ServerContext } from '@modelcontextprotocol/server';
import { BackendError, errorText, InputError } from '../errors.ts';
import { log } from '../log.ts';
import { gate } from '../rails/confirm.ts';
import { type InstanceClients, instanceInput, policyRefusal, tagInstance } from '../rails/instance.ts';
import { errorResult, okResult } from '../rails/outbound.ts';
import { scopeRefusal, scopeRows } from '../rails/scope.ts';
import type { AnyTool } from './define.ts';
import { lean, toolInput } from './schema.ts';

export { listedSchema, toolInput } from './schema.ts';

/** The one registration boundary: confirmation, error mapping and output shaping for every tool. */
export function registerTools(server: McpServer, tools: readonly AnyTool[], fleet: InstanceClients): void {
  for (const t of tools) {
    const members = fleet[t.toolset] ?? [];
    if (members.length === 0) continue;
    // Several instances: a required `instance`; one instance: the listing is exactly as without instances.
    const many = members.length > 1;
    const input = many
      ? instanceInput(
          toolInput(t),
          t.toolset,
          members.map((m) => m.name),
        )
      : toolInput(t);
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
          const { confirm: _c, instance: chosen, ...rest } = args;
          const at = many ? members.find((m) => m.name === chosen) : members[0];
          if (!at) return errorResult(`Invalid input: instance: unknown ${t.toolset} instance ${String(chosen)}`);
          const client = at.client;
          const denied = policyRefusal(t, at.policy);
          if (denied) return errorResult(`Refused: ${t.toolset} instance ${at.name} ${denied}. Nothing was sent.`);
          const domains = at.policy.domains;
          if (domains) {
            const scope = { instance: at.name, domains, client };
            const why = await scopeRefusal(t.name, rest, scope, ctx.mcpReq.signal);
            if (why) return errorResult(why);
          }
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
          let data = await t.run(rest, client as never, { signal: ctx.mcpReq.signal });
          if (domains) data = scopeRows(t.name, data, domains);
          if (many) data = tagInstance(data, at.name);
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
