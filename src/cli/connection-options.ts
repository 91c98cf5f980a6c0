import {
  DEFAULT_CONNECTION_LIMITS,
  headExceedsRequest,
  MAX_TIMEOUT_MS,
  type ConnectionLimits,
} from '../http/connection-limits.js';
import { UsageError } from './usage.js';

/**
 * `serve`'s connection limits (src/http/connection-limits.ts; the options are defined in
 * serve-options.ts). Counts and milliseconds; 0 lifts a limit, except the keep-alive timeout (0
 * would keep idle connections forever).
 */
const d = DEFAULT_CONNECTION_LIMITS;

export interface ConnectionValues {
  'max-connections'?: string;
  'max-connections-per-source'?: string;
  'max-requests-per-connection'?: string;
  'headers-timeout'?: string;
  'request-timeout'?: string;
  'keep-alive-timeout'?: string;
}

function wholeNumber(option: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${option} must be a whole number from ${min} to ${max}, not '${value}'`);
  }
  return Number(value);
}

/** The limits the options set (the others keep their defaults in createApp). */
export function parseConnectionOptions(values: ConnectionValues): Partial<ConnectionLimits> {
  const count = Number.MAX_SAFE_INTEGER;
  const limits: Partial<ConnectionLimits> = {
    maxConnections: wholeNumber('--max-connections', values['max-connections'], 0, count),
    maxConnectionsPerSource: wholeNumber(
      '--max-connections-per-source',
      values['max-connections-per-source'],
      0,
      count,
    ),
    maxRequestsPerConnection: wholeNumber(
      '--max-requests-per-connection',
      values['max-requests-per-connection'],
      0,
      count,
    ),
    headersTimeoutMs: wholeNumber('--headers-timeout', values['headers-timeout'], 0, MAX_TIMEOUT_MS),
    requestTimeoutMs: wholeNumber('--request-timeout', values['request-timeout'], 0, MAX_TIMEOUT_MS),
    keepAliveTimeoutMs: wholeNumber('--keep-alive-timeout', values['keep-alive-timeout'], 1, MAX_TIMEOUT_MS),
  };
  const headers = limits.headersTimeoutMs ?? d.headersTimeoutMs;
  const whole = limits.requestTimeoutMs ?? d.requestTimeoutMs;
  if (headExceedsRequest(headers, whole)) {
    throw new UsageError(
      `--headers-timeout (${headers}) must not exceed --request-timeout (${whole}): the whole request's deadline covers its head`,
    );
  }
  return Object.fromEntries(Object.entries(limits).filter(([, value]) => value !== undefined));
}
