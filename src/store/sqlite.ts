import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DEFAULT_STATEMENT_TIMEOUT_MS, SliceSpentError, StatementDeadline } from './query-deadline.js';
import type { Row, SqlDatabase, SqlExecutor } from './sql.js';
import { sqliteDialect } from './sqlite-dialect.js';
import { SerialQueue } from './serial-queue.js';
import { BACKSTOP_PAGES, SqliteCheckpointer } from './sqlite-checkpointer.js';
import { SqliteReaders } from './sqlite-readers.js';

export interface SqliteOptions {
  /** Every statement's deadline (`--statement-timeout`); default 10 s. */
  statementTimeoutMs?: number;
  /** Reader threads of a file database (see sqlite-readers.ts); 0 reads on the main connection. */
  readers?: number;
  /** A folder to remove when the database closes or the process ends (see {@link SqliteDatabase.scratch}). */
  scratchDir?: string;
}

/** A write or a transaction waiting for the next commit, and the caller waiting for its outcome. */
interface PendingWork {
  work: (tx: SqlExecutor) => Promise<unknown>;
  /** One statement: SQLite undoes a failing statement by itself, so it needs no savepoint. */
  statement: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A cached statement; for one that returns rows, their column names (it reads them raw). */
interface PreparedStatement {
  statement: Database.Statement;
  columns: string[];
}

/**
 * A row as an object, built here from better-sqlite3's raw array: a page of 101 connectors reads
 * in about two thirds of the time it takes when the driver builds the objects itself.
 */
function toRow(columns: string[], values: unknown[]): Row {
  const row: Row = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
  return row;
}

/** The longest a read of a file database runs on the event loop before it moves to a reader thread. */
export const EVENT_LOOP_SLICE_MS = 20;

/** SQLite cannot bind booleans; everything else binds as is. */
function bind(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
}

/**
 * A {@link SqlDatabase} over better-sqlite3: WAL journal, `synchronous=NORMAL` (a committed write
 * survives a crash of the process, which is what a response promises), prepared statements cached
 * by their text, and one {@link SerialQueue} in front of the writing connection. Reads of a file
 * database run on reader threads ({@link SqliteReaders}), off the event loop; an in-memory
 * database has one connection only, so its reads run here (still stopped at their deadline).
 */
export class SqliteDatabase implements SqlDatabase {
  readonly dialect = sqliteDialect;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, PreparedStatement>();
  private readonly queue = new SerialQueue();
  private readonly direct: SqlExecutor;
  /** Writes and transactions waiting to share the next commit (group commit). */
  private pending: PendingWork[] | undefined;
  private readonly deadline: StatementDeadline;
  private readonly readers: SqliteReaders | undefined;
  private readonly checkpointer: SqliteCheckpointer | undefined;

  /**
   * A database that keeps nothing but still reads off the event loop (`serve --in-memory`):
   * better-sqlite3 cannot share a `:memory:` database between threads, so it lives in a private
   * temporary folder (mode 0700), removed when it closes and when the process exits.
   */
  static scratch(options: SqliteOptions = {}): SqliteDatabase {
    const dir = mkdtempSync(join(tmpdir(), 'localgraph-memory-'));
    return new SqliteDatabase(join(dir, 'scratch.db'), { ...options, scratchDir: dir });
  }

  private readonly scratchDir: string | undefined;

  /** @param file a path, or `:memory:` for a database that keeps nothing */
  constructor(file: string, options: SqliteOptions = {}) {
    this.scratchDir = options.scratchDir;
    if (this.scratchDir) process.once('exit', this.removeScratch);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    const timeoutMs = options.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.deadline = new StatementDeadline(this.db, timeoutMs);
    if (file !== ':memory:' && options.readers !== 0)
      this.readers = new SqliteReaders(file, timeoutMs, options.readers);
    if (file !== ':memory:') {
      // Checkpoints run on their own thread; the COMMIT's own is only a backstop (sqlite-checkpointer.ts).
      this.db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
      this.checkpointer = new SqliteCheckpointer(file);
    }
    this.direct = {
      all: async <T>(sql: string, params: unknown[] = []) => {
        const { statement, columns } = this.prepare(sql);
        this.deadline.start();
        return (statement.all(...bind(params)) as unknown[][]).map((values) => toRow(columns, values) as T);
      },
      get: async <T>(sql: string, params: unknown[] = []) => {
        const { statement, columns } = this.prepare(sql);
        this.deadline.start();
        const values = statement.get(...bind(params)) as unknown[] | undefined;
        return values && (toRow(columns, values) as T);
      },
      run: async (sql: string, params: unknown[] = []) => {
        const { statement } = this.prepare(sql);
        this.deadline.start();
        return { changes: statement.run(...bind(params)).changes };
      },
    };
  }

