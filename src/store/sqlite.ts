import Database from 'better-sqlite3';
import type { Dialect, Row, SqlDatabase, SqlExecutor } from './sql.js';
import { SerialQueue } from './serial-queue.js';

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  textType: 'TEXT',
  jsonType: 'TEXT',
  booleanType: 'INTEGER',
  readBoolean: (value) => (value === null || value === undefined ? null : value === 1 || value === true),
  isUniqueViolation: (error) =>
    error instanceof Error &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || error.code === 'SQLITE_CONSTRAINT_UNIQUE'),
  isForeignKeyViolation: (error) => error instanceof Error && 'code' in error && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY',
};

/** SQLite cannot bind booleans; everything else binds as is. */
function bind(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/**
 * A {@link SqlDatabase} over better-sqlite3: WAL journal, `synchronous=NORMAL` (a committed write
 * survives a crash of the process, which is what a response promises), prepared statements cached
 * by their text, and one {@link SerialQueue} in front of the single connection.
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = sqliteDialect;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly queue = new SerialQueue();
  private readonly direct: SqlExecutor;
  /** Writes waiting to share one commit (group commit); closed once its turn in the queue comes. */
  private pending: Array<{ sql: string; params: unknown[]; resolve: (r: { changes: number }) => void; reject: (e: unknown) => void }> | undefined;

  /** @param file a path, or `:memory:` for a database that keeps nothing */
  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.direct = {
      all: async <T>(sql: string, params: unknown[] = []) => this.prepare(sql).all(...bind(params)) as T[],
      get: async <T>(sql: string, params: unknown[] = []) => this.prepare(sql).get(...bind(params)) as T | undefined,
      run: async (sql: string, params: unknown[] = []) => ({ changes: this.prepare(sql).run(...bind(params)).changes }),
    };
  }

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.queue.run(() => this.direct.all<T>(sql, params));
  }

  get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.queue.run(() => this.direct.get<T>(sql, params));
  }

  /**
   * A write outside a transaction joins the writes already waiting for the next commit, and all of them
   * commit together: one commit per batch instead of one per request, with the same promise (each
   * caller hears back only after the commit). A failing statement fails alone: SQLite undoes just
   * that statement, and the rest of the batch commits.
   */
  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return new Promise((resolve, reject) => {
      if (this.pending) {
        this.pending.push({ sql, params, resolve, reject });
        return;
      }
      const batch = [{ sql, params, resolve, reject }];
      this.pending = batch;
      // Wait for the rest of this turn of the event loop: every request whose bytes arrived with
      // this one reaches its write before the check phase, so they all join this batch. Queued
      // straight away instead, the batch would commit in the same turn and always hold one write.
      setImmediate(() => {
        void this.queue.run(() => {
          this.pending = undefined;
          this.commitBatch(batch);
        });
      });
    });
  }

  private commitBatch(batch: NonNullable<SqliteDatabase['pending']>): void {
    const results: Array<{ ok: true; value: { changes: number } } | { ok: false; error: unknown }> = [];
    try {
      if (batch.length > 1) this.db.exec('BEGIN IMMEDIATE');
      for (const write of batch) {
        try {
          results.push({ ok: true, value: { changes: this.prepare(write.sql).run(...bind(write.params)).changes } });
        } catch (error) {
          results.push({ ok: false, error });
        }
      }
      if (batch.length > 1) this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const write of batch) write.reject(error);
      return;
    }
    batch.forEach((write, i) => {
      const result = results[i];
      if (result.ok) write.resolve(result.value);
      else write.reject(result.error);
    });
  }

  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.queue.run(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  exec(sql: string): Promise<void> {
    return this.queue.run(() => {
      this.db.exec(sql);
    });
  }

  close(): Promise<void> {
    return this.queue.run(() => {
      this.statements.clear();
      this.db.close();
    });
  }
}
