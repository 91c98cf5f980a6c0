import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ADMIN_KEY_HEADER } from '../admin/admin-key.js';
import { UsageError } from './usage.js';

/**
 * The CLI's side of the admin API: where the running server is (`--url`, default
 * http://127.0.0.1:5080), its admin key (`--admin-key`, default $LOCALGRAPH_ADMIN_KEY), and one
 * JSON request at a time. A server error becomes one line: `400 BadRequest: …`.
 */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:5080';

export const TARGET_OPTIONS = {
  url: { type: 'string' },
  'admin-key': { type: 'string' },
} as const;

export const targetHelp = `  --url URL       the running server (default: ${DEFAULT_ADMIN_URL})
  --admin-key K   its admin key, printed in its banner (default: $LOCALGRAPH_ADMIN_KEY)`;

export interface AdminTarget {
  origin: string;
  key: string;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommand` returns (spelled out: a published declaration cannot name parseArgs' inner types). */
type ParsedCommand<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T & { help: { type: 'boolean'; short: 'h' } } & typeof TARGET_OPTIONS; strict: true; allowPositionals: true }>
>;

/** Strict parsing with positionals; anything unknown or malformed is a {@link UsageError}. */
export function parseCommand<T extends Options>(args: string[], options: T): ParsedCommand<T> {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...TARGET_OPTIONS, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

export function adminTarget(values: { url?: string | boolean; 'admin-key'?: string | boolean }, env: NodeJS.ProcessEnv = process.env): AdminTarget {
  const url = typeof values.url === 'string' ? values.url : DEFAULT_ADMIN_URL;
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TypeError('not http');
    origin = parsed.origin;
  } catch {
    throw new UsageError(`--url must be the server's http(s) URL, not '${url}'`);
  }
  const key = typeof values['admin-key'] === 'string' ? values['admin-key'] : env.LOCALGRAPH_ADMIN_KEY;
  if (!key) throw new UsageError('no admin key: give --admin-key or set LOCALGRAPH_ADMIN_KEY (localgraph serve prints it)');
  return { origin, key };
}

/** A failed call: the server's status and Graph error, or why it could not be reached. */
export class AdminCallError extends Error {}

/** Sends one request to the admin API; resolves with the parsed JSON answer (undefined when empty). */
export async function adminCall(target: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  return callJson(`${target.origin}/_admin${path}`, method, { [ADMIN_KEY_HEADER]: target.key }, body);
}

/** Sends one JSON request (to the admin API or the Graph surface). */
export async function callJson(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new AdminCallError(`cannot reach ${new URL(url).origin}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text.length > 0 ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new AdminCallError(`${response.status} ${error?.code ?? response.statusText}: ${error?.message ?? text.slice(0, 200)}`);
  }
  return parsed;
}