  private prepare(sql: string): PreparedStatement {
    let prepared = this.statements.get(sql);
    if (!prepared) {
      const statement = this.db.prepare(sql);
      // Statements that return rows read them raw (see toRow).
      prepared = statement.reader
        ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) }
        : { statement, columns: [] };
      this.statements.set(sql, prepared);
    }
    return prepared;
  }

  all<T = Row>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!this.readers) return this.queue.run(() => this.direct.all<T>(sql, params));
    return this.read('all', sql, params).then((rows) =>
      rows.map((values) => toRow(this.prepare(sql).columns, values) as T),
    );
  }

  get<T = Row>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    if (!this.readers) return this.queue.run(() => this.direct.get<T>(sql, params));
    return this.read('get', sql, params).then((rows) =>
      rows.length === 0 ? undefined : (toRow(this.prepare(sql).columns, rows[0]) as T),
    );
  }

  /**
   * A read of a file database: first on the main connection for a slice of the event loop (most
   * reads take well under a millisecond there, and a thread hop costs more than that); a read
   * still running when its slice is spent is stopped and run again on a reader thread, with the
   * whole deadline. No read holds the event loop longer than {@link EVENT_LOOP_SLICE_MS}.
   */
  private async read(kind: 'all' | 'get', sql: string, params: unknown[]): Promise<unknown[][]> {
    const bound = bind(params);
    try {
      return await this.queue.run(() => {
        const { statement } = this.prepare(sql);
        this.deadline.startSlice(EVENT_LOOP_SLICE_MS);
        if (kind === 'all') return statement.all(...bound) as unknown[][];
        const row = statement.get(...bound) as unknown[] | undefined;
        return row === undefined ? [] : [row];
      });
    } catch (error) {
      if (!(error instanceof SliceSpentError)) throw error;
      return (await this.readers!.read(kind, sql, bound)).rows;
    }
  }

  /**
   * A write outside a transaction is one piece of work of the next commit (see {@link enqueue}).
   * A failing statement fails alone: SQLite undoes just that statement.
   */
  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return this.enqueue((db) => db.run(sql, params), true);
  }

  /** Runs `work` as one piece of work of the next commit: rolled back alone when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.enqueue(work, false);
  }

  /**
   * Group commit: work joins the batch waiting for the next commit, and the whole batch commits
   * in one transaction, each piece in its own savepoint, so one that throws is undone alone. Every
   * caller hears back only after the commit: one disk write per batch instead of one per request.
   * A batch waits for the rest of this turn of the event loop: every request whose bytes arrived
   * with this one reaches its write before the check phase, so they all join. (Queued straight
   * away, a batch would commit in the same turn and always hold one piece of work.)
   */
  private enqueue<T>(work: (tx: SqlExecutor) => Promise<T>, statement: boolean): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const item: PendingWork = { work, statement, resolve: resolve as (value: unknown) => void, reject };
      if (this.pending) {
        this.pending.push(item);
        return;
      }
      const batch = [item];
      this.pending = batch;
      setImmediate(() => {
        void this.queue.run(() => {
          this.pending = undefined;
          return this.commitBatch(batch);
        });
      });
    });
  }

  private async commitBatch(batch: PendingWork[]): Promise<void> {
    // Each caller hears its outcome only once the batch has committed.
    const outcomes: Array<() => void> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const item of batch) {
        if (!item.statement) this.db.exec('SAVEPOINT work');
        try {
          const value = await item.work(this.direct);
          if (!item.statement) this.db.exec('RELEASE work');
          outcomes.push(() => item.resolve(value));
        } catch (error) {
          // Some errors (a full disk, an I/O error) end the whole transaction: then nothing commits.
          if (!this.db.inTransaction) throw error;
          if (!item.statement) this.db.exec('ROLLBACK TO work; RELEASE work');
          outcomes.push(() => item.reject(error));
        }
      }
      this.db.exec('COMMIT');
      this.checkpointer?.committed(batch.length);
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const item of batch) item.reject(error);
      return;
    }
    for (const outcome of outcomes) outcome();
  }

  exec(sql: string): Promise<void> {
    return this.queue.run(() => {
      this.db.exec(sql);
    });
  }

  private readonly removeScratch = (): void => {
    if (this.scratchDir) rmSync(this.scratchDir, { recursive: true, force: true });
  };

  async close(): Promise<void> {
    await this.readers?.close();
    await this.checkpointer?.close();
    await this.queue.run(() => {
      this.statements.clear();
      this.db.close();
    });
    if (this.scratchDir) {
      process.removeListener('exit', this.removeScratch);
      this.removeScratch();
    }
  }
}
