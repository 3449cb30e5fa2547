import { AsyncLocalStorage } from 'node:async_hooks';
import type { Selection } from '../config.ts';

/**
 * The selection of the HTTP request being served. The transport runs each request inside
 * `requestSelection.run(...)`; the tools/list and tools/call handlers (`src/tools/register.ts`) narrow
 * every server, a 2025-11-25 session's included, by it. It can only take away, so a request never sees
 * more than its session.
 */
export const requestSelection = new AsyncLocalStorage<Selection>();
