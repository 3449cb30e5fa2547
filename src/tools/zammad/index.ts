import { organizationTools } from './organizations.ts';
import { referenceTools } from './reference.ts';
import { ticketTools } from './tickets.ts';
import { userTools } from './users.ts';

export const zammadTools = [...ticketTools, ...userTools, ...organizationTools, ...referenceTools];
