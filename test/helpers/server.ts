/**
 * End-to-end helpers: run the real `localgraph` CLI (the compiled dist/src/cli/main.js) as a
 * child process, exactly as a user would, and talk to it over HTTP.
 *
 * Every child started here is tracked; whatever a test does, they are all killed when the test
 * process exits, so a failed assertion never leaves a server behind.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TEST_BACKEND, TEST_DATABASE_URL } from './backend.js';
import { dropSchemasSync } from './postgres-admin.js';

/** dist/test/helpers/server.js → dist/src/cli/main.js */
export const CLI_PATH = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export const CONNECTORS_PATH = '/beta/onPremisesPublishingProfiles/applicationProxy/connectors';
export const ADMIN_SCOPES = 'Directory.ReadWrite.All';
export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const STARTUP_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 10_000;

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();

function killAll(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}

function removeTempDirs(): void {
  for (const dir of tempDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort
    }
  }
}

process.once('exit', () => {
  killAll();
  removeTempDirs();
});
// If the test process is itself stopped (a runner's timeout, Ctrl-C), take the servers along,
// then die of the same signal.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    removeTempDirs();
    process.kill(process.pid, signal);
  });
}

const schemas = new Set<string>();
process.once('exit', () => {
  if (schemas.size > 0) dropSchemasSync(TEST_DATABASE_URL, schemas);
});

/** A URL naming a schema of its own in the test database (created by the server that uses it). */
export function freshDatabaseUrl(): string {
  const schema = `lg_e2e_${process.pid}_${randomUUID().slice(0, 8)}`;
  schemas.add(schema);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('schema', schema);
  return url.href;
}

