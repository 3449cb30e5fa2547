import { McpServer, type StandardSchemaWithJSON, type Tool } from '@modelcontextprotocol/server';
import { type AnyTool, listedOutput } from './define.ts';
import { prebuilt } from './prebuilt.ts';
import { lean, toolInput } from './schema.ts';

/**
 * What `tools/list` shows of each tool, exactly as the SDK's own `registerTool` listing would: computed
 * once per process for every tool by one throwaway server, or taken from the bundle, where the build
 * computed it (`scripts/build.mjs`) so that a start spends no time converting schemas.
 */
const listed = new Map<string, Tool>(prebuilt ? Object.entries(prebuilt.listing) : []);
/** Inputs other than the tool's own (several instances add `instance`): listed on first use. */
const others = new WeakMap<object, Promise<Tool>>();

/** The listing of the tool called `name` with its own input, when the build computed it. */
export const prebuiltListing = (name: string): Tool | undefined => (prebuilt ? listed.get(name) : undefined);

export async function listingOf(t: AnyTool, input: AnyTool['input'] = toolInput(t)): Promise<Tool> {
  if (input !== toolInput(t)) {
    let own = others.get(input);
    if (!own) {
      own = referenceListing([t], input).then((l) => l[t.name] as Tool);
      others.set(input, own);
    }
    return own;
  }
  let known = listed.get(t.name);
  if (!known) {
    known = (await referenceListing([t]))[t.name] as Tool;
    listed.set(t.name, known);
  }
  return known;
}

/** The listing of `tools` by the SDK itself, keyed by name. */
export async function referenceListing(
  tools: readonly AnyTool[],
  input?: AnyTool['input'],
): Promise<Record<string, Tool>> {
  const server = new McpServer({ name: 'listing', version: '0' }, { capabilities: { tools: {} } });
  for (const t of tools) {
    server.registerTool(
      t.name,
      {
        title: t.title,
        description: t.description,
        inputSchema: unchecked(input ?? toolInput(t)),
        outputSchema: listedOutput(t.output) && lean(t.output),
        annotations: {
          readOnlyHint: t.hints.readOnly,
          destructiveHint: t.hints.destructive,
          idempotentHint: t.hints.idempotent,
          openWorldHint: t.hints.openWorld,
        },
      },
      () => ({ content: [] }),
    );
  }
  type List = (request: unknown, ctx: unknown) => Promise<{ tools: Tool[] }>;
  const list = (server.server as unknown as { _getRequestHandler(m: string): List })._getRequestHandler('tools/list');
  const out: Record<string, Tool> = {};
  for (const tool of (await list({ method: 'tools/list', params: {} }, {})).tools)
    out[tool.name] = JSON.parse(JSON.stringify(tool));
  return out;
}

/** The listed schema of `input`; validation is the boundary's own (so that a refusal is audited too). */
function unchecked(input: AnyTool['input']): StandardSchemaWithJSON {
  const listed = lean(input)['~standard'];
  return { '~standard': { ...listed, validate: (value: unknown) => ({ value }) } } as unknown as StandardSchemaWithJSON;
}
