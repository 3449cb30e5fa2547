import type { CallToolResult } from '@modelcontextprotocol/server';
import { safeText } from '../errors.ts';
import { scrubbed, shapedOut } from '../output.ts';
import { runWithCallSecrets, secretArgs } from '../redact.ts';
import { fence } from './fence.ts';

export function text(data: unknown): string {
  return JSON.stringify(data);
}

/** The last step of every text that leaves as a result: redacted, unsafe characters removed. */
export function outboundText(s: string): string {
  return safeText(s);
}

/** Structured data as it may leave: every string redacted and cleaned, credential-named keys dropped. */
export function outboundData<T>(data: T): T {
  return scrubbed(data) as T;
}

/** `backend`: the data came from there and is fenced as untrusted in the text block. */
export function okResult(data: unknown, full = false, backend?: string): CallToolResult {
  const shaped = shapedOut(data, full);
  const structured =
    shaped && typeof shaped === 'object' && !Array.isArray(shaped)
      ? (shaped as Record<string, unknown>)
      : Array.isArray(shaped)
        ? { items: shaped }
        : { result: shaped ?? 'done' };
  const json = outboundText(text(structured));
  return { content: [{ type: 'text', text: backend ? fence(backend, json) : json }], structuredContent: structured };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: outboundText(message) }] };
}

export function notChanged(reason: string, what: string): CallToolResult {
  const data = outboundData({ changed: false, reason, would_have: what });
  return {
    content: [{ type: 'text', text: outboundText(`Nothing was changed (${data.reason}). ${text(data)}`) }],
    structuredContent: data,
  };
}

/** Runs one tool call: its secret arguments are redacted from everything it emits while it runs. */
export function guarded<R>(args: unknown, run: () => Promise<R>): Promise<R> {
  return runWithCallSecrets(secretArgs(args), run);
}
