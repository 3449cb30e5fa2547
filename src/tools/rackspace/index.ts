import { mailboxTools } from './mailboxes.ts';
import { mobileTools } from './mobile.ts';
import { spamTools } from './spam.ts';

export const rackspaceTools = [...mailboxTools, ...spamTools, ...mobileTools];
