import type { BackendConfigs } from '../config.ts';
import type { Emulator } from './emulator.ts';
import { mailcowRestEmulator } from './mailcow/rest.ts';

/** Credentials of the sandbox: sample values, valid only against the local emulators. */
export const SANDBOX_KEYS = {
  mailcow: 'sandbox-mailcow-api-key',
} as const;

export interface Sandbox {
  configs: BackendConfigs;
  emulators: Record<string, Emulator>;
  close(): Promise<void>;
}

/** Starts every backend emulator on a loopback port and returns configurations that point at them. */
export async function startSandboxes(host = '127.0.0.1'): Promise<Sandbox> {
  const emulators: Record<string, Emulator> = {};
  const configs: BackendConfigs = {};

  const mailcow = mailcowRestEmulator({ apiKey: SANDBOX_KEYS.mailcow });
  configs.mailcow = { url: await mailcow.listen(0, host), apiKey: SANDBOX_KEYS.mailcow, style: 'rest' };
  emulators.mailcow = mailcow;

  return {
    configs,
    emulators,
    close: async () => {
      await Promise.all(Object.values(emulators).map((e) => e.close()));
    },
  };
}
