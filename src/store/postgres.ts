import pg from 'pg';
import { postgresDialect } from './postgres-dialect.js';
import type { Row, SqlDatabase, SqlExecutor } from './sql.js';

/** `?` placeholders (the store's SQL) to PostgreSQL's `$1, $2, ...`, leaving quoted text alone. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const c of sql) {
    if (c === "'") quoted = !quoted;
    out += c === '?' && !quoted ? `$${++n}` : c;
  }
  return out;
}

/** How long a starting instance waits for a PostgreSQL that does not answer yet. */
export const STARTUP_WAIT_MS = 60_000;

/** The waits between attempts to reach PostgreSQL at start: 0.25 s, doubling, at most 5 s. */
export function startupBackoffMs(attempt: number): number {
  return Math.min(5000, 250 * 2 ** attempt);
}

/** PostgreSQL did not answer within {@link STARTUP_WAIT_MS} of the start. */
export class DatabaseUnreachableError extends Error {
  constructor(where: string, waitedMs: number, cause: unknown) {
    super(
      `PostgreSQL at ${where} did not answer within ${Math.round(waitedMs / 1000)} s (${reasonOf(cause)}). ` +
        'Check that it runs and that --database-url names the right host, port and database.',
    );
    this.name = 'DatabaseUnreachableError';
  }
}

function reasonOf(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code !== '' ? code : String(message ?? error);
}

export interface PostgresOptions {
  connectionString: string;
  /** Schema to keep everything in (created if missing); default `public`. */
  schema?: string;
  poolSize?: number;
  statementTimeoutMs?: number;
}

/**
 * Under contention (many clients moving connectors into the same groups) serialisable
 * transactions collide often: PostgreSQL's predicate locks are page-sized on small tables.
 * Retries back off exponentially with full jitter (up to 1 s a wait, about 9 s at the very most),
 * so colliding transactions spread out instead of colliding again; on a loaded machine twelve
 * attempts within 3 s were not always enough for a move inside a busy $batch.
 */
const MAX_ATTEMPTS = 16;
const BACKOFF_BASE_MS = 4;
const BACKOFF_CAP_MS = 1000;

export function conflictBackoffMs(attempt: number, random: number = Math.random()): number {
  return random * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
}

/**
 * Named prepared statements: PostgreSQL parses and plans a named statement once per connection
 * and reuses the plan, where an unnamed one is parsed and planned on every execution. The store's
 * SQL comes from code, but `$filter` and `$orderby` shape it, so clients could make any number of
 * texts: the first {@link MAX_NAMED_STATEMENTS} get names (each connection keeps at most that
 * many), later ones run unnamed as before.
 */
export const MAX_NAMED_STATEMENTS = 500;

export class StatementNames {
  private readonly named = new Map<string, { name: string; text: string }>();

  /** The query config for the store's SQL (`?` placeholders): PostgreSQL's text, and a name when it has one. */
  of(sql: string): { name?: string; text: string } {
    const known = this.named.get(sql);
    if (known) return known;
    const text = numberPlaceholders(sql);
    if (this.named.size >= MAX_NAMED_STATEMENTS) return { text };
    const statement = { name: `lg_${this.named.size + 1}`, text };
    this.named.set(sql, statement);
    return statement;
  }
}

/**
 * A {@link SqlDatabase} over a `pg` connection pool, for several localgraph instances sharing
 * one database. Transactions run on one pooled client; serialization failures and deadlocks are
 * retried, as PostgreSQL expects of its clients.
 */
export class PostgresDatabase implements SqlDatabase {
  readonly dialect = postgresDialect;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly connectionString: string;
  /** `host:port/database`, for messages (never the password). */
  readonly where: string;

  constructor(options: PostgresOptions) {
    this.schema = options.schema ?? 'public';
    this.connectionString = options.connectionString;
    const url = new URL(options.connectionString);
    this.where = `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    if (!/^[a-z_][a-z0-9_]*$/.test(this.schema)) throw new Error(`invalid schema name '${this.schema}'`);
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs ?? 10_000,
      // A database that does not answer must fail requests fast (503), not hold them.
      connectionTimeoutMillis: 5000,
      options: `-c search_path=${this.schema}`,
    });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  /**
   * Creates the schema if needed; call once before migrating. A database that cannot be reached
   * yet (still starting, say) is tried again with back-off for up to {@link STARTUP_WAIT_MS},
   * each wait announced through `onWait`.
   */
  async prepare(onWait: (message: string) => void = () => undefined, waitMs = STARTUP_WAIT_MS): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        // Under the migration lock: concurrent CREATE SCHEMA IF NOT EXISTS can collide (23505).
        await this.withMigrationLock(() => this.pool.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`));
        return;
      } catch (error) {
        if (!postgresDialect.isUnavailable(error)) throw error;
        const wait = startupBackoffMs(attempt);
        if (Date.now() - started + wait > waitMs)
          throw new DatabaseUnreachableError(this.where, Date.now() - started, error);
        onWait(`PostgreSQL at ${this.where} is not reachable yet (${reasonOf(error)}); retrying in ${wait / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /**
   * Several instances starting at once: the first migrates, the others wait, then find nothing to
   * do. A session-level advisory lock on a connection of its own, taken before the migration's
   * transaction begins: taken inside a serialisable transaction, as it once was, the snapshot of
   * a waiting instance predated the lock, so it did not see the tables the first had created
   * (`relation "settings" already exists`).
   */
  async withMigrationLock<T>(work: () => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.connectionString, connectionTimeoutMillis: 5000 });
    client.on('error', () => undefined);
    await client.connect();
    const key = `localgraph.migrations.${this.schema}`;
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
      return await work();
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]).catch(() => undefined);
      await client.end().catch(() => undefined);
    }
  }

  private readonly statements = new StatementNames();

  private executor(client: pg.Pool | pg.PoolClient): SqlExecutor {
    const query = (sql: string, params: unknown[]) => client.query({ ...this.statements.of(sql), values: params });
    return {
      all: async <T>(sql: string, params: unknown[] = []) => (await query(sql, params)).rows as T[],
      get: async <T>(sql: string, params: unknown[] = []) => (await query(sql, params)).rows[0] as T | undefined,
      run: async (sql: string, params: unknown[] = []) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
    };
  }

  all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.executor(this.pool).all<T>(sql, params);
  }

  get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.executor(this.pool).get<T>(sql, params);
  }

  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return this.executor(this.pool).run(sql, params);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      try {
        // Serialisable: the rules written as conditions (no deletion of a non-empty group, one
        // default group) hold under any interleaving; PostgreSQL reports conflicts, and they are retried.
        await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
        const result = await work(this.executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        if (!postgresDialect.isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      } finally {
        client.release();
      }
      await new Promise((resolve) => setTimeout(resolve, conflictBackoffMs(attempt)));
    }
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
