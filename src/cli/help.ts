// The text of --help: every flag the CLI accepts and every variable of the configuration contract.

export const FLAGS: Array<[string, string]> = [
  ['--http', 'serve Streamable HTTP at http://HOST:PORT/mcp instead of stdio'],
  ['--host HOST', 'HTTP address (with --http; MAILOPS_HTTP_HOST, default 127.0.0.1)'],
  ['--port PORT', 'HTTP port (with --http; MAILOPS_HTTP_PORT, default 3000)'],
  ['--sandbox', 'point every backend at built-in local emulators with sample data'],
  ['--read-only', 'offer only read-only tools (MAILOPS_READ_ONLY=true)'],
  ['--config PATH', 'instances file, JSON or YAML (MAILOPS_CONFIG)'],
  ['--toolsets a,b', 'backends to offer: mailcow, rackspace, zammad, zimbra (MAILOPS_TOOLSETS)'],
  ['--tools x,y', 'allow-list of tool names (MAILOPS_TOOLS)'],
  ['--exclude-tools z', 'deny-list of tool names, wins over --tools (MAILOPS_EXCLUDE_TOOLS)'],
  ['-h, --help', 'print this help'],
  ['-v, --version', 'print the version'],
];

export const VARIABLES: Array<[string, string]> = [
  ['MAILCOW_URL, MAILCOW_API_KEY', 'mailcow API base URL and key'],
  ['MAILCOW_API_STYLE', 'rest (default) or native (mailcow-dockerized)'],
  ['ZAMMAD_URL', 'Zammad base URL, with one auth method:'],
  ['  ZAMMAD_TOKEN | ZAMMAD_OAUTH_TOKEN | ZAMMAD_USERNAME + ZAMMAD_PASSWORD', ''],
  ['ZIMBRA_URL', 'Zimbra server, with ZIMBRA_USERNAME + ZIMBRA_PASSWORD or ZIMBRA_AUTH_TOKEN'],
  ['RACKSPACE_USER_KEY, RACKSPACE_SECRET_KEY, RACKSPACE_CUSTOMER_ID', ''],
  ['RACKSPACE_URL', 'Rackspace Email API (default https://api.emailsrvr.com/v1)'],
  ['MAILOPS_READ_ONLY, MAILOPS_TOOLSETS, MAILOPS_TOOLS, MAILOPS_EXCLUDE_TOOLS', 'tool selection (flags above)'],
  ['MAILOPS_TIMEOUT_MS', 'per-request timeout (30000)'],
  ['MAILOPS_MAX_RETRY_WAIT_MS', 'longest total wait retrying rate-limited requests (10000)'],
  ['MAILOPS_HTTP_HOST, MAILOPS_HTTP_PORT', 'HTTP address (127.0.0.1, 3000)'],
  ['MAILOPS_HTTP_TOKEN', 'bearer token HTTP clients must send; required off loopback'],
  ['MAILOPS_ALLOWED_ORIGINS', 'extra browser origins allowed (comma list)'],
  ['MAILOPS_HTTP_MAX_BODY_BYTES, MAILOPS_HTTP_SESSION_IDLE_MS, MAILOPS_HTTP_MAX_SESSIONS', 'HTTP limits'],
  ['MAILOPS_LOG_LEVEL', 'debug, info (default), warn, error or silent; logs go to stderr'],
  ['MAILOPS_CONFIRM', 'token (default) or flag: how destructive calls are confirmed'],
  ['MAILOPS_CONFIRM_TTL_S, MAILOPS_ELICITATION_TIMEOUT_MS', 'confirmation token lifetime, elicitation wait'],
  ['MAILOPS_STATE_KEY', 'key (32+ bytes) that signs confirmation tokens; share it between replicas'],
  ['MAILOPS_AUDIT_LOG', 'audit log path, off, or - for stderr'],
  ['MAILOPS_CONFIG', 'instances file (--config)'],
  ['MAILOPS_OAUTH_ISSUER, MAILOPS_PUBLIC_URL, MAILOPS_OAUTH_AUDIENCE', 'OAuth resource-server mode for HTTP'],
];

const rows = (list: Array<[string, string]>) =>
  list
    .map(([k, v]) => (!v ? `  ${k}` : k.length > 20 ? `  ${k}\n  ${''.padEnd(20)} ${v}` : `  ${k.padEnd(20)} ${v}`))
    .join('\n');

export const USAGE = `mailops-mcp: an MCP server for Zammad, Zimbra, Rackspace Email and mailcow.

Usage:
  mailops-mcp [flags]          serve MCP over stdio (or HTTP with --http)
  mailops-mcp doctor [flags]   check each configured backend with one authenticated read

Flags:
${rows(FLAGS)}

Environment (a backend is offered when its variables are set):
${rows(VARIABLES)}

Docs: https://github.com/mailops-mcp/mailops-mcp#readme`;
