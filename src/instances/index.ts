import { heads } from '../tools/heads.ts';
import type { Backend } from './file.ts';

export const DEFAULT_INSTANCE = 'default';

/** What an instance may do, beyond the server-wide selection. */
export interface Policy {
  readOnly: boolean;
  tools?: string[];
  exclude?: string[];
  /** mailcow and Rackspace: the only domains this instance may touch (lower case). */
  domains?: string[];
}

/** The tool names of each backend, for checking an instance's `tools` and `exclude_tools`. */
export function toolNamesByBackend(): Record<Backend, string[]> {
  const out: Record<Backend, string[]> = { mailcow: [], rackspace: [], zammad: [], zimbra: [] };
  for (const t of heads) out[t.toolset].push(t.name);
  return out;
}
