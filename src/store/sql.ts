import type { Dialect } from './dialect.js';

/**
 * The narrow SQL surface the store is written against. One implementation per database driver
 * (better-sqlite3, pg); everything above it is shared SQL plus the small {@link Dialect}
 * differences. SQL is always written with `?` placeholders and parameters, never with values
 * spliced in.
 */

export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all<T = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T = Row>(sql: string, params?: unknown[]): Promise<T | undefined>;
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
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
