import type { BackendConfigs } from '../config.ts';
import { addSecret } from '../redact.ts';
import { MailcowRest } from './mailcow/rest.ts';
import type { MailcowApi } from './mailcow/types.ts';

/** One client per backend; tools receive the client of their toolset. */
export interface Clients {
  mailcow: MailcowApi;
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
  return clients;
}
