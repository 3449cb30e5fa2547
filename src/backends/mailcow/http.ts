import type { MailcowConfig } from '../../config.ts';
import { HttpClient, impliedWait, type Res } from '../http.ts';

/**
 * The transport both mailcow styles share; they differ only in how the key is sent and how an error
 * body reads. A 429 (the seed's limit, or a proxy in front of native mailcow) waits as its headers say.
 */
export function mailcowHttp(
  cfg: MailcowConfig,
  opts: { timeoutMs: number; maxRetryWaitMs: number },
  auth: Record<string, string>,
  message: (res: Res) => string,
): HttpClient {
  return new HttpClient({
    backend: 'mailcow',
    baseUrl: cfg.url,
    timeoutMs: opts.timeoutMs,
    maxRetryWaitMs: opts.maxRetryWaitMs,
    headers: () => ({ ...auth, accept: 'application/json' }),
    throttled: (res) => (res.status === 429 ? (impliedWait(res.headers) ?? 1000) : undefined),
    message,
  });
}
