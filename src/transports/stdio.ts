import type { Readable, Writable } from 'node:stream';
import { type JSONRPCMessage, parseJSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import { log } from '../log.ts';
import { buildServer, type ServerDeps } from '../server.ts';
import { MAX_DEPTH, tooDeep } from './depth.ts';

/** The longest line (one JSON-RPC message) read from stdin; a longer one is answered with an error and skipped. */
export const MAX_LINE_BYTES = 10 * 1024 * 1024;
/** Output queued for a client that does not read: over this, stdin is paused until stdout drains. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** How much of an oversized line is kept to find its id. */
const HEAD_BYTES = 64 * 1024;
const LINES_PER_TURN = 16;
/** Input read but not yet taken (lines waiting for their turn) above which stdin is paused. */
const QUEUE_BYTES = 1024 * 1024;

type Id = string | number | null;
interface Verdict {
  id: Id;
  code: number;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The id to answer with: any string or number the client sent (it waits for exactly that), otherwise null. */
const readableId = (v: unknown): Id =>
  typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v)) ? v : null;

/** Why a parsed line is not a message the server can take, or undefined when it is. */
export function invalid(value: unknown): Verdict | undefined {
  if (Array.isArray(value)) return { id: null, code: -32600, message: 'Invalid Request: batches are not supported' };
  if (!isObject(value)) return { id: null, code: -32600, message: 'Invalid Request: not a JSON-RPC object' };
  const id = readableId(value.id);
  const bad = (message: string, code = -32600): Verdict => ({ id, code, message });
  if (value.jsonrpc !== '2.0') return bad('Invalid Request: jsonrpc must be "2.0"');
  if ('id' in value && !(typeof value.id === 'string' || Number.isInteger(value.id))) {
    return bad('Invalid Request: id must be a string or an integer');
  }
  if (!('method' in value)) {
    if ('id' in value && ('result' in value || 'error' in value)) return undefined;
    return bad('Invalid Request: no method');
  }
  if (typeof value.method !== 'string' || value.method === '') return bad('Invalid Request: method must be a string');
  if ('params' in value && !isObject(value.params)) return bad('Invalid params: params must be an object', -32602);
  return undefined;
}

/**
 * The top-level `"id"` of a JSON text that may be cut short, found by a flat scan (no recursion, so any
 * nesting is fine): lets an oversized request be answered under its own id.
 */
export function headId(text: string): Id {
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      const m = /^"((?:[^"\\]|\\.)*)"/.exec(text.slice(i, i + 4096));
      if (!m) return null;
      i += m[0].length;
      if (depth === 1 && m[1] === 'id') {
        const v = /^\s*:\s*(-?\d+(?=[\s,}])|"(?:[^"\\]|\\.)*")/.exec(text.slice(i, i + 4096));
        if (v?.[1]) {
          try {
            return readableId(JSON.parse(v[1]));
          } catch {
            return null;
          }
        }
      }
      continue;
    }
    if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') depth--;
    i++;
  }
  return null;
}

