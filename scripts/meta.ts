// server.json (MCP Registry) and manifest.json (MCPB desktop extension), built from package.json and the tool
// definitions. `npm run docs` writes them; test/package.test.ts fails when they drift.
import { readFileSync } from 'node:fs';
import { allTools } from '../src/tools/index.ts';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  name: string;
  version: string;
  mcpName: string;
  keywords: string[];
  license: string;
  homepage: string;
};
export const REPO = 'https://github.com/mailops-mcp/mailops-mcp';
export const SHORT = 'Administer Zammad, Zimbra, Rackspace Email and mailcow from AI assistants, with safety rails.';

interface Var {
  name: string;
  description: string;
  secret?: boolean;
  default?: string;
  /** A backend variable: asked for by the desktop extension. */
  backend?: boolean;
  format?: 'boolean' | 'number';
  choices?: string[];
}

/** Every variable of the configuration contract (catalog section 3). */
export const VARS: Var[] = [
  {
    name: 'MAILCOW_URL',
    description: 'mailcow / Email Management API base URL, e.g. https://mail.example.com',
    backend: true,
  },
  { name: 'MAILCOW_API_KEY', description: 'mailcow API key', secret: true, backend: true },
  {
    name: 'MAILCOW_API_STYLE',
    description: 'rest (default) or native (mailcow-dockerized)',
    backend: true,
    default: 'rest',
    choices: ['rest', 'native'],
  },
  { name: 'ZAMMAD_URL', description: 'Zammad base URL, e.g. https://helpdesk.example.com', backend: true },
  { name: 'ZAMMAD_TOKEN', description: 'Zammad access token (one auth method only)', secret: true, backend: true },
  {
    name: 'ZAMMAD_OAUTH_TOKEN',
    description: 'Zammad OAuth bearer token (one auth method only)',
    secret: true,
    backend: true,
  },
  { name: 'ZAMMAD_USERNAME', description: 'Zammad login, with ZAMMAD_PASSWORD (one auth method only)', backend: true },
  { name: 'ZAMMAD_PASSWORD', description: 'Zammad password', secret: true, backend: true },
  { name: 'ZIMBRA_URL', description: 'Zimbra server base URL (SOAP at /service/soap)', backend: true },
  { name: 'ZIMBRA_USERNAME', description: 'Zimbra account, with ZIMBRA_PASSWORD', backend: true },
  { name: 'ZIMBRA_PASSWORD', description: 'Zimbra password', secret: true, backend: true },
  { name: 'ZIMBRA_AUTH_TOKEN', description: 'Zimbra auth token (instead of a login)', secret: true, backend: true },
  {
    name: 'RACKSPACE_URL',
    description: 'Rackspace Email API base including the version',
    backend: true,
    default: 'https://api.emailsrvr.com/v1',
  },
  { name: 'RACKSPACE_USER_KEY', description: 'Rackspace API user key', secret: true, backend: true },
  { name: 'RACKSPACE_SECRET_KEY', description: 'Rackspace API secret key', secret: true, backend: true },
  { name: 'RACKSPACE_CUSTOMER_ID', description: 'Rackspace customer account number', backend: true },
  { name: 'MAILOPS_READ_ONLY', description: 'true: offer only read-only tools', format: 'boolean', default: 'false' },
  { name: 'MAILOPS_TOOLSETS', description: 'Comma list of backends to offer (mailcow, rackspace, zammad, zimbra)' },
  { name: 'MAILOPS_TOOLS', description: 'Allow-list of tool names (comma list)' },
  { name: 'MAILOPS_EXCLUDE_TOOLS', description: 'Deny-list of tool names (comma list)' },
  { name: 'MAILOPS_TIMEOUT_MS', description: 'Per-request timeout in ms', format: 'number', default: '30000' },
  {
    name: 'MAILOPS_MAX_RETRY_WAIT_MS',
    description: 'Longest total wait retrying rate-limited requests, ms',
    format: 'number',
    default: '10000',
  },
  { name: 'MAILOPS_HTTP_HOST', description: 'HTTP address (with --http)', default: '127.0.0.1' },
  { name: 'MAILOPS_HTTP_PORT', description: 'HTTP port (with --http)', format: 'number', default: '3000' },
  { name: 'MAILOPS_HTTP_TOKEN', description: 'Bearer token HTTP clients must send', secret: true },
  { name: 'MAILOPS_ALLOWED_ORIGINS', description: 'Extra browser origins allowed (comma list)' },
  {
    name: 'MAILOPS_LOG_LEVEL',
    description: 'Log level (logs go to stderr)',
    default: 'info',
    choices: ['debug', 'info', 'warn', 'error', 'silent'],
  },
  {
    name: 'MAILOPS_CONFIRM',
    description: 'How destructive calls are confirmed',
    default: 'token',
    choices: ['token', 'flag'],
  },
  {
    name: 'MAILOPS_CONFIRM_TTL_S',
    description: 'Confirmation token lifetime in seconds',
    format: 'number',
    default: '600',
  },
  {
    name: 'MAILOPS_ELICITATION_TIMEOUT_MS',
    description: 'How long to wait for the user to confirm, ms',
    format: 'number',
    default: '300000',
  },
  { name: 'MAILOPS_STATE_KEY', description: 'Key (32+ bytes) that signs confirmation tokens', secret: true },
  { name: 'MAILOPS_AUDIT_LOG', description: 'Audit log path, off, or - for stderr' },
  { name: 'MAILOPS_CONFIG', description: 'Instances file (JSON or YAML)', format: undefined },
  { name: 'MAILOPS_OAUTH_ISSUER', description: 'OAuth issuer (HTTP resource-server mode)' },
  { name: 'MAILOPS_PUBLIC_URL', description: 'Public base URL of the HTTP server (OAuth mode)' },
  { name: 'MAILOPS_OAUTH_AUDIENCE', description: 'Expected token audience (OAuth mode)' },
];

