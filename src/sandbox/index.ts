import type { BackendConfigs } from '../config.ts';
import type { Emulator } from './emulator.ts';
import { mailcowNativeEmulator } from './mailcow/native.ts';
import { mailcowRestEmulator } from './mailcow/rest.ts';
import { rackspaceEmulator } from './rackspace/rest.ts';
import { zammadEmulator } from './zammad/rest.ts';
import { startZimbraSandbox } from './zimbra/index.ts';

/** Credentials of the sandbox: sample values, valid only against the local emulators. */
export const SANDBOX_KEYS = {
  mailcow: 'sandbox-mailcow-api-key',
  mailcowNative: 'SANDBX-000001-MAILCW-NATIVE-RWKEY1',
  mailcowNativeReadOnly: 'SANDBX-000002-MAILCW-NATIVE-ROKEY1',
  rackspaceUser: 'sandbox-rackspace-user-key',
  rackspaceSecret: 'sandbox-rackspace-secret-key',
  zimbra: 'sandbox-zimbra-password',
  zammad: 'sandbox-zammad-token',
  zammadOauth: 'sandbox-zammad-oauth-token',
  zammadPassword: 'sandbox-zammad-password',
} as const;

export type SandboxKeys = { [K in keyof typeof SANDBOX_KEYS]: string };

export interface SandboxOptions {
  mailcowStyle?: 'rest' | 'native';
  /** Other credentials than the sample ones (the secrets tests use distinctive values). */
  keys?: Partial<SandboxKeys>;
  /** Lift the emulated rate limits (load tests measure the server, not the backends' budgets). */
  unlimited?: boolean;
}

export interface Sandbox {
  configs: BackendConfigs;
  emulators: Record<string, Emulator>;
  close(): Promise<void>;
}

/** Starts every backend emulator on a loopback port and returns configurations that point at them. */
export async function startSandboxes(host = '127.0.0.1', opts: SandboxOptions = {}): Promise<Sandbox> {
  const emulators: Record<string, Emulator> = {};
  const configs: BackendConfigs = {};
  const keys: SandboxKeys = { ...SANDBOX_KEYS, ...opts.keys };
  const lots = 1e9;

  const style = opts.mailcowStyle ?? 'rest';
  const mailcow =
    style === 'native'
      ? mailcowNativeEmulator({ keys: { rw: keys.mailcowNative, ro: keys.mailcowNativeReadOnly } })
      : mailcowRestEmulator({
          apiKey: keys.mailcow,
          rateLimit: opts.unlimited ? { limit: lots, windowMs: 60_000 } : undefined,
        });
  const mailcowKey = style === 'native' ? keys.mailcowNative : keys.mailcow;
  configs.mailcow = { url: await mailcow.listen(0, host), apiKey: mailcowKey, style };
  emulators.mailcow = mailcow;

  const rackspace = rackspaceEmulator({
    userKey: keys.rackspaceUser,
    secretKey: keys.rackspaceSecret,
    limits: opts.unlimited ? { get: lots, write: lots, windowMs: 60_000 } : undefined,
  });
  configs.rackspace = {
    url: `${await rackspace.listen(0, host)}/v1`,
    userKey: keys.rackspaceUser,
    secretKey: keys.rackspaceSecret,
    customerId: '12345678',
  };
  emulators.rackspace = rackspace;

  const zimbra = await startZimbraSandbox(keys.zimbra, host);
  configs.zimbra = zimbra.config;
  emulators.zimbra = zimbra.emulator;

  const zammad = zammadEmulator({
    token: keys.zammad,
    oauthToken: keys.zammadOauth,
    password: keys.zammadPassword,
  });
  configs.zammad = { url: await zammad.listen(0, host), auth: { kind: 'token', token: keys.zammad } };
  emulators.zammad = zammad;

  return {
    configs,
    emulators,
    close: async () => {
      await Promise.all(Object.values(emulators).map((e) => e.close()));
    },
  };
}
