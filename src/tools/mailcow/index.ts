import { aliasTools } from './aliases.ts';
import { domainTools } from './domains.ts';
import { mailboxTools } from './mailboxes.ts';
import { syncJobTools } from './syncjobs.ts';

export const mailcowTools = [...domainTools, ...mailboxTools, ...aliasTools, ...syncJobTools];