/** A fresh, empty folder under the OS temp dir, removed when the test process exits. */
export function tempDir(prefix = 'localgraph-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI once to completion (`localgraph ...args`). */
export function runCli(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_PATH, ...args], {
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`localgraph ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 15_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** `localgraph token --data DIR ...args`, returning the JWT (throws on a non-zero exit). */
export async function cliToken(dataDir: string, args: string[]): Promise<string> {
  return storageToken(['--data', dataDir], args);
}

/** `localgraph token <storage> ...args` for a data folder (`--data DIR`) or a database (`--database-url URL`). */
export async function storageToken(storage: string[], args: string[]): Promise<string> {
  const result = await runCli(['token', ...storage, ...args]);
  if (result.code !== 0) throw new Error(`localgraph token ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  const token = result.stdout.trim();
  if (token.split('.').length !== 3) throw new Error(`localgraph token printed no JWT: ${result.stdout}`);
  return token;
}

/**
 * Where a server keeps its data. Without any of `inMemory`, `dataDir` and `databaseUrl`, the
 * pass's backend decides (test/helpers/backend.ts): a fresh folder, `--in-memory` or a fresh schema.
 */
export interface ServerOptions {
  /** `--in-memory`, whatever the pass. */
  inMemory?: boolean;
  /** Serve this data folder (e.g. to restart on it). */
  dataDir?: string;
  /** Extra arguments after `serve`. */
  args?: string[];
  /** Serve from this PostgreSQL database (`--database-url`) instead of a data folder. */
  databaseUrl?: string;
  /** The server process's environment (e.g. NODE_EXTRA_CA_CERTS); default: this process's. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT` (`https://localhost:PORT` with `--https`), without a trailing slash. */
  baseUrl: string;
  port: number;
  /** The data folder, when it serves one. */
  dataDir: string | undefined;
  /** The PostgreSQL URL it serves from, when it does. */
  databaseUrl: string | undefined;
  /** Whether it keeps nothing (`--in-memory`). */
  inMemory: boolean;
  /** What starts another server on the same data (a restart, or a second instance); throws in memory. */
  sameStorage(): ServerOptions;
  /** The CLI arguments naming its data (`--data DIR` or `--database-url URL`), for `app add` and the like; throws in memory. */
  storageArgs(): string[];
  /** The default tenant the server printed. */
  tenantId: string;
  /** The token an `--in-memory` server prints. */
  printedToken: string | undefined;
  /** The admin API's key, from the banner. */
  adminKey: string;
  /** The proxy's URL (`--proxy-port`), from the banner. */
  proxyUrl: string | undefined;
  /** The CA certificate's file (with the proxy or `--https`), from the banner. */
  caFile: string | undefined;
  process: ChildProcess;
  /** Everything printed so far. */
  stdout(): string;
  stderr(): string;
  /**
   * A token as `localgraph token <storage> ...args` makes it (delegated admin by default); in
   * memory, where no CLI command reaches the data, the same claims from `POST /_admin/token`.
   */
  token(args?: string[]): Promise<string>;
  /** Sends a signal (SIGTERM by default) and waits for the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL, like `kill -9`. */
  kill(): Promise<void>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Admin keys that servers made and printed, by data folder or database URL. */
const keysMade = new Map<string, string>();

/** The admin key a start is given (`--admin-key`, else LOCALGRAPH_ADMIN_KEY), as serve reads it. */
function givenAdminKey(options: ServerOptions): string | undefined {
  const args = options.args ?? [];
  const at = args.indexOf('--admin-key');
  if (at >= 0) return args[at + 1]?.trim();
  const inline = args.find((a) => a.startsWith('--admin-key='));
  if (inline) return inline.slice('--admin-key='.length).trim();
  return (options.env ?? process.env).LOCALGRAPH_ADMIN_KEY?.trim();
}

/** Starts `localgraph serve --host 127.0.0.1 --port 0 (--data DIR | --in-memory)` and waits until it listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const chosen = options.inMemory || options.dataDir !== undefined || options.databaseUrl !== undefined;
  const inMemory = options.inMemory === true || (!chosen && TEST_BACKEND === 'memory');
  const databaseUrl = options.databaseUrl ?? (!chosen && TEST_BACKEND === 'postgres' ? freshDatabaseUrl() : undefined);
  const dataDir = inMemory || databaseUrl ? undefined : (options.dataDir ?? join(tempDir(), 'data'));
  const storage = databaseUrl ? ['--database-url', databaseUrl] : dataDir ? ['--data', dataDir] : ['--in-memory'];
  // The banner on stdout among readable log lines, which the tests read; with JSON logs (the
  // default off a terminal) it goes to stderr (test/cli.e2e.test.ts covers that).
  const format = (options.args ?? []).some((a) => a.startsWith('--log-format')) ? [] : ['--log-format', 'pretty'];
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', ...storage, ...format, ...(options.args ?? [])];
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  live.add(child);
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    // 'close', not 'exit': by then everything the process printed has been read.
    child.on('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });

  let baseUrl: string | undefined;
  let tenantId: string | undefined;
  let printedToken: string | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(new Error(`server did not start within ${STARTUP_TIMEOUT_MS} ms\nstdout: ${stdout}\nstderr: ${stderr}`)),
      STARTUP_TIMEOUT_MS,
    );
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before it was ready\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      stdout += `${line}\n`;
      const listening = /localgraph listening on (https?:\/\/[^/\s]+)\/beta\//.exec(line);
      if (listening) baseUrl = listening[1];
      const tenant = /default tenant: ([0-9a-f-]{36})/.exec(line);
      if (tenant) tenantId = tenant[1];
      const token = /token \(delegated[^)]*\): (\S+)/.exec(line);
      if (token) printedToken = token[1];
      // The last line of the banner: the token (in memory) or how to get one (folder).
      if (baseUrl && tenantId && (inMemory ? printedToken : /get a token:/.test(line))) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  // The banner shows a key only when this start made it; a given key, or one made by an earlier
  // start on the same data (remembered here, as its user would have noted it), is not shown again.
  const printedKey = /admin: \S+\/_admin\/ with key (\S+)/.exec(stdout)?.[1];
  const storageId = databaseUrl ?? dataDir;
  if (printedKey !== undefined && storageId !== undefined) keysMade.set(storageId, printedKey);
  const givenKey = givenAdminKey(options);
  const adminKey = givenKey ?? printedKey ?? (storageId === undefined ? undefined : keysMade.get(storageId));
  if (adminKey === undefined)
    throw new Error(`no admin key: none given, none in the banner, none made earlier on this storage\n${stdout}`);
  const proxyUrl = /^ {2}proxy: (http:\/\/\S+)/m.exec(stdout)?.[1];
  const caFile = /^ {2}ca: (\S+)/m.exec(stdout)?.[1];
  const kept = (): void => {
    if (inMemory) throw new Error('an --in-memory server keeps nothing for another server or a CLI command to use');
  };
  const server: RunningServer = {
    baseUrl: baseUrl!,
    port: Number(new URL(baseUrl!).port),
    dataDir,
    databaseUrl,
    inMemory,
    sameStorage() {
      kept();
      return databaseUrl ? { databaseUrl } : { dataDir };
    },
    storageArgs() {
      kept();
      return storage;
    },
    tenantId: tenantId!,
    printedToken,
    adminKey,
    proxyUrl,
    caFile,
    process: child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    token(tokenArgs = ['--scopes', ADMIN_SCOPES]) {
      return inMemory ? adminApiToken(baseUrl!, adminKey, tokenArgs) : storageToken(storage, tokenArgs);
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
      const { code } = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  return server;
}

/** A Graph token from the admin API: `POST /_admin/token` with `body` ({tenantId?, scopes? | roles?, user?, lifetimeSeconds?}). */
export async function postAdminToken(
  baseUrl: string,
  adminKey: string,
  body: Record<string, unknown>,
): Promise<string> {
  const res = await request<{ access_token: string }>(`${baseUrl}/_admin/token`, {
    method: 'POST',
    headers: { 'x-localgraph-admin-key': adminKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) throw new Error(`POST /_admin/token ${JSON.stringify(body)}: ${res.status} ${res.text}`);
  return res.body.access_token;
}

/** `localgraph token`'s arguments as the admin API's token request. */
function adminApiToken(baseUrl: string, adminKey: string, args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      tenant: { type: 'string' },
      scopes: { type: 'string' },
      roles: { type: 'string' },
      user: { type: 'string' },
      lifetime: { type: 'string' },
    },
  });
  return postAdminToken(baseUrl, adminKey, {
    tenantId: values.tenant,
    scopes: values.scopes,
    roles: values.roles,
    user: values.user,
    lifetimeSeconds: values.lifetime === undefined ? undefined : Number(values.lifetime),
  });
}

/** A Graph error envelope, as the server writes it. */
export interface GraphErrorBody {
  error: {
    code: string;
    message: string;
    details?: { code: string; message: string; target?: string }[];
    innerError: { date: string; 'request-id': string; 'client-request-id': string };
  };
}

/** The error of a Graph error response (fails when the body holds none). */
export function errorOf(res: JsonResponse<any>): GraphErrorBody['error'] {
  assert.ok(res.body?.error, `expected an error body: ${res.text}`);
  return (res.body as GraphErrorBody).error;
}

/** The entity without its `@odata.context`, to compare states before and after a request. */
export function stripContext(body: Record<string, any>): Record<string, any> {
  const { '@odata.context': _context, ...rest } = body;
  return rest;
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON (undefined for an empty body). */
  body: T;
  text: string;
}

/** `fetch` that reads the whole body and parses it as JSON when there is one. */
export async function request<T = any>(url: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown;
  if (text.length > 0 && /json/.test(response.headers.get('content-type') ?? '')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}
