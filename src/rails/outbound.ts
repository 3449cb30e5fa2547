import type { CallToolResult } from '@modelcontextprotocol/server';
import { compact, withoutSecrets } from '../output.ts';
import { redact } from '../redact.ts';
import { fence } from './fence.ts';

export function text(data: unknown): string {
  return JSON.stringify(data);
}

/** `backend`: the data came from there and is fenced as untrusted in the text block. */
export function okResult(data: unknown, full = false, backend?: string): CallToolResult {
  const shaped = full ? withoutSecrets(data) : compact(data);
  const structured =
    shaped && typeof shaped === 'object' && !Array.isArray(shaped)
      ? (shaped as Record<string, unknown>)
      : Array.isArray(shaped)
        ? { items: shaped }
        : { result: shaped ?? 'done' };
  const json = redact(text(structured));
  return { content: [{ type: 'text', text: backend ? fence(backend, json) : json }], structuredContent: structured };
}

export function errorResult(message: string): CallToolResult {
  return { isError: true, content: [{ type: 'text', text: redact(message) }] };
}

export function notChanged(reason: string, what: string): CallToolResult {
  const data = { changed: false, reason, would_have: what };
  return {
    content: [{ type: 'text', text: redact(`Nothing was changed (${reason}). ${text(data)}`) }],
    structuredContent: data,
  };
}
