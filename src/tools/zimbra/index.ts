import { contactTools } from './contacts.ts';

export const zimbraTools = [...contactTools];
