import { redact } from './redact.ts';

// Logs go to stderr only: stdout carries the protocol in stdio mode.
const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 } as const;
export type LogLevel = keyof typeof LEVELS;

let threshold: number = LEVELS.info;
let sink: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

export function setLogLevel(level: LogLevel): void {
  threshold = LEVELS[level];
}

/** Tests capture log lines here. */
export function setLogSink(fn: (line: string) => void): void {
  sink = fn;
}

/** One line, whatever it carries: no control, bidi or invisible character can forge or hide a line. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

function safe(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '"[unprintable]"';
  }
}

function emit(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (LEVELS[level] < threshold) return;
  const extra = fields ? ` ${safe(fields)}` : '';
  const line = `${new Date().toISOString()} ${level} ${msg}${extra}`;
  sink(redact(redact(line).replace(UNSAFE, ' ')));
}

export const log = {
  debug: (msg: string, fields?: Record<string, unknown>) => emit('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => emit('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => emit('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => emit('error', msg, fields),
};
