import type { IncomingMessage } from 'node:http';
import type { Selection } from '../config.ts';

/**
 * The selection of the HTTP request being served, as the transport validated it from the distinct X-MCP-* header
 * lines (and OAuth scopes), travels to the tools/list and tools/call handlers (`src/tools/register.ts`) in a
 * header of this process's own; a copy sent by a client is removed on arrival. It can only take away, so a request
 * never sees more than its session. (An AsyncLocalStorage would carry it too, but on Node 20 one `run` hooks every
 * promise of the process from then on.)
 */
const HEADER = 'x-mailops-selection';

/** Puts the request's selection where the handlers find it; `undefined` when it narrows nothing. */
export function carrySelection(req: IncomingMessage, selection: Selection | undefined): void {
  const raw = req.rawHeaders;
  // `headers` holds every line of `rawHeaders` under its lower-case name: without it there is nothing to drop.
  if (req.headers[HEADER] !== undefined) {
    for (let i = raw.length - 2; i >= 0; i -= 2) if (raw[i]?.toLowerCase() === HEADER) raw.splice(i, 2);
    delete req.headers[HEADER];
  }
  if (!selection) return;
  const value = JSON.stringify(selection);
  raw.push(HEADER, value);
  req.headers[HEADER] = value;
}

/** Every request of a client carries the same few selections: each is parsed once. */
const parsed = new Map<string, Selection>();
/** A value this process did not write (it cannot happen: it is removed on arrival) offers nothing. */
const NOTHING: Selection = { readOnly: true, toolsets: [] };

/** The selection the transport carried with this request, if any. */
export function carriedSelection(headers: { get(name: string): string | null } | undefined): Selection | undefined {
  const value = headers?.get(HEADER);
  if (!value) return undefined;
  let s = parsed.get(value);
  if (!s) {
    try {
      s = JSON.parse(value) as Selection;
    } catch {
      return NOTHING;
    }
    if (parsed.size >= 256) parsed.clear();
    parsed.set(value, s);
  }
  return s;
}