/**
 * Newline-delimited JSON-RPC on a pair of streams, in front of the SDK's connection logic: every line
 * that is not a message gets a JSON-RPC error instead of silence, a line over `maxLine` is skipped with
 * an error (the connection stays usable), and reading stops while the client is not reading answers.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /** Runs after close, whoever closed: the owner's hook (the SDK owns `onclose`). */
  onended?: () => void;
  private queue: Buffer[] = [];
  private queued = 0;
  private ending = false;
  private scheduled = false;
  private parts: Buffer[] = [];
  private size = 0;
  private head: string | undefined;
  private closed = false;
  private paused = false;

  constructor(
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
    private readonly maxLine = MAX_LINE_BYTES,
    private readonly highWater = HIGH_WATER_BYTES,
  ) {}

  async start(): Promise<void> {
    this.input.on('data', this.ondata);
    this.input.on('end', this.onend);
    this.input.on('close', this.onend);
    this.input.on('error', this.onfail);
    this.output.on('error', this.onfail);
    this.output.on('drain', this.ondrain);
    if (this.input.readableEnded || this.input.destroyed) setImmediate(this.onend);
  }

  send(message: JSONRPCMessage): Promise<void> {
    if (this.closed) return Promise.reject(new Error('stdio connection closed'));
    this.write(`${JSON.stringify(message)}\n`);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off('data', this.ondata);
    this.input.off('end', this.onend);
    this.input.off('close', this.onend);
    this.input.off('error', this.onfail);
    this.output.off('drain', this.ondrain);
    // Late write failures (EPIPE) after close are expected; keep a listener so they never crash the process.
    this.output.off('error', this.onfail);
    this.output.on('error', () => {});
    this.input.pause();
    this.parts = [];
    this.queue = [];
    this.onclose?.();
    this.onended?.();
  }

  private write(text: string): void {
    this.output.write(text);
    if (!this.paused && this.output.writableLength > this.highWater) {
      this.paused = true;
      this.flow();
    }
  }

  private readonly ondrain = () => {
    if (this.paused && !this.closed) {
      this.paused = false;
      if (!this.scheduled) this.pump();
    }
  };

  /** stdin ended: the lines already read are still taken, then the connection closes. */
  private readonly onend = () => {
    this.ending = true;
    if (this.queue.length === 0 || this.paused) void this.close();
  };

  private readonly onfail = (err: Error) => {
    if (this.closed) return;
    this.onerror?.(err);
    void this.close();
  };

  private readonly ondata = (chunk: Buffer | string) => {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.queue.push(buf);
    this.queued += buf.length;
    if (!this.scheduled) this.pump();
    this.flow();
  };

  /**
   * Takes lines off the queue, a few per turn of the event loop so that their answers are written (and
   * counted against the high-water mark) before more requests are taken.
   */
  private readonly pump = () => {
    this.scheduled = false;
    let lines = 0;
    while (this.queue.length > 0 && !this.paused && !this.closed) {
      const buf = this.queue[0] as Buffer;
      const nl = buf.indexOf(10);
      if (nl === -1) {
        this.take(buf);
        this.queue.shift();
        this.queued -= buf.length;
        continue;
      }
      this.take(buf.subarray(0, nl));
      this.queued -= nl + 1;
      if (nl + 1 < buf.length) this.queue[0] = buf.subarray(nl + 1);
      else this.queue.shift();
      this.line();
      if (++lines >= LINES_PER_TURN && this.queue.length > 0) {
        this.scheduled = true;
        setImmediate(this.pump);
        break;
      }
    }
    if (this.ending && this.queue.length === 0) void this.close();
    else this.flow();
  };

  /** Reads stdin only while answers are being taken up and few lines wait: both buffers stay bounded. */
  private flow(): void {
    if (this.closed) return;
    if (this.paused || this.queued > QUEUE_BYTES) this.input.pause();
    else this.input.resume();
  }

  private take(part: Buffer): void {
    if (part.length === 0) return;
    if (this.head !== undefined) return;
    if (this.size + part.length > this.maxLine) {
      this.head = Buffer.concat([...this.parts, part])
        .subarray(0, HEAD_BYTES)
        .toString('utf8');
      this.parts = [];
      this.size = 0;
      return;
    }
    this.parts.push(part);
    this.size += part.length;
  }

  private line(): void {
    const head = this.head;
    const parts = this.parts;
    const text = (parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts)).toString('utf8').trim();
    this.parts = [];
    this.size = 0;
    this.head = undefined;
    if (head !== undefined) {
      this.answer({
        id: headId(head),
        code: -32600,
        message: `Invalid Request: message larger than ${this.maxLine} bytes`,
      });
      return;
    }
    if (text === '') return;
    if (tooDeep(text)) {
      this.answer({
        id: headId(text.slice(0, HEAD_BYTES)),
        code: -32600,
        message: `Invalid Request: JSON nested deeper than ${MAX_DEPTH} levels`,
      });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.answer({ id: null, code: -32700, message: 'Parse error: the line is not JSON' });
      return;
    }
    const verdict = invalid(value);
    if (verdict) {
      // A notification gets no answer, by JSON-RPC; it is only logged.
      if (isObject(value) && 'method' in value && !('id' in value)) {
        this.onerror?.(new Error(`dropped an invalid notification: ${verdict.message}`));
        return;
      }
      this.answer(verdict);
      return;
    }
    let message: JSONRPCMessage;
    try {
      message = parseJSONRPCMessage(value);
    } catch {
      this.answer({ id: readableId((value as { id?: unknown }).id), code: -32600, message: 'Invalid Request' });
      return;
    }
    this.onmessage?.(message);
  }

  private answer(v: Verdict): void {
    if (this.closed) return;
    this.write(`${JSON.stringify({ jsonrpc: '2.0', id: v.id, error: { code: v.code, message: v.message } })}\n`);
  }
}

/** Serves both protocol eras on stdin/stdout; `onclose` runs when the client goes away (stdin ends, stdout breaks). */
export function startStdio(deps: ServerDeps, onclose: () => void = () => {}): { close: () => Promise<void> } {
  const transport = new LineTransport();
  transport.onended = onclose;
  const handle = serveStdio(() => buildServer(deps), {
    transport,
    onerror: (err: Error) => log.error('stdio transport error', { error: err.message }),
  });
  return { close: () => handle.close() };
}
