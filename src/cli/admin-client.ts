import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ADMIN_KEY_HEADER } from '../admin/admin-key.js';
import { storedCaCertificate } from '../http/certificate-authority.js';
import { CERT_FILE, TLS_DIR } from '../http/tls.js';
import { DEFAULT_DATA_DIR, openStore, type StoreLocation } from '../store/open.js';
import { storageLocation } from './storage-options.js';
import { UsageError } from './usage.js';
import { servedFamily } from '../family/served-family.js';

/**
 * The CLI's side of the admin API: where the running server is (`--url`, default
 * http://127.0.0.1:5080), its admin key (`--admin-key`, default $LOCALGRAPH_ADMIN_KEY), where its
 * data is (to trust its CA over https), and one JSON request at a time. A server error becomes
 * one line: `400 BadRequest: …`.
 */
export const DEFAULT_ADMIN_URL = 'http://127.0.0.1:5080';

export const TARGET_OPTIONS = {
  url: { type: 'string' },
  'admin-key': { type: 'string' },
  data: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

export const targetHelp = `  --url URL       the running server (default: ${DEFAULT_ADMIN_URL}; a server that answers
                  only TLS, serve --https, is reached over https by itself)
  --admin-key K   its admin key, printed in its banner (default: $LOCALGRAPH_ADMIN_KEY)
  --data DIR | --database-url URL
                  where the server keeps its data, to trust its certificate authority (serve
                  --https, localgraph ca) without NODE_EXTRA_CA_CERTS (default: ./${DEFAULT_DATA_DIR}, or
                  $LOCALGRAPH_DATA, $LOCALGRAPH_DATABASE_URL)`;

export interface AdminTarget {
  /** The server's origin; becomes https:// once a plain-HTTP attempt meets a TLS-only server. */
  origin: string;
  key: string;
  /** Where localgraph's CA may be read, to trust the server's certificate. */
  caSource: StoreLocation;
  /** The CAs trusted over https, read on first use. */
  trusted?: Promise<string[] | undefined>;
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** What `parseCommand` returns (spelled out: a published declaration cannot name parseArgs' inner types). */
type ParsedCommand<T extends Options> = ReturnType<
  typeof parseArgs<{
    args: string[];
    options: T & { help: { type: 'boolean'; short: 'h' } } & typeof TARGET_OPTIONS;
    strict: true;
    allowPositionals: true;
  }>
>;

/** Strict parsing with positionals; anything unknown or malformed is a {@link UsageError}. */
export function parseCommand<T extends Options>(args: string[], options: T): ParsedCommand<T> {
  try {
    return parseArgs({
      args,
      options: { help: { type: 'boolean', short: 'h' }, ...TARGET_OPTIONS, ...options },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

type TargetValues = {
  url?: string | boolean;
  'admin-key'?: string | boolean;
  data?: string | boolean;
  'database-url'?: string | boolean;
};

export function adminTarget(values: TargetValues, env: NodeJS.ProcessEnv = process.env): AdminTarget {
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
  if (!key)
    throw new UsageError('no admin key: give --admin-key or set LOCALGRAPH_ADMIN_KEY (localgraph serve prints it)');
  const storage = {
    data: typeof values.data === 'string' ? values.data : undefined,
    'database-url': typeof values['database-url'] === 'string' ? values['database-url'] : undefined,
  };
  return { origin, key, caSource: storageLocation(storage) };
}

/** A failed call: the server's status and Graph error, or why it could not be reached. */
export class AdminCallError extends Error {}

/** Sends one request to the admin API; resolves with the parsed JSON answer (undefined when empty). */
export async function adminCall(target: AdminTarget, method: string, path: string, body?: unknown): Promise<unknown> {
  return serverCall(target, `/_admin${path}`, method, { [ADMIN_KEY_HEADER]: target.key }, body);
}

/**
 * Sends one JSON request to the server (its admin API or its Graph surface). Over https, the
 * server's certificate is checked against the usual roots, NODE_EXTRA_CA_CERTS and localgraph's
 * own CA; a TLS-only server reached over http (it closes the connection) is tried again over
 * https, and the target remembers it.
 */
export async function serverCall(
  target: AdminTarget,
  path: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<unknown> {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const allHeaders = { ...headers, ...(text === undefined ? {} : { 'content-type': 'application/json' }) };
  let answer: Answer;
  try {
    answer = await send(target, path, method, allHeaders, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (!target.origin.startsWith('http:') || (code !== 'ECONNRESET' && code !== 'EPIPE'))
      throw reachError(target.origin, error);
    const secure = target.origin.replace(/^http:/, 'https:');
    try {
      answer = await send({ ...target, origin: secure }, path, method, allHeaders, text);
    } catch (second) {
      throw reachError(secure, second);
    }
    target.origin = secure;
  }
  let parsed: unknown;
  try {
    parsed = answer.text.length > 0 ? JSON.parse(answer.text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (answer.status < 200 || answer.status > 299) {
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new AdminCallError(
      `${answer.status} ${error?.code ?? answer.statusText}: ${error?.message ?? answer.text.slice(0, 200)}`,
    );
  }
  return parsed;
}

function reachError(origin: string, error: unknown): AdminCallError {
  const code = (error as NodeJS.ErrnoException).code;
  const untrusted =
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';
  const hint = untrusted
    ? " (its certificate is not trusted: name its data with --data DIR or --database-url URL, or trust localgraph's CA: localgraph ca)"
    : '';
  return new AdminCallError(`cannot reach ${origin}: ${code ?? (error as Error).message}${hint}`);
}

interface Answer {
  status: number;
  statusText: string;
  text: string;
}

async function send(
  target: AdminTarget,
  path: string,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Answer> {
  const url = new URL(path, target.origin);
  const secure = url.protocol === 'https:';
  const ca = secure ? await trustedCas(target) : undefined;
  return new Promise((resolve, reject) => {
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      { method, headers, ...(ca ? { ca } : {}) },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', text }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** The roots Node trusts, NODE_EXTRA_CA_CERTS, and localgraph's CA when its data can be read. */
function trustedCas(target: AdminTarget): Promise<string[] | undefined> {
  target.trusted ??= (async () => {
    const own = await readLocalgraphCa(target.caSource);
    if (own === undefined) return undefined;
    const extra = process.env.NODE_EXTRA_CA_CERTS;
    const extraPem = extra && existsSync(extra) ? [readFileSync(extra, 'utf8')] : [];
    return [...rootCertificates, ...extraPem, own];
  })();
  return target.trusted;
}

/** A data folder's ca.pem (serve writes it beside its data), or the CA kept in a database. */
async function readLocalgraphCa(location: StoreLocation): Promise<string | undefined> {
  if (location.kind === 'folder') {
    // The CA, and the --https certificate's own chain (with --cert-name, its CA is not localgraph's).
    const files = [join(location.dir, 'ca.pem'), join(location.dir, TLS_DIR, CERT_FILE)].filter((file) =>
      existsSync(file),
    );
    return files.length > 0 ? files.map((file) => readFileSync(file, 'utf8')).join('') : undefined;
  }
  if (location.kind !== 'postgres') return undefined;
  const store = await openStore(location, servedFamily);
  try {
    return await storedCaCertificate(store);
  } finally {
    await store.close();
  }
}
