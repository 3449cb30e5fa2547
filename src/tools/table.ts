import type { Tool } from '@modelcontextprotocol/server';
import type { Selection } from '../config.ts';
import { type Bound, describeInstances, type InstanceClients, instanceInput } from '../rails/instance.ts';
import type { Rails } from '../rails/state.ts';
import type { AnyTool } from './define.ts';
import type { ToolHead } from './heads.ts';
import { listingOf, prebuiltListing } from './listing.ts';
import { definition } from './load.ts';
import { toolInput } from './schema.ts';
import { permitted } from './select.ts';

/** What a call of one tool needs: its definition, the instances of its backend and the input it takes. */
export interface Served {
  tool: AnyTool;
  members: Bound<unknown>[];
  input: AnyTool['input'];
}

interface View {
  offered: readonly ToolHead[];
  names: ReadonlySet<string>;
  /** Listed on first use. */
  tools?: Promise<Tool[]>;
}

/** Distinct narrowings whose listing is kept; past this the kept ones are dropped (headers are the client's). */
const MAX_VIEWS = 256;

/**
 * The tools one process serves (configured backends, the configured selection) with their clients and
 * rails, built once and referenced by every server: the stdio one, each 2026-07-28 request's, each
 * 2025-11-25 session's. A server's narrowing only chooses among them; listings are kept per narrowing.
 * It holds the tools' heads; a tool's definition (its backend's table, its schemas) is loaded on its first call,
 * or on its first listing when the build did not list it already.
 */
export class ToolTable {
  private readonly byName: ReadonlyMap<string, ToolHead>;
  private readonly views = new Map<string, View>();
  private readonly serving = new Map<ToolHead, Promise<Served>>();
  private readonly settled = new Map<ToolHead, Served>();
  /** The instances line of the server's instructions ('' with one plain instance per backend). */
  readonly instances: string;

  constructor(
    readonly tools: readonly ToolHead[],
    readonly fleet: InstanceClients,
    readonly rails: Rails,
  ) {
    this.byName = new Map(tools.map((t) => [t.name, t]));
    this.instances = describeInstances(fleet);
  }

  private members(h: ToolHead): Bound<unknown>[] {
    return (this.fleet[h.toolset] ?? []) as Bound<unknown>[];
  }

  /** Several instances: a required `instance`; one instance: the input (and listing) is as without instances. */
  served(h: ToolHead): Promise<Served> {
    let s = this.serving.get(h);
    if (!s) {
      const members = this.members(h);
      s = definition(h).then((tool) =>
        this.settle(h, {
          tool,
          members,
          input:
            members.length > 1
              ? instanceInput(
                  toolInput(tool),
                  tool.toolset,
                  members.map((m) => m.name),
                )
              : toolInput(tool),
        }),
      );
      this.serving.set(h, s);
    }
    return s;
  }

  /** What `served` resolved with, once it has: a call of a tool served before awaits nothing for it. */
  ready(h: ToolHead): Served | undefined {
    return this.settled.get(h);
  }

  private settle(h: ToolHead, s: Served): Served {
    this.settled.set(h, s);
    return s;
  }

  /** The listing as `listing` gives it, when it is at hand without waiting (built into the bundle). */
  listed(h: ToolHead): Tool | undefined {
    return this.members(h).length > 1 ? undefined : prebuiltListing(h.name);
  }

  /** The tool called `name` if every layer lets it through. */
  find(name: unknown, layers: readonly Selection[]): ToolHead | undefined {
    const t = typeof name === 'string' ? this.byName.get(name) : undefined;
    return t && permitted(t, ...layers) ? t : undefined;
  }

  async listing(h: ToolHead): Promise<Tool> {
    const known = this.listed(h);
    if (known) return known;
    const { tool, input } = await this.served(h);
    return listingOf(tool, input);
  }

  /** `tools/list` under these layers. */
  list(layers: readonly Selection[]): Promise<Tool[]> {
    const view = this.view(layers);
    view.tools ??= Promise.all(view.offered.map((t) => this.listing(t)));
    return view.tools;
  }

  /** The names of the tools offered under these layers. */
  names(layers: readonly Selection[]): ReadonlySet<string> {
    return this.view(layers).names;
  }

  private view(layers: readonly Selection[]): View {
    let key = '';
    const offered: ToolHead[] = [];
    this.tools.forEach((t, i) => {
      if (!permitted(t, ...layers)) return;
      key += `${i},`;
      offered.push(t);
    });
    let view = this.views.get(key);
    if (!view) {
      if (this.views.size >= MAX_VIEWS) this.views.clear();
      view = { offered, names: new Set(offered.map((t) => t.name)) };
      this.views.set(key, view);
    }
    return view;
  }
}
