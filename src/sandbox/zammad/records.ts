// Zammad's records as the current API (6.x/7.x) shows them: the column order of the recorded traffic,
// and the defaults a fresh record gets.

export type Row = Record<string, unknown>;

export const now = () => new Date().toISOString();

/** Fills a record's columns in Zammad's order; unknown keys in `given` are ignored. */
function columns(template: Row, given: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(template)) out[k] = k in given ? given[k] : v;
  return out;
}

const stamps = () => ({ updated_by_id: 1, created_by_id: 1, created_at: now(), updated_at: now() });

export const ticketRow = (g: Row) =>
  columns(
    {
      id: 0,
      group_id: null,
      priority_id: 2,
      state_id: 1,
      organization_id: null,
      number: '',
      title: '',
      owner_id: 1,
      customer_id: null,
      note: null,
      first_response_at: null,
      first_response_escalation_at: null,
      first_response_in_min: null,
      first_response_diff_in_min: null,
      close_at: null,
      close_escalation_at: null,
      close_in_min: null,
      close_diff_in_min: null,
      update_escalation_at: null,
      update_in_min: null,
      update_diff_in_min: null,
      last_close_at: null,
      last_contact_at: null,
      last_contact_agent_at: null,
      last_contact_customer_at: null,
      last_owner_update_at: null,
      create_article_type_id: null,
      create_article_sender_id: null,
      article_count: 0,
      escalation_at: null,
      pending_time: null,
      type: null,
      time_unit: null,
      preferences: {},
      ...stamps(),
    },
    g,
  );

export const userRow = (g: Row) =>
  columns(
    {
      id: 0,
      organization_id: null,
      login: '',
      firstname: '',
      lastname: '',
      email: '',
      image: null,
      image_source: null,
      web: '',
      phone: '',
      fax: '',
      mobile: '',
      department: null,
      street: '',
      zip: '',
      city: '',
      country: '',
      address: null,
      vip: false,
      verified: false,
      active: true,
      note: '',
      last_login: null,
      source: null,
      login_failed: 0,
      out_of_office: false,
      out_of_office_start_at: null,
      out_of_office_end_at: null,
      out_of_office_replacement_id: null,
      preferences: { locale: 'en-us' },
      ...stamps(),
    },
    g,
  );

export const organizationRow = (g: Row) =>
  columns(
    {
      id: 0,
      name: '',
      shared: true,
      domain: '',
      domain_assignment: false,
      active: true,
      vip: false,
      note: '',
      ...stamps(),
    },
    g,
  );

export const groupRow = (g: Row) =>
  columns(
    {
      id: 0,
      signature_id: null,
      email_address_id: null,
      name: '',
      name_last: '',
      parent_id: null,
      assignment_timeout: null,
      follow_up_possible: 'yes',
      reopen_time_in_days: null,
      follow_up_assignment: true,
      active: true,
      shared_drafts: true,
      note: null,
      ...stamps(),
    },
    g,
  );

export const articleRow = (g: Row) =>
  columns(
    {
      id: 0,
      ticket_id: 0,
      type_id: 10,
      sender_id: 1,
      from: null,
      to: null,
      cc: null,
      subject: null,
      reply_to: null,
      message_id: null,
      message_id_md5: null,
      in_reply_to: null,
      content_type: 'text/plain',
      references: null,
      body: '',
      internal: false,
      preferences: {},
      ...stamps(),
      origin_by_id: null,
    },
    g,
  );

export const stateRow = (g: Row) =>
  columns(
    {
      id: 0,
      state_type_id: 1,
      name: '',
      next_state_id: null,
      ignore_escalation: false,
      default_create: false,
      default_follow_up: false,
      note: null,
      active: true,
      ...stamps(),
    },
    g,
  );

export const priorityRow = (g: Row) =>
  columns(
    { id: 0, name: '', default_create: false, ui_icon: null, ui_color: null, note: null, active: true, ...stamps() },
    g,
  );
