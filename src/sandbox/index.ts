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

export interface Sandbox {
  configs: BackendConfigs;
  emulators: Record<string, Emulator>;
  close(): Promise<void>;
}

/** Starts every backend emulator on a loopback port and returns configurations that point at them. */
export async function startSandboxes(
  host = '127.0.0.1',
  opts: { mailcowStyle?: 'rest' | 'native' } = {},
): Promise<Sandbox> {
  const emulators: Record<string, Emulator> = {};
  const configs: BackendConfigs = {};

  const style = opts.mailcowStyle ?? 'rest';
  const mailcow =
    style === 'native'
      ? mailcowNativeEmulator({ keys: { rw: SANDBOX_KEYS.mailcowNative, ro: SANDBOX_KEYS.mailcowNativeReadOnly } })
      : mailcowRestEmulator({ apiKey: SANDBOX_KEYS.mailcow });
  const mailcowKey = style === 'native' ? SANDBOX_KEYS.mailcowNative : SANDBOX_KEYS.mailcow;
  configs.mailcow = { url: await mailcow.listen(0, host), apiKey: mailcowKey, style };
  emulators.mailcow = mailcow;

  const rackspace = rackspaceEmulator({ userKey: SANDBOX_KEYS.rackspaceUser, secretKey: SANDBOX_KEYS.rackspaceSecret });
  configs.rackspace = {
    url: `${await rackspace.listen(0, host)}/v1`,
    userKey: SANDBOX_KEYS.rackspaceUser,
    secretKey: SANDBOX_KEYS.rackspaceSecret,
    customerId: '12345678',
  };
  emulators.rackspace = rackspace;

  const zimbra = await startZimbraSandbox(SANDBOX_KEYS.zimbra, host);
  configs.zimbra = zimbra.config;
  emulators.zimbra = zimbra.emulator;

  const zammad = zammadEmulator({
    token: SANDBOX_KEYS.zammad,
    oauthToken: SANDBOX_KEYS.zammadOauth,
    password: SANDBOX_KEYS.zammadPassword,
  });
  configs.zammad = { url: await zammad.listen(0, host), auth: { kind: 'token', token: SANDBOX_KEYS.zammad } };
  emulators.zammad = zammad;

  return {
    configs,
    emulators,
    close: async () => {
      await Promise.all(Object.values(emulators).map((e) => e.close()));
    },
  };
}
