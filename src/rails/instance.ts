import * as z from 'zod';
import type { Clients } from '../backends/index.ts';
import { DEFAULT_INSTANCE, type Policy } from '../instances/index.ts';
import type { Toolset } from '../tools/define.ts';
import type { ToolHead } from '../tools/heads.ts';

// Instances (catalog §6): each backend may have several; each instance has its own client and policy.

export interface Bound<C> {
  name: string;
  client: C;
  policy: Policy;
}
export type InstanceClients = { [K in Toolset]?: Bound<Clients[K]>[] };

/** The clients of a one-instance-per-backend set-up, each as instance `default` with no restriction. */
export function single(clients: Partial<Clients>): InstanceClients {
  const out: Record<string, Bound<unknown>[]> = {};
  for (const [k, client] of Object.entries(clients)) {
    if (client) out[k] = [{ name: DEFAULT_INSTANCE, client, policy: { readOnly: false } }];
  }
  return out as InstanceClients;
}

/** Why an instance's own `read_only`, `tools` or `exclude_tools` refuse this tool, if they do. */
export function policyRefusal(t: ToolHead, p: Policy): string | undefined {
  if (p.readOnly && !t.hints.readOnly) return 'is read-only';
  if (p.tools && !p.tools.includes(t.name)) return `does not offer ${t.name} (not in its tools)`;
  if (p.exclude?.includes(t.name)) return `does not offer ${t.name} (in its exclude_tools)`;
  return undefined;
}

/** The instances of the tool's backend that offer it. */
export const offering = (t: ToolHead, fleet: InstanceClients) =>
  (fleet[t.toolset] ?? []).filter((i) => !policyRefusal(t, i.policy));

/** With several instances every tool of the backend takes a required `instance`: one schema per name set. */
const withInstance = new Map<string, WeakMap<z.ZodObject, z.ZodObject>>();

export function instanceInput(input: z.ZodObject, toolset: Toolset, names: readonly string[]): z.ZodObject {
  const key = `${toolset}:${names.join(',')}`;
  let cache = withInstance.get(key);
  if (!cache) {
    cache = new WeakMap();
    withInstance.set(key, cache);
  }
  let out = cache.get(input);
  if (!out) {
    out = input.extend({
      instance: z.enum(names as [string, ...string[]]).describe(`Which ${toolset} instance`),
    });
    cache.set(input, out);
  }
  return out;
}

/** The result data with its instance, shaped as the outbound rail shapes results (objects, lists, values). */
export function tagInstance(data: unknown, name: string): Record<string, unknown> {
  if (data && typeof data === 'object' && !Array.isArray(data)) return { ...(data as object), instance: name };
  if (Array.isArray(data)) return { items: data, instance: name };
  return { result: data ?? 'done', instance: name };
}

/** One line per backend with several or restricted instances, for the server's instructions. */
export function describeInstances(fleet: InstanceClients): string {
  const lines: string[] = [];
  for (const [backend, list] of Object.entries(fleet)) {
    if (!list || (list.length < 2 && !list.some((i) => restricted(i.policy)))) continue;
    const parts = list.map((i) => {
      const notes = [
        i.policy.readOnly && 'read-only',
        i.policy.domains && `only ${i.policy.domains.join(', ')}`,
      ].filter(Boolean);
      return notes.length ? `${i.name} (${notes.join('; ')})` : i.name;
    });
    lines.push(`${backend} instances: ${parts.join(', ')}.`);
  }
  return lines.join(' ');
}

const restricted = (p: Policy) => p.readOnly || Boolean(p.tools || p.exclude || p.domains);