export function serverJson(): Record<string, unknown> {
  return {
    $schema: 'https://static.modelcontextprotocol.io/schemas/2025-12-11/server.schema.json',
    name: pkg.mcpName,
    title: 'mailops-mcp',
    description: SHORT,
    repository: { url: REPO, source: 'github' },
    websiteUrl: pkg.homepage,
    version: pkg.version,
    packages: [
      {
        registryType: 'npm',
        registryBaseUrl: 'https://registry.npmjs.org',
        identifier: pkg.name,
        version: pkg.version,
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        environmentVariables: VARS.map((v) => ({
          name: v.name,
          description: v.description,
          isRequired: false,
          ...(v.secret ? { isSecret: true } : {}),
          ...(v.format ? { format: v.format } : {}),
          ...(v.default ? { default: v.default } : {}),
          ...(v.choices ? { choices: v.choices } : {}),
        })),
      },
    ],
  };
}

const key = (name: string) => name.toLowerCase();
const firstSentence = (s: string) => /^[\s\S]*?[.!?](?=\s|$)/.exec(s)?.[0] ?? s;

export function manifestJson(): Record<string, unknown> {
  const asked = VARS.filter((v) => v.backend || v.name === 'MAILOPS_READ_ONLY');
  return {
    $schema: 'https://raw.githubusercontent.com/modelcontextprotocol/mcpb/main/schemas/mcpb-manifest-v0.3.schema.json',
    manifest_version: '0.3',
    name: pkg.name,
    display_name: 'mailops-mcp',
    version: pkg.version,
    description: SHORT,
    long_description:
      'Every documented operation of the Zammad helpdesk, Zimbra contacts, Rackspace Email Exchange mailboxes and mailcow is one schema-validated tool. Destructive tools need confirmation; credentials never leave the process. Fill in the settings of the backends you use and leave the others empty.',
    author: { name: 'mailops-mcp contributors', url: REPO },
    repository: { type: 'git', url: REPO },
    homepage: pkg.homepage,
    documentation: pkg.homepage,
    support: `${REPO}/issues`,
    license: pkg.license,
    keywords: pkg.keywords,
    server: {
      type: 'node',
      entry_point: 'dist/mailops-mcp.js',
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/dist/mailops-mcp.js`],
        env: Object.fromEntries(asked.map((v) => [v.name, `\${user_config.${key(v.name)}}`])),
      },
    },
    tools: allTools.map((t) => ({ name: t.name, description: firstSentence(t.description) })),
    tools_generated: false,
    compatibility: { platforms: ['darwin', 'win32', 'linux'], runtimes: { node: '>=20.0.0' } },
    // Optional values default to "": an unset one would otherwise reach the server as the literal ${user_config.…}.
    user_config: Object.fromEntries(
      asked.map((v) => [
        key(v.name),
        {
          type: v.format === 'boolean' ? 'boolean' : 'string',
          title: v.name,
          description: v.description,
          required: false,
          ...(v.secret ? { sensitive: true } : {}),
          default: v.format === 'boolean' ? v.default === 'true' : (v.default ?? ''),
        },
      ]),
    ),
  };
}
