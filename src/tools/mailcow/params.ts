import * as z from 'zod';
import { Domain, Email } from '../params.ts';

// mailcow's address fields, listed with the JSON Schema format they have (the refinement validates).
export const MailDomain = Domain.meta({ format: 'hostname' });
export const Address = Email.meta({ format: 'email' });

/** Sizes in MiB, as mailcow takes them; 0 is refused by mailcow for domain limits (defquota_empty, maxquota_empty). */
export const MiB = z.number().int().min(1).max(100_000_000);
