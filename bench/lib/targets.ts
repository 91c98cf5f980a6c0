import { join } from 'node:path';
import { BENCH_DIST, CLI, removeTempDir, runNode, startProcess, tempDir } from './processes.js';

/** Settings shared by every server the bench starts. */
export interface ServerOptions {
  /** when set, the server runs under `node --cpu-prof` and writes its profile here on exit */
  cpuProfileDir?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:PORT/beta/ for localgraph, http://127.0.0.1:PORT/ for the baseline */
  baseUrl: string;
  /** the data folder; '' for a server on PostgreSQL or on a given database file */
  dataDir: string;
  pid: number;
  /** milliseconds from spawning the process to its "listening on" line */
  startupMs: number;
  /** SIGTERM, SIGKILL after `graceMs` (default 7 s); removes the data folder if the bench made it for this server */
  stop(graceMs?: number): Promise<void>;
}

export interface RunningLocalgraph extends RunningServer {
  /** `localgraph token --data DIR --scopes ...` against the running server's folder (its default tenant) */
  token(scopes: string): Promise<string>;
}

export interface LocalgraphStart {
  /** serve this existing (seeded) folder, and leave it in place on stop; default: a fresh temporary folder */
  dataDir?: string;
  /** serve this PostgreSQL database (`postgres://…?schema=…`) instead of a folder; the caller owns the schema */
  databaseUrl?: string;
  /** a file the server's SQL statements are written to (loads dist/bench/sql-trace.js; slows the server, never for measured runs) */
  sqlTraceFile?: string;
  /** further `serve` options (e.g. `--admin-key K`) */
  args?: string[];
  /**
   * How the server is set up: `tuned` (the default) turns request logs off and lifts the cap on
   * requests per connection, so the comparison is of the work itself; `logs` keeps request logs
   * at `info` written to a file (standard output redirected, JSON lines); `defaults` is what a
   * user gets from a bare `localgraph serve > FILE`: those logs and the default connection limits.
   */
  settings?: 'tuned' | 'logs' | 'defaults';
}

export interface BaselineStart {
  /** the localgraph.db to serve (seeded, or an empty copy); left in place */
  dbFile: string;
  /** the tenant whose connectors the baseline serves and creates */
  tenantId: string;
}

/** node flags that write a CPU profile named after `name` on exit, when the run profiles. */
export function profileArgs(options: ServerOptions, name: string): string[] {
  return options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`]
    : [];
}

/** The CLI's storage options for a data folder or, when it is a postgres:// URL, a database. */
function storageArgs(where: string): string[] {
  return /^postgres(ql)?:\/\//.test(where) ? ['--database-url', where] : ['--data', where];
}

/**
 * The line that says `serve` is ready: its JSON `ready` record (standard output is never a
 * terminal here, so serve writes JSON lines); group 1 is the Graph base URL, http or https.
 */
export const LOCALGRAPH_READY = /^\{.*"event":"ready".*"graphUrl":"(https?:\/\/[^"]+\/beta\/)".*\}$/;

/** The real CLI: `localgraph serve --port 0 --host 127.0.0.1 (--data <dir> | --database-url <url>)`, set up as `start.settings` says. */
export async function startLocalgraph(
  options: ServerOptions = {},
  start: LocalgraphStart = {},
): Promise<RunningLocalgraph> {
  const owned = start.dataDir === undefined && start.databaseUrl === undefined;
  const dataDir = start.databaseUrl !== undefined ? '' : (start.dataDir ?? tempDir('localgraph'));
  const where = start.databaseUrl ?? dataDir;
  const settings = start.settings ?? 'tuned';
  const logDir = settings === 'tuned' ? undefined : tempDir('logs');
  const nodeArgs = profileArgs(options, 'localgraph');
  if (start.sqlTraceFile) nodeArgs.push('--import', join(BENCH_DIST, 'sql-trace.js'));
  const started = await startProcess({
    label: 'localgraph serve',
    script: CLI,
    // Tuned: request logs off (warn): the baseline writes none, and the comparison is of the work
    // itself. No cap on requests per connection: autocannon writes its next request before it
    // reads a `Connection: close`, and would count the one lost at each reconnect as an error.
    args: [
      'serve',
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      ...storageArgs(where),
      ...(settings === 'tuned' ? ['--log-level', 'warn'] : ['--log-level', 'info', '--log-format', 'json']),
      ...(settings === 'defaults' ? [] : ['--max-requests-per-connection', '0']),
      ...(start.args ?? []),
    ],
    stdoutFile: settings === 'tuned' ? undefined : join(logDir!, 'localgraph.log'),
    nodeArgs,
    ready: LOCALGRAPH_READY,
    env: start.sqlTraceFile ? { ...process.env, LOCALGRAPH_BENCH_SQL_TRACE: start.sqlTraceFile } : undefined,
  });
  return {
    baseUrl: started.match[1],
    dataDir,
    pid: started.child.pid!,
    startupMs: started.readyMs,
    token: (scopes) => runNode(CLI, ['token', ...storageArgs(where), '--scopes', scopes]),
    stop: async (graceMs) => {
      await started.stop(graceMs);
      if (owned) removeTempDir(dataDir);
      if (logDir !== undefined) removeTempDir(logDir);
    },
  };
}

/**
 * `localgraph token (--data DIR | --database-url URL) --tenant GUID --scopes ...`: makes the tenant
 * if it is new; works with or without a server on the folder or database. `where` is a folder or a
 * postgres:// URL.
 */
export function localgraphToken(
  where: string,
  tenantId: string,
  scopes: string,
  lifetimeSeconds = 86_400,
): Promise<string> {
  return runNode(CLI, [
    'token',
    ...storageArgs(where),
    '--tenant',
    tenantId,
    '--scopes',
    scopes,
    '--lifetime',
    String(lifetimeSeconds),
  ]);
}

/** The plain node:http + better-sqlite3 server of bench/baseline-server.ts. */
export async function startBaseline(options: ServerOptions, start: BaselineStart): Promise<RunningServer> {
  const args = ['--db', start.dbFile, '--tenant', start.tenantId];
  const started = await startProcess({
    label: 'baseline server',
    script: join(BENCH_DIST, 'baseline-server.js'),
    args,
    nodeArgs: profileArgs(options, 'baseline'),
    ready: /^baseline listening on (http:\/\/\S+\/)$/,
  });
  return {
    baseUrl: started.match[1],
    dataDir: '',
    pid: started.child.pid!,
    startupMs: started.readyMs,
    stop: (graceMs) => started.stop(graceMs),
  };
}
