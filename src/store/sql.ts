/**
 * The narrow SQL surface the store is written against. One implementation per database driver
 * (better-sqlite3 now, pg later); everything above it is shared SQL plus the small
 * {@link Dialect} differences. SQL is always written with `?` placeholders and parameters, never
 * with values spliced in.
 */

export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
}

export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** Column type for text (ids, names, enum members): compared byte by byte on both databases. */
  textType: string;
  /** Column type for JSON documents (complex and collection-valued properties). */
  jsonType: string;
  /** Column type for booleans. */
  booleanType: string;
  /** Turns a stored boolean back into a JS boolean (SQLite stores 0/1). */
  readBoolean(value: unknown): boolean | null;
  /** Whether an error is a primary-key or unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Whether an error is a foreign-key violation (a reference to a row another request removed). */
  isForeignKeyViolation(error: unknown): boolean;
  /**
   * An always-true SQL condition that lets a long statement be stopped at its deadline, for the
   * WHERE of statements that may visit many rows (src/store/query-deadline.ts); PostgreSQL needs
   * none (its statement_timeout does it).
   */
  liveCheck?: (rowValue: string) => string;
}

export interface SqlDatabase extends SqlExecutor {
  readonly dialect: Dialect;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Runs `work` holding a lock that makes concurrent migrations (several instances starting on
   * one database) wait for each other, where the database is shared. Taken before `work` starts
   * its transaction, so that transaction's snapshot sees what the previous holder committed.
   */
  withMigrationLock?<T>(work: () => Promise<T>): Promise<T>;
  /** Runs DDL or several statements without parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
