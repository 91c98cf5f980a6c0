import { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { destination } from 'pino';
import { requestPattern, type PatternResolver } from './request-pattern.js';

/**
 * Structured logs: fastify's pino logger, one line per request with its request id, method,
 * path pattern (ids masked, no query string), status and duration. JSON lines when stdout is not
 * a terminal (or `--log-format json`), a short readable line when it is (`--log-format pretty`).
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** The key request ids are logged under (fastify's `requestIdLogLabel`). */
export const REQUEST_ID_LABEL = 'requestId';

/** Fastify's own two lines per request off (ours is one), request ids logged as `requestId`. */
export function requestLogController(): LogController {
  return new LogController({ disableRequestLogging: true, requestIdLogLabel: REQUEST_ID_LABEL });
}

/** Something pino can write lines to. */
export interface LineSink {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * JSON lines for standard output, written asynchronously: Node writes to a file (`serve > log`)
 * synchronously, one system call per line on the request path; pino's destination queues the
 * lines and writes them together while a write is under way, and flushes what is left when the
 * process exits (SIGTERM, SIGINT and the grace period's exit alike).
 */
function asyncStdout(): LineSink {
  return destination({ dest: 1, sync: false });
}

/**
 * The `logger` option of {@link createApp} for a level and format, writing to `out` (by default
 * standard output: asynchronously for JSON, which is what services and CI collect; the pretty
 * lines of a terminal as they come).
 */
export function loggerOptions(
  level: LogLevel,
  format: LogFormat,
  out?: LineSink,
): NonNullable<FastifyServerOptions['logger']> {
  if (level === 'silent') return { level: 'silent' };
  if (format === 'pretty')
    return { level, stream: prettyStream(out ?? process.stdout, (out ?? process.stdout).isTTY === true) };
  return { level, stream: out ?? asyncStdout() };
}

/** `pretty` on a terminal, `json` otherwise. */
export function defaultLogFormat(out: LineSink = process.stdout): LogFormat {
  return out.isTTY ? 'pretty' : 'json';
}

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const LEVEL_COLOURS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '35' };
const OMITTED = new Set([
  'level',
  'time',
  'pid',
  'hostname',
  'msg',
  REQUEST_ID_LABEL,
  'method',
  'path',
  'status',
  'durationMs',
]);

/** One JSON log line as a short readable line: `06:55:01.123 INFO  200 GET /beta/… 3.2 ms  req 1a2b3c4d`. */
export function formatPretty(line: string, colour = false): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  const level = Number(entry.level);
  const time = typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 23) : '';
  const name = (LEVEL_NAMES[level] ?? String(entry.level)).padEnd(5);
  const paint = (code: string | undefined, text: string) => (colour && code ? `\u001b[${code}m${text}\u001b[0m` : text);
  const parts = [time, paint(LEVEL_COLOURS[level], name)];
  if (entry.method !== undefined && entry.status !== undefined) {
    const status = Number(entry.status);
    parts.push(
      paint(status >= 500 ? '31' : status >= 400 ? '33' : undefined, String(status)),
      String(entry.method),
      String(entry.path ?? ''),
      `${entry.durationMs ?? '?'} ms`,
    );
  } else if (entry.msg !== undefined) {
    parts.push(String(entry.msg));
  }
  const extra = Object.entries(entry).filter(([key]) => !OMITTED.has(key));
  for (const [key, value] of extra) {
    // A 403's reason reads as the sentence it is (the JSON line keeps the structured fields).
    const reason =
      key === 'denied' && typeof (value as { reason?: unknown })?.reason === 'string'
        ? (value as { reason: string }).reason
        : undefined;
    parts.push(
      reason !== undefined
        ? `denied: ${reason}`
        : `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`,
    );
  }
  if (typeof entry[REQUEST_ID_LABEL] === 'string')
    parts.push(paint('90', `req ${(entry[REQUEST_ID_LABEL] as string).slice(0, 8)}`));
  return `${parts.join(' ')}\n`;
}

/** A stream for pino that writes each JSON line it gets as a readable one. */
export function prettyStream(out: LineSink, colour: boolean): LineSink {
  let pending = '';
  return {
    write(chunk: string) {
      pending += chunk;
      let newline = pending.indexOf('\n');
      while (newline >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (line.trim() !== '') out.write(formatPretty(line, colour));
        newline = pending.indexOf('\n');
      }
      return true;
    },
  };
}

const INFO_OR_BELOW = new Set(['info', 'debug', 'trace']);

/** Fields an answer adds to its request's log line (a 403's reason), keyed by the request. */
const extraFields = new WeakMap<object, Record<string, unknown>>();

/** Adds `fields` to the log line of `request`, written when it is answered. */
export function addLogFields(request: object, fields: Record<string, unknown>): void {
  extraFields.set(request, { ...extraFields.get(request), ...fields });
}

/** Logs one line per request once it is answered (fastify's own two lines per request are off). */
export function registerRequestLogging(app: FastifyInstance, resolver: PatternResolver): void {
  app.addHook('onResponse', (request, reply, done) => {
    if (!INFO_OR_BELOW.has(request.log.level)) return done();
    const fault = reply.getHeader('x-localgraph-fault');
    request.log.info(
      {
        method: request.method,
        path: requestPattern(request, resolver).masked,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
        ...(fault !== undefined ? { fault: Number(fault) } : {}),
        ...extraFields.get(request),
      },
      'request',
    );
    done();
  });
}
