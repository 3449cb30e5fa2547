import type { BackendConfigs } from '../config.ts';
import { addCredentialHeader, addSecret } from '../redact.ts';
import { MailcowNative } from './mailcow/native.ts';
import { MailcowRest } from './mailcow/rest.ts';
import type { MailcowApi } from './mailcow/types.ts';
import { RackspaceClient } from './rackspace/client.ts';
import { authorization, ZammadRest } from './zammad/rest.ts';
import type { ZammadApi } from './zammad/types.ts';
import { ZimbraSoap } from './zimbra/soap.ts';
import type { ZimbraApi } from './zimbra/types.ts';

/** One client per backend; tools receive the client of their toolset. */
export interface Clients {
  mailcow: MailcowApi;
  rackspace: RackspaceClient;
  zammad: ZammadApi;
  zimbra: ZimbraApi;
}

export interface ClientOptions {
  timeoutMs: number;
  maxRetryWaitMs: number;
}

export function buildClients(cfg: BackendConfigs, opts: ClientOptions): Partial<Clients> {
  const clients: Partial<Clients> = {};
  if (cfg.mailcow) {
    addSecret(cfg.mailcow.apiKey);
    clients.mailcow =
      cfg.mailcow.style === 'native' ? new MailcowNative(cfg.mailcow, opts) : new MailcowRest(cfg.mailcow, opts);
  }
  if (cfg.rackspace) {
    addSecret(cfg.rackspace.userKey);
    addSecret(cfg.rackspace.secretKey);
    clients.rackspace = new RackspaceClient(cfg.rackspace, opts);
  }
  if (cfg.zammad) {
    const a = cfg.zammad.auth;
    if (a.kind === 'basic') {
      // The Basic header carries `user:password` base64-encoded: each of them is a secret.
      addSecret(a.password);
      addSecret(`${a.username}:${a.password}`);
      addSecret(Buffer.from(`${a.username}:${a.password}`).toString('base64'));
    } else addSecret(a.token);
    addCredentialHeader(authorization(a));
    clients.zammad = new ZammadRest(cfg.zammad, opts);
  }
  if (cfg.zimbra) {
    const a = cfg.zimbra.auth;
    addSecret(a.kind === 'token' ? a.token : a.password);
    clients.zimbra = new ZimbraSoap(cfg.zimbra, opts);
  }
  return clients;
}
