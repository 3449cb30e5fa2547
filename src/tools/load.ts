import type { AnyTool, Toolset } from './define.ts';
import type { ToolHead } from './heads.ts';

/** Each backend's table, loaded (its schemas built) on the first call of one of its tools. */
const TABLES: Record<Toolset, () => Promise<readonly AnyTool[]>> = {
  mailcow: async () => (await import('./mailcow/index.ts')).mailcowTools,
  rackspace: async () => (await import('./rackspace/index.ts')).rackspaceTools,
  zammad: async () => (await import('./zammad/index.ts')).zammadTools,
  zimbra: async () => (await import('./zimbra/index.ts')).zimbraTools,
};

const loaded = new Map<Toolset, Promise<ReadonlyMap<string, AnyTool>>>();

/** The whole definition of the tool `h` heads. */
export async function definition(h: ToolHead): Promise<AnyTool> {
  let table = loaded.get(h.toolset);
  if (!table) {
    table = TABLES[h.toolset]().then((tools) => new Map(tools.map((t) => [t.name, t])));
    loaded.set(h.toolset, table);
  }
  const t = (await table).get(h.name);
  if (!t) throw new Error(`no definition of ${h.name} in the ${h.toolset} table`);
  return t;
}
