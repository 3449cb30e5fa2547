import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { isEmail } from '../tools/params.ts';
import { offboardSteps } from './offboard.ts';
import { spamSteps } from './spam.ts';
import { render, SAFETY, type Step } from './steps.ts';
import { triageSteps } from './triage.ts';

const Email = z.string().trim().refine(isEmail, 'must be an email address');

interface PromptDef {
  name: string;
  title: string;
  description: string;
  args: z.ZodObject;
  /** Offered only when every one of these tools is offered. */
  needs: string[][];
  steps: (args: Record<string, string | undefined>) => Step[];
  goal: (args: Record<string, string | undefined>) => string;
}

export const prompts: PromptDef[] = [
  {
    name: 'offboard_user',
    title: 'Offboard a person',
    description:
      'Find a leaving person in every configured backend, forward their mail, hand over their tickets, and only then offer deletion.',
    args: z.object({
      email: Email.describe('Address of the person leaving'),
      forward_to: Email.optional().describe('Where their mail should go'),
    }),
    needs: [
      ['mailcow_get_mailbox'],
      ['rackspace_get_exchange_mailbox'],
      ['zammad_search_users'],
      ['zimbra_search_contacts'],
    ],
    steps: (a) => offboardSteps(a.email as string, a.forward_to),
    goal: (a) => `Offboard ${a.email}${a.forward_to ? `, forwarding their mail to ${a.forward_to}` : ''}.`,
  },
  {
    name: 'triage_ticket',
    title: 'Triage a ticket',
    description:
      'Read a Zammad ticket and its articles, identify the customer, and propose state, priority, owner, tags and an internal note.',
    args: z.object({ ticket: z.string().trim().min(1).describe('Ticket id, or the ticket number users see') }),
    needs: [['zammad_get_ticket', 'zammad_list_ticket_articles']],
    steps: (a) => triageSteps(a.ticket as string),
    goal: (a) => `Triage Zammad ticket ${a.ticket}.`,
  },
  {
    name: 'investigate_spam',
    title: 'Investigate spam for a mailbox',
    description:
      "Show a Rackspace mailbox's spam settings and lists, propose block or safe entries and a filter level, and apply them on approval.",
    args: z.object({
      mailbox: Email.describe('Mailbox address'),
      sender: z.string().trim().optional().describe('Suspect sender address or domain'),
      ip: z.string().trim().optional().describe('Suspect IP address'),
    }),
    needs: [['rackspace_get_spam_settings', 'rackspace_list_spam_list']],
    steps: (a) => spamSteps(a.mailbox as string, a.sender, a.ip),
    goal: (a) => `Investigate spam for ${a.mailbox}.`,
  },
];

/** A prompt is offered when at least one of its `needs` groups is fully offered. */
export function offeredPrompts(offered: ReadonlySet<string>): PromptDef[] {
  return prompts.filter((p) => p.needs.some((group) => group.every((t) => offered.has(t))));
}

export function promptText(
  p: PromptDef,
  args: Record<string, string | undefined>,
  offered: ReadonlySet<string>,
  instances = '',
): string {
  const where = instances
    ? `\n\n${instances} Pass \`instance\` to every tool of such a backend, and take each step in every instance it concerns.`
    : '';
  return `${p.goal(args)}\n\nWork through these steps with the tools of this server:\n${render(p.steps(args), offered)}${where}\n\n${SAFETY}`;
}

/** `instances` describes backends with several or restricted instances (empty with one of each). */
export function registerPrompts(server: McpServer, offered: ReadonlySet<string>, instances = ''): void {
  for (const p of offeredPrompts(offered)) {
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema: p.args }, (args) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: promptText(p, args as Record<string, string | undefined>, offered, instances),
          },
        },
      ],
    }));
  }
}
