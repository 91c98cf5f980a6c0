/**
 * The PostgreSQL the bench runs localgraph on: BENCH_DATABASE_URL (default: the local test
 * database, trust auth), a fresh schema per use (localgraph creates and migrates it on its first
 * start; the bench drops it afterwards). The database is shared with other people's tests and
 * benches, hence schemas of our own rather than tables in `public`, and never anything dropped but
 * what this process made.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';

export const DATABASE_URL = process.env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** The URL without a `schema` parameter (localgraph's own, replaced by the bench's) or password, for reports. */
export function describeDatabase(url = DATABASE_URL): string {
  const parsed = new URL(url);
  parsed.password = '';
  parsed.searchParams.delete('schema');
  return parsed.href;
}

/** The database's URL for our own connections: no `schema` parameter, password kept. */
function databaseOnly(): string {
  const url = new URL(DATABASE_URL);
  url.searchParams.delete('schema');
  return url.href;
}

/** A client on the database itself (no schema parameter); the caller ends it. */
export async function connect(): Promise<pg.Client> {
  // A host that drops packets must not hang the bench: fail after a few seconds and skip instead.
  const client = new pg.Client({ connectionString: databaseOnly(), connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

/** Why PostgreSQL cannot be used, or undefined when it answers. */
export async function unreachable(): Promise<string | undefined> {
  let client: pg.Client | undefined;
  try {
    client = await connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return (error as Error).message || String(error);
  } finally {
    await client?.end().catch(() => undefined);
  }
}

/** Schemas made and not yet dropped: a bench that dies half-way still drops them on exit. */
const live = new Set<string>();
let hooked = false;

function dropOnExit(): void {
  if (hooked) return;
  hooked = true;
  // 'exit' allows no async work, so psql, best effort (the bench's SIGINT handler exits through here too).
  process.on('exit', () => {
    for (const schema of live) spawnSync('psql', [databaseOnly(), '-qc', `DROP SCHEMA IF EXISTS ${schema} CASCADE`], { stdio: 'ignore', timeout: 10_000 });
  });
}

export interface Schema {
  name: string;
  /** BENCH_DATABASE_URL with `?schema=<name>`, for `localgraph serve/token --database-url` */
  url: string;
  /** DROP SCHEMA … CASCADE (once all servers on it have stopped) */
  drop(): Promise<void>;
}

/** A name for a schema of our own; localgraph makes it on first start. */
export function freshSchema(label: string): Schema {
  dropOnExit();
  // localgraph accepts [a-z_][a-z0-9_]*; pid and a random part keep concurrent benches apart.
  const name = `lg_bench_${label}_${process.pid}_${randomUUID().slice(0, 8)}`;
  live.add(name);
  const url = new URL(DATABASE_URL);
  url.searchParams.set('schema', name);
  return {
    name,
    url: url.href,
    drop: async () => {
      const client = await connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
        live.delete(name);
      } finally {
        await client.end();
      }
    },
  };
}
