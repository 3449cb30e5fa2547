import { buildClients, type ClientOptions, type Clients } from '../backends/index.ts';
import type { Bound, InstanceClients } from '../rails/instance.ts';
import type { Fleet, Instance } from './file.ts';

/** A client per instance, each built (and its secrets registered for redaction) as a one-instance set-up is. */
export function buildInstanceClients(fleet: Fleet, opts: ClientOptions): InstanceClients {
  const out: Record<string, Bound<unknown>[]> = {};
  for (const [b, list] of Object.entries(fleet) as Array<[keyof Clients, Instance<unknown>[] | undefined]>) {
    if (!list?.length) continue;
    out[b] = list.map((i) => ({
      name: i.name,
      client: buildClients({ [b]: i.config }, opts)[b],
      policy: i.policy,
    }));
  }
  return out as InstanceClients;
}

/** The first instance's client of each backend: what code that knows one client per backend sees. */
export function firstClients(fleet: InstanceClients): Partial<Clients> {
  return Object.fromEntries(Object.entries(fleet).map(([b, list]) => [b, list?.[0]?.client]));
}
