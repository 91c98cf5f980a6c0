import type Database from 'better-sqlite3';

/**
 * Every query has a deadline (`--statement-timeout`, 10 s by default), on SQLite as PostgreSQL
 * has its `statement_timeout`. SQLite has no timer of its own, and better-sqlite3 cannot
 * interrupt a statement, so the SQL that can visit many rows (a list's or a count's WHERE, each
 * `any`/`all` subquery of a `$filter`) calls {@link liveCheck}: a function of the connection
 * that throws once the running statement is past its deadline. SQLite then stops the statement
 * within the next rows it visits.
 */
export const LIVE_FUNCTION = 'localgraph_live';

/**
 * The always-true condition, given an integer of the row being visited (a rowid, a JSON item's
 * key): without an argument from the row, SQLite would hoist the call out of the loop as a
 * constant and evaluate it once. The function is called for one row in {@link LIVE_SAMPLE}
 * (SQLite's OR stops at its first true side): a call from SQLite into JavaScript costs more than
 * the rest of a simple row's work, so calling it at every row would slow every list.
 */
export function liveCheck(rowValue: string): string {
  return `((${rowValue}) & ${LIVE_SAMPLE - 1} <> 0 OR ${LIVE_FUNCTION}(${rowValue}))`;
}

/** One row in this many calls the deadline check (a power of two). */
export const LIVE_SAMPLE = 64;

export const DEFAULT_STATEMENT_TIMEOUT_MS = 10_000;

/** A statement that ran past its deadline (PostgreSQL's SQLSTATE 57014 is the same event). */
export class QueryTimeoutError extends Error {
  readonly code = 'LOCALGRAPH_QUERY_TIMEOUT';
  constructor(readonly timeoutMs: number) {
    super(`the query ran longer than its deadline of ${timeoutMs} ms`);
    this.name = 'QueryTimeoutError';
  }
}

/** Whether an error is a statement stopped at its deadline, on either database. */
export function isQueryTimeout(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'LOCALGRAPH_QUERY_TIMEOUT' || code === '57014';
}

/**
 * The deadline of the statement a connection is running: {@link start} before each statement,
 * and the connection's {@link LIVE_FUNCTION} throws a {@link QueryTimeoutError} once it is past.
 */
export class StatementDeadline {
  private deadline = Infinity;
  private slice = false;

  constructor(
    db: Database.Database,
    readonly timeoutMs: number,
  ) {
    db.function(LIVE_FUNCTION, { deterministic: false, directOnly: true, varargs: true }, () => {
      if (Date.now() > this.deadline) throw this.slice ? new SliceSpentError() : new QueryTimeoutError(this.timeoutMs);
      return 1;
    });
  }

  /** The next statement runs until the deadline. */
  start(): void {
    this.deadline = Date.now() + this.timeoutMs;
    this.slice = false;
  }

  /** The next statement runs for `ms` at most, then stops with a {@link SliceSpentError}. */
  startSlice(ms: number): void {
    this.deadline = Date.now() + ms;
    this.slice = true;
  }
}

/** A read tried on the event loop took longer than its slice: it goes to a reader thread instead. */
export class SliceSpentError extends Error {
  constructor() {
    super('the read took longer than its slice of the event loop');
    this.name = 'SliceSpentError';
  }
}
