import type { ZimbraConfig } from '../../config.ts';
import type { Emulator } from '../emulator.ts';
import { zimbraSoapEmulator } from './soap.ts';
import { SANDBOX_ACCOUNT, seededState, type ZimbraState } from './state.ts';

export type ZimbraEmulator = Emulator & { state: ZimbraState };

/** Starts the Zimbra SOAP emulator with sample data; returns it and a configuration that logs in to it. */
export async function startZimbraSandbox(
  password: string,
  host: string,
): Promise<{ emulator: ZimbraEmulator; config: ZimbraConfig }> {
  const emulator = zimbraSoapEmulator(seededState(password));
  const url = await emulator.listen(0, host);
  return { emulator, config: { url, auth: { kind: 'password', username: SANDBOX_ACCOUNT, password } } };
}
