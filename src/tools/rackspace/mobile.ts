import * as z from 'zod';
import type { MobileService } from '../../backends/rackspace/types.ts';
import { CREATE, DELETE, ListOut, q, READ, RecordOut, tool } from '../define.ts';
import { Domain } from '../params.ts';
import { box, Paging, Secret } from './params.ts';

/** List / add / remove for one mobile service; BlackBerry alone needs an activation password. */
function serviceTools(s: MobileService, label: string) {
  return [
    tool({
      name: `rackspace_list_${s}_mailboxes`,
      title: `List ${label} mailboxes`,
      description: `List mailboxes with ${label}.`,
      toolset: 'rackspace',
      input: z.strictObject({ domain: Domain, ...Paging }),
      output: ListOut,
      hints: READ,
      run: ({ domain, ...page }, c, { signal }) => c.listService(domain, s, page, signal),
    }),
    s === 'blackberry'
      ? tool({
          name: 'rackspace_add_blackberry_service',
          title: 'Add BlackBerry service',
          description: 'Attach BlackBerry to a mailbox.',
          toolset: 'rackspace',
          input: z.strictObject({
            ...box,
            activationPassword: Secret.describe('Password the user enters on the device to activate it'),
          }),
          output: RecordOut,
          hints: CREATE,
          run: ({ domain, mailbox, activationPassword }, c, { signal }) =>
            c.addService(domain, mailbox, s, activationPassword, signal),
        })
      : tool({
          name: 'rackspace_add_activesync_service',
          title: 'Add ActiveSync service',
          description: 'Attach ActiveSync to a mailbox.',
          toolset: 'rackspace',
          input: z.strictObject(box),
          output: RecordOut,
          hints: CREATE,
          run: ({ domain, mailbox }, c, { signal }) => c.addService(domain, mailbox, s, undefined, signal),
        }),
    tool({
      name: `rackspace_remove_${s}_service`,
      title: `Remove ${label} service`,
      description: `Detach ${label} from a mailbox.`,
      toolset: 'rackspace',
      input: z.strictObject(box),
      output: RecordOut,
      hints: DELETE,
      confirm: ({ domain, mailbox }, c) =>
        `detach ${label} service from ${q(`${mailbox}@${domain}`)}; its devices stop syncing (${c.preview(c.req.removeService(domain, mailbox, s))})`,
      run: ({ domain, mailbox }, c, { signal }) => c.removeService(domain, mailbox, s, signal),
    }),
  ];
}

export const mobileTools = [...serviceTools('blackberry', 'BlackBerry'), ...serviceTools('activesync', 'ActiveSync')];
