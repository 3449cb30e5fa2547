import type { BackendConfigs } from '../config.ts';
import { addSecret } from '../redact.ts';
import { MailcowRest } from './mailcow/rest.ts';
import type { MailcowApi } from './mailcow/types.ts';
import { RackspaceClient } from './rackspace/client.ts';

/** One client per backend; tools receive the client of their toolset. */
export interface Clients {
  mailcow: MailcowApi;
  rackspace: RackspaceClient;
}

export interface ClientOptions {
  timeoutMs: number;
  maxRetryWaitMs: number;
}

export function buildClients(cfg: BackendConfigs, opts: ClientOptions): Partial<Clients> {
  const clients: Partial<Clients> = {};
  if (cfg.mailcow) {
    addSecret(cfg.mailcow.apiKey);
    clients.mailcow = new MailcowRest(cfg.mailcow, opts);
  }
  if (cfg.rackspace) {
    addSecret(cfg.rackspace.userKey);
    addSecret(cfg.rackspace.secretKey);
    clients.rackspace = new RackspaceClient(cfg.rackspace, opts);
  }
  return clients;
}
