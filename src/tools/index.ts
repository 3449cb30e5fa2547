import type { AnyTool } from './define.ts';
import { mailcowTools } from './mailcow/index.ts';
import { rackspaceTools } from './rackspace/index.ts';
import { zammadTools } from './zammad/index.ts';
import { zimbraTools } from './zimbra/index.ts';

/** Every tool of every backend, in listing order. */
export const allTools: readonly AnyTool[] = [...mailcowTools, ...rackspaceTools, ...zammadTools, ...zimbraTools];
