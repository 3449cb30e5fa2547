// The sandbox's data: Zammad's defaults (states 1-7, priorities 1-3, the system user "-", customer Nicole Braun,
// "Welcome to Zammad!") and the seed document's Chrispresso records, ticket "Order 787556" and user chris@chrispresso.com
// with the ids, `*_ids` and names the seed shows. Where the seed and Zammad's defaults collide (the seed's group 1 is
// "Sales"), the seed wins and the default group "Users" gets id 4.

import type { Row } from './records.ts';

export const SYSTEM_ID = '71';

export const ROLES = [
  { id: 1, name: 'Admin', permissions: ['admin', 'admin.user', 'admin.group', 'admin.organization', 'ticket.agent'] },
  { id: 2, name: 'Agent', permissions: ['ticket.agent'] },
  { id: 3, name: 'Customer', permissions: ['ticket.customer'] },
];

export const ARTICLE_TYPES = [
  'email',
  'sms',
  'chat',
  'fax',
  'phone',
  'twitter status',
  'twitter direct-message',
  'facebook feed post',
  'facebook feed comment',
  'note',
  'web',
  'telegram personal-message',
].map((name, i) => ({ id: i + 1, name }));

export const SENDERS = ['Agent', 'Customer', 'System'].map((name, i) => ({ id: i + 1, name }));
export const SIGNATURES = [{ id: 1, name: 'default' }];

/** State types: pending ones are 3 and 4. */
export const STATE_TYPES = ['new', 'open', 'pending reminder', 'pending action', 'closed', 'merged', 'removed'].map(
  (name, i) => ({ id: i + 1, name }),
);

export const STATES: Row[] = [
  { id: 1, state_type_id: 1, name: 'new', default_create: true },
  { id: 2, state_type_id: 2, name: 'open', default_follow_up: true },
  { id: 3, state_type_id: 3, name: 'pending reminder', ignore_escalation: true },
  { id: 4, state_type_id: 5, name: 'closed', ignore_escalation: true },
  { id: 5, state_type_id: 6, name: 'merged', ignore_escalation: true },
  { id: 6, state_type_id: 7, name: 'removed', ignore_escalation: true, active: false },
  { id: 7, state_type_id: 4, name: 'pending close', next_state_id: 4, ignore_escalation: true },
];

export const PRIORITIES: Row[] = [
  { id: 1, name: '1 low', ui_icon: 'low-priority', ui_color: 'low-priority' },
  { id: 2, name: '2 normal', default_create: true },
  { id: 3, name: '3 high', ui_icon: 'important', ui_color: 'high-priority' },
];

export const ORGANIZATIONS: Row[] = [
  { id: 1, name: 'Zammad Foundation' },
  { id: 2, name: 'Chrispresso Inc.', domain: 'chrispresso.com', domain_assignment: true },
  { id: 3, name: 'Awesome Customer Inc.', domain: 'example.com' },
];

export const GROUPS: Row[] = [
  { id: 1, name: 'Sales', name_last: 'Sales' },
  { id: 2, name: '2nd Level', name_last: '2nd Level' },
  { id: 3, name: 'Service/Desk', name_last: 'Service/Desk' },
  { id: 4, name: 'Users', name_last: 'Users', signature_id: 1, note: 'Standard Group/Pool for Tickets.' },
];

const criteria = (nobody: boolean, subscribed: boolean) => ({
  criteria: { owned_by_me: true, owned_by_nobody: nobody, ...(subscribed ? { subscribed: true } : {}), no: true },
  channel: { email: true, online: true },
});

