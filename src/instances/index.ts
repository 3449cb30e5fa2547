import { heads } from '../tools/heads.ts';
import type { Backend } from './file.ts';

/** The tool names of each backend, for checking an instance's `tools` and `exclude_tools`. */
export function toolNamesByBackend(): Record<Backend, string[]> {
  const out: Record<Backend, string[]> = { mailcow: [], rackspace: [], zammad: [], zimbra: [] };
  for (const t of heads) out[t.toolset].push(t.name);
  return out;
}
