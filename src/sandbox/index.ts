import type { BackendConfigs } from '../config.ts';
import type { Fleet, Instance } from '../instances/file.ts';
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

type Started<K extends keyof BackendConfigs> = { config: NonNullable<BackendConfigs[K]>; emulator: Emulator };

const LOTS = 1e9;

/** One emulator per backend, each in its own state, and the configuration that points at it. */
const starters = {
  async mailcow(host: string, keys: SandboxKeys, opts: SandboxOptions): Promise<Started<'mailcow'>> {
    const style = opts.mailcowStyle ?? 'rest';
    const emulator =
      style === 'native'
        ? mailcowNativeEmulator({ keys: { rw: keys.mailcowNative, ro: keys.mailcowNativeReadOnly } })
        : mailcowRestEmulator({
            apiKey: keys.mailcow,
            rateLimit: opts.unlimited ? { limit: LOTS, windowMs: 60_000 } : undefined,
          });
    const apiKey = style === 'native' ? keys.mailcowNative : keys.mailcow;
    return { config: { url: await emulator.listen(0, host), apiKey, style }, emulator };
  },
  async rackspace(host: string, keys: SandboxKeys, opts: SandboxOptions): Promise<Started<'rackspace'>> {
    const emulator = rackspaceEmulator({
      userKey: keys.rackspaceUser,
      secretKey: keys.rackspaceSecret,
      limits: opts.unlimited ? { get: LOTS, write: LOTS, windowMs: 60_000 } : undefined,
    });
    const config = {
      url: `${await emulator.listen(0, host)}/v1`,
      userKey: keys.rackspaceUser,
      secretKey: keys.rackspaceSecret,
      customerId: '12345678',
    };
    return { config, emulator };
  },
  async zimbra(host: string, keys: SandboxKeys): Promise<Started<'zimbra'>> {
    return startZimbraSandbox(keys.zimbra, host);
  },
  async zammad(host: string, keys: SandboxKeys): Promise<Started<'zammad'>> {
    const emulator = zammadEmulator({
      token: keys.zammad,
      oauthToken: keys.zammadOauth,
      password: keys.zammadPassword,
    });
    return { config: { url: await emulator.listen(0, host), auth: { kind: 'token', token: keys.zammad } }, emulator };
  },
};

const closer = (emulators: Record<string, Emulator>) => async () => {
  await Promise.all(Object.values(emulators).map((e) => e.close()));
};

/** Starts every backend emulator on a loopback port and returns configurations that point at them. */
export async function startSandboxes(host = '127.0.0.1', opts: SandboxOptions = {}): Promise<Sandbox> {
  const emulators: Record<string, Emulator> = {};
  const configs: BackendConfigs = {};
  const keys: SandboxKeys = { ...SANDBOX_KEYS, ...opts.keys };
  for (const b of ['mailcow', 'rackspace', 'zimbra', 'zammad'] as const) {
    const started = await starters[b](host, keys, opts);
    (configs as Record<string, unknown>)[b] = started.config;
    emulators[b] = started.emulator;
  }
  return { configs, emulators, close: closer(emulators) };
}

export interface FleetSandbox {
  /** The same instances and policies, their URLs and credentials replaced by their emulators'. */
  fleet: Fleet;
  /** By `backend.instance`. */
  emulators: Record<string, Emulator>;
  close(): Promise<void>;
}

/** One emulator per instance of an instances file, each in its own state, mailcow in the instance's API style. */
export async function startFleetSandboxes(
  fleet: Fleet,
  host = '127.0.0.1',
  opts: SandboxOptions = {},
): Promise<FleetSandbox> {
  const emulators: Record<string, Emulator> = {};
  const keys: SandboxKeys = { ...SANDBOX_KEYS, ...opts.keys };
  const out: Record<string, Instance<unknown>[]> = {};
  for (const [b, list] of Object.entries(fleet) as Array<[keyof BackendConfigs, Instance<unknown>[]]>) {
    out[b] = [];
    for (const i of list) {
      const style = b === 'mailcow' ? (i.config as { style: 'rest' | 'native' }).style : undefined;
      const started = await starters[b](host, keys, { ...opts, mailcowStyle: style });
      emulators[`${b}.${i.name}`] = started.emulator;
      out[b].push({ ...i, config: started.config });
    }
  }
  return { fleet: out as Fleet, emulators, close: closer(emulators) };
}