/** Users with their role ids and group access (`group_ids` as Zammad shows it). */
export const USERS: Array<{ row: Row; role_ids: number[]; group_ids: Record<string, string[]> }> = [
  {
    row: { id: 1, login: '-', firstname: '-', email: '', active: false, department: '', address: '', preferences: {} },
    role_ids: [],
    group_ids: {},
  },
  {
    row: {
      id: 2,
      organization_id: 1,
      login: 'nicole.braun@zammad.org',
      firstname: 'Nicole',
      lastname: 'Braun',
      email: 'nicole.braun@zammad.org',
      department: '',
      address: '',
      preferences: { tickets_closed: 0, tickets_open: 1 },
      updated_by_id: 2,
    },
    role_ids: [3],
    group_ids: {},
  },
  {
    // The seed's example user, field for field.
    row: {
      id: 3,
      organization_id: 2,
      login: 'chris@chrispresso.com',
      firstname: 'Christopher',
      lastname: 'Miller',
      email: 'chris@chrispresso.com',
      image: '7a6a0d1d94ad2037153cf3a6c1b49a53',
      department: '',
      address: '',
      last_login: '2021-09-23T13:17:24.817Z',
      preferences: {
        notification_config: {
          matrix: {
            create: criteria(true, true),
            update: criteria(true, true),
            reminder_reached: criteria(false, false),
            escalation: criteria(false, false),
          },
          group_ids: ['2', '1', '3'],
        },
        locale: 'de-de',
        intro: true,
        notification_sound: { file: 'Xylo.mp3', enabled: true },
        cti: true,
        tickets_closed: 0,
        tickets_open: 1,
      },
      created_at: '2021-07-26T14:44:41.066Z',
      updated_at: '2021-09-23T13:17:24.825Z',
    },
    role_ids: [1, 2],
    group_ids: { '1': ['full'], '2': ['full'], '3': ['full'] },
  },
  {
    row: {
      id: 4,
      organization_id: 2,
      login: 'jacob@chrispresso.com',
      firstname: 'Jacob',
      lastname: 'Smith',
      email: 'jacob@chrispresso.com',
    },
    role_ids: [2],
    group_ids: { '1': ['full'], '2': ['full'], '3': ['full'] },
  },
  {
    // The API user of the sandbox credentials (the Zammad API clients' test suites expect admin@example.com).
    row: { id: 5, login: 'admin@example.com', firstname: 'Admin', lastname: 'Example', email: 'admin@example.com' },
    role_ids: [1, 2],
    group_ids: { '1': ['full'], '2': ['full'], '3': ['full'], '4': ['full'] },
  },
  {
    // An agent about to leave (the offboarding prompt's example person): owns open and pending tickets and is
    // the customer of an internal request.
    row: {
      id: 6,
      organization_id: 3,
      login: 'alex.smith@example.com',
      firstname: 'Alex',
      lastname: 'Smith',
      email: 'alex.smith@example.com',
    },
    role_ids: [2],
    group_ids: { '1': ['full'], '2': ['full'], '3': ['full'] },
  },
  {
    row: {
      id: 7,
      organization_id: 3,
      login: 'samuel@example.com',
      firstname: 'Samuel',
      lastname: 'Lee',
      email: 'samuel@example.com',
    },
    role_ids: [3],
    group_ids: {},
  },
];

export const TICKETS: Row[] = [
  {
    id: 1,
    group_id: 4,
    priority_id: 2,
    state_id: 1,
    organization_id: 1,
    number: `${SYSTEM_ID}001`,
    title: 'Welcome to Zammad!',
    owner_id: 1,
    customer_id: 2,
    create_article_type_id: 5,
    create_article_sender_id: 2,
    updated_by_id: 2,
    created_by_id: 2,
  },
  {
    id: 2,
    group_id: 3,
    priority_id: 3,
    state_id: 2,
    organization_id: 3,
    number: `${SYSTEM_ID}002`,
    title: 'Grinder makes a loud noise',
    owner_id: 4,
    customer_id: 7,
    create_article_type_id: 1,
    create_article_sender_id: 2,
    updated_by_id: 7,
    created_by_id: 7,
  },
  {
    // The seed's example ticket.
    id: 3,
    group_id: 1,
    priority_id: 2,
    state_id: 4,
    organization_id: 3,
    number: `${SYSTEM_ID}003`,
    title: 'Order 787556',
    owner_id: 3,
    customer_id: 7,
    last_contact_at: '2021-02-26T12:44:43.888Z',
    last_contact_agent_at: '2021-02-26T12:44:43.888Z',
    last_contact_customer_at: '2021-02-24T14:44:43.828Z',
    create_article_type_id: 1,
    create_article_sender_id: 2,
    updated_by_id: 4,
    created_by_id: 7,
    created_at: '2021-02-24T14:44:43.828Z',
    updated_at: '2021-07-26T14:44:43.906Z',
  },
  {
    id: 4,
    group_id: 3,
    priority_id: 3,
    state_id: 2,
    organization_id: 3,
    number: `${SYSTEM_ID}004`,
    title: 'Espresso machine leaks water',
    owner_id: 6,
    customer_id: 7,
    create_article_type_id: 5,
    create_article_sender_id: 2,
    updated_by_id: 6,
    created_by_id: 6,
  },
  {
    id: 5,
    group_id: 2,
    priority_id: 2,
    state_id: 3,
    organization_id: 1,
    number: `${SYSTEM_ID}005`,
    title: 'Invoice address change',
    owner_id: 6,
    customer_id: 2,
    pending_time: '2030-01-31T09:00:00.000Z',
    create_article_type_id: 1,
    create_article_sender_id: 2,
    updated_by_id: 6,
    created_by_id: 2,
  },
  {
    id: 6,
    group_id: 1,
    priority_id: 2,
    state_id: 4,
    organization_id: 3,
    number: `${SYSTEM_ID}006`,
    title: 'Old quote for beans',
    owner_id: 6,
    customer_id: 7,
    create_article_type_id: 1,
    create_article_sender_id: 2,
    updated_by_id: 6,
    created_by_id: 7,
  },
  {
    id: 7,
    group_id: 2,
    priority_id: 2,
    state_id: 1,
    organization_id: 3,
    number: `${SYSTEM_ID}007`,
    title: 'New laptop for Alex',
    owner_id: 4,
    customer_id: 6,
    create_article_type_id: 11,
    create_article_sender_id: 2,
    updated_by_id: 6,
    created_by_id: 6,
  },
];

