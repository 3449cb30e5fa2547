// `mailops-mcp doctor`: one cheap authenticated read per configured backend, one line each on stdout.
import type { Clients } from '../backends/index.ts';
import type { BackendConfigs } from '../config.ts';
import { BackendError } from '../errors.ts';
import { redact } from '../redact.ts';

export interface Check {
  /** `mailcow`, or `mailcow/prod` once instances exist. */
  name: string;
  /** What was reached, in words. */
  run: (signal: AbortSignal) => Promise<string>;
  /** The variables to look at when it fails. */
  vars: { url: string; auth: string };
}

const s = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** One check per configured client, in a stable order. */
export function checks(clients: Partial<Clients>, cfg: BackendConfigs): Check[] {
  const out: Check[] = [];
  const { mailcow, zammad, zimbra, rackspace } = clients;
  if (mailcow)
    out.push({
      name: 'mailcow',
      vars: { url: 'MAILCOW_URL', auth: 'MAILCOW_API_KEY (and MAILCOW_API_STYLE)' },
      run: async (signal) => {
        const domains = await mailcow.listDomains(signal);
        return `${cfg.mailcow?.style ?? 'rest'} API at ${cfg.mailcow?.url}, ${s(domains.length, 'domain')}`;
      },
    });
  if (rackspace)
    out.push({
      name: 'rackspace',
      vars: { url: 'RACKSPACE_URL', auth: 'RACKSPACE_USER_KEY, RACKSPACE_SECRET_KEY and RACKSPACE_CUSTOMER_ID' },
      run: async (signal) => {
        const page = await rackspace.listDomains({ size: 1 }, signal);
        return `customer ${cfg.rackspace?.customerId} at ${cfg.rackspace?.url}, ${s(page.total ?? page.items.length, 'domain')}`;
      },
    });
  if (zammad)
    out.push({
      name: 'zammad',
      vars: { url: 'ZAMMAD_URL', auth: 'ZAMMAD_TOKEN, ZAMMAD_OAUTH_TOKEN or ZAMMAD_USERNAME + ZAMMAD_PASSWORD' },
      run: async (signal) => {
        const me = await zammad.me({ signal });
        return `${cfg.zammad?.url} as ${String(me.login ?? me.email ?? me.id)}`;
      },
    });
  if (zimbra)
    out.push({
      name: 'zimbra',
      vars: { url: 'ZIMBRA_URL', auth: 'ZIMBRA_USERNAME + ZIMBRA_PASSWORD or ZIMBRA_AUTH_TOKEN' },
      run: async (signal) => {
        const page = await zimbra.searchContacts({ query: '', limit: 1 }, { signal });
        const who =
          cfg.zimbra?.auth.kind === 'password' ? ` as ${cfg.zimbra.auth.username}` : ' with ZIMBRA_AUTH_TOKEN';
        return `${cfg.zimbra?.url}${who}, contacts searchable (${page.items.length ? 'some' : 'none'} found)`;
      },
    });
  return out;
}

/** The error in words, with what to change. */
export function explain(err: unknown, c: Check): string {
  if (!(err instanceof BackendError)) return `${(err as Error).message ?? String(err)}`;
  const { status } = err;
  let fix: string;
  if (/AUTH_FAILED|AUTH_REQUIRED|AUTH_EXPIRED|authenticat|unauthori|invalid token|credentials/i.test(err.message))
    fix = `the credentials were refused: check ${c.vars.auth}`;
  else if (status === 0) fix = `check ${c.vars.url} and that the server is up`;
  else if (status === 401 || status === 403) fix = `the credentials were refused: check ${c.vars.auth}`;
  else if (status === 404) fix = `nothing there: check ${c.vars.url} (the API base) and ${c.vars.auth}`;
  else if (status === 429) fix = 'rate-limited: wait and run doctor again';
  else if (status >= 500) fix = 'the server failed: retry later, or check its logs';
  else fix = err.hint ?? `check ${c.vars.url} and ${c.vars.auth}`;
  return `${err.message} (HTTP ${status || 'no answer'}); fix: ${fix}`;
}

/** Runs every check in parallel; prints one line each in order; true when all passed. */
export async function doctor(list: Check[], out: (line: string) => void, timeoutMs: number): Promise<boolean> {
  const results = await Promise.all(
    list.map(async (c) => {
      try {
        return { ok: true, text: await c.run(AbortSignal.timeout(timeoutMs)) };
      } catch (err) {
        return { ok: false, text: explain(err, c) };
      }
    }),
  );
  list.forEach((c, i) => {
    const r = results[i] as { ok: boolean; text: string };
    out(redact(`${r.ok ? 'ok' : 'FAILED'} ${c.name}: ${r.text}`));
  });
  return results.every((r) => r.ok);
}
