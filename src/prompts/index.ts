import type { McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';
import { isEmail } from '../tools/params.ts';
import { type Completer, withCompletions } from './complete.ts';
import { FORWARDING, offboardSteps } from './offboard.ts';
import { spamSteps } from './spam.ts';
import { modeOf, render, SAFETY, type Step } from './steps.ts';
import { triageSteps } from './triage.ts';

const Email = z.string().trim().refine(isEmail, 'must be an email address');

interface PromptDef {
  name: string;
  title: string;
  description: string;
  /** The arguments the offered steps use. */
  args: (offered: ReadonlySet<string>) => z.ZodObject;
  /** Offered only when every one of these tools is offered. */
  needs: string[][];
  steps: (args: Record<string, string | undefined>) => Step[];
  goal: (args: Record<string, string | undefined>) => string;
  /** The goal when nothing offered can change anything (read-only): the prompt becomes a report. */
  reportGoal: (args: Record<string, string | undefined>) => string;
}

export const prompts: PromptDef[] = [
  {
    name: 'offboard_user',
    title: 'Offboard a person',
    description:
      'Find a leaving person in every configured backend, forward their mail, hand over their tickets, and only then offer deletion.',
    args: (offered) =>
      z.object({
        email: Email.describe('Address of the person leaving'),
        ...(FORWARDING.some((t) => offered.has(t))
          ? { forward_to: Email.optional().describe('Where their mail should go') }
          : {}),
      }),
    needs: [
      ['mailcow_get_mailbox'],
      ['rackspace_get_exchange_mailbox'],
      ['zammad_search_users'],
      ['zimbra_search_contacts'],
    ],
    steps: (a) => offboardSteps(a.email as string, a.forward_to),
    goal: (a) => `Offboard ${a.email}${a.forward_to ? `, forwarding their mail to ${a.forward_to}` : ''}.`,
    reportGoal: (a) => `Report what offboarding ${a.email} would take.`,
  },
  {
    name: 'triage_ticket',
    title: 'Triage a ticket',
    description:
      'Read a Zammad ticket and its articles, identify the customer, and propose state, priority, owner, tags and an internal note.',
    args: () => z.object({ ticket: z.string().trim().min(1).describe('Ticket number users see, or internal id') }),
    needs: [['zammad_get_ticket', 'zammad_list_ticket_articles']],
    steps: (a) => triageSteps(a.ticket as string),
    goal: (a) => `Triage Zammad ticket ${a.ticket}.`,
    reportGoal: (a) => `Write a triage report for Zammad ticket ${a.ticket}.`,
  },
  {
    name: 'investigate_spam',
    title: 'Investigate spam for a mailbox',
    description:
      "Show a Rackspace mailbox's spam settings and lists, and propose block or safe entries and a filter level.",
    args: () =>
      z.object({
        mailbox: Email.describe('Mailbox address'),
        sender: z.string().trim().optional().describe('Suspect sender address or domain'),
        ip: z.string().trim().optional().describe('Suspect IP address'),
      }),
    needs: [['rackspace_get_spam_settings', 'rackspace_list_spam_list']],
    steps: (a) => spamSteps(a.mailbox as string, a.sender, a.ip),
    goal: (a) => `Investigate spam for ${a.mailbox}.`,
    reportGoal: (a) => `Report on spam filtering for ${a.mailbox}.`,
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
  const steps = p.steps(args);
  const mode = modeOf(steps, offered);
  const goal = mode === 'plan' ? p.goal(args) : p.reportGoal(args);
  const where = instances
    ? `\n\n${instances} Pass \`instance\` to every tool of such a backend, and take each step in every instance it concerns.`
    : '';
  return `${goal}\n\nWork through these steps with the tools of this server:\n${render(steps, offered)}${where}\n\n${SAFETY[mode]}`;
}

/** `instances` describes backends with several or restricted instances (empty with one of each). */
/** Each prompt's arguments, made once per offered set (servers over one tool table share their sets). */
const shapes = new WeakMap<ReadonlySet<string>, Map<string, z.ZodObject>>();

function argsOf(p: PromptDef, offered: ReadonlySet<string>): z.ZodObject {
  let per = shapes.get(offered);
  if (!per) {
    per = new Map();
    shapes.set(offered, per);
  }
  let shape = per.get(p.name);
  if (!shape) {
    shape = p.args(offered);
    per.set(p.name, shape);
  }
  return shape;
}

export function registerPrompts(
  server: McpServer,
  offered: ReadonlySet<string>,
  complete?: Record<string, Completer>,
  instances = '',
): void {
  for (const p of offeredPrompts(offered)) {
    const shape = argsOf(p, offered);
    const argsSchema = complete ? withCompletions(shape, complete) : shape;
    server.registerPrompt(p.name, { title: p.title, description: p.description, argsSchema }, (args) => ({
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