export const ARTICLES: Row[] = [
  {
    id: 1,
    ticket_id: 1,
    type_id: 5,
    sender_id: 2,
    from: 'Zammad <zammad@localhost>',
    to: 'Nicole Braun <nicole.braun@zammad.org>',
    subject: 'Welcome to Zammad!',
    body: 'Welcome!\n\nThank you for choosing Zammad.\n\nYou will find updates and patches at https://zammad.org/.',
    created_by_id: 2,
    updated_by_id: 2,
  },
  {
    id: 4,
    ticket_id: 2,
    type_id: 1,
    sender_id: 2,
    from: 'Samuel Lee <samuel@example.com>',
    to: 'Service/Desk <service@chrispresso.com>',
    subject: 'Grinder makes a loud noise',
    body: 'Hello,\n\nsince yesterday our grinder makes a loud noise when it starts. Can someone have a look?\n\nSamuel',
    created_by_id: 7,
    updated_by_id: 7,
  },
  {
    id: 5,
    ticket_id: 3,
    type_id: 1,
    sender_id: 2,
    from: 'Samuel Lee <samuel@example.com>',
    to: 'Sales <sales@chrispresso.com>',
    subject: 'Order 787556',
    body: 'Hi,\n\nmy order 787556 has not arrived yet. Could you check where it is?\n\nThanks, Samuel',
    created_by_id: 7,
    updated_by_id: 7,
    created_at: '2021-02-24T14:44:43.828Z',
    updated_at: '2021-02-24T14:44:43.828Z',
  },
  {
    id: 6,
    ticket_id: 3,
    type_id: 1,
    sender_id: 1,
    from: 'Christopher Miller <sales@chrispresso.com>',
    to: 'Samuel Lee <samuel@example.com>',
    subject: 'RE: Order 787556',
    body: 'Hi Samuel,\n\nyour order left our warehouse today and should reach you within two days.\n\nChris',
    created_by_id: 3,
    updated_by_id: 3,
    created_at: '2021-02-26T12:44:43.888Z',
    updated_at: '2021-02-26T12:44:43.888Z',
  },
  {
    id: 7,
    ticket_id: 4,
    type_id: 5,
    sender_id: 2,
    from: 'Samuel Lee <samuel@example.com>',
    subject: 'Espresso machine leaks water',
    body: 'Samuel called: the espresso machine leaks water under the boiler since this morning.',
    created_by_id: 6,
    updated_by_id: 6,
  },
  {
    id: 8,
    ticket_id: 5,
    type_id: 1,
    sender_id: 2,
    from: 'Nicole Braun <nicole.braun@zammad.org>',
    to: 'Billing <billing@chrispresso.com>',
    subject: 'Invoice address change',
    body: 'Please send future invoices to our new address from February on.',
    created_by_id: 2,
    updated_by_id: 2,
  },
  {
    id: 9,
    ticket_id: 6,
    type_id: 1,
    sender_id: 2,
    from: 'Samuel Lee <samuel@example.com>',
    subject: 'Old quote for beans',
    body: 'Could you send the quote for 20 kg of beans again?',
    created_by_id: 7,
    updated_by_id: 7,
  },
  {
    id: 10,
    ticket_id: 7,
    type_id: 11,
    sender_id: 2,
    from: 'Alex Smith <alex.smith@example.com>',
    subject: 'New laptop for Alex',
    body: 'My laptop is five years old; could IT order a new one?',
    created_by_id: 6,
    updated_by_id: 6,
  },
];
