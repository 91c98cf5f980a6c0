import type { JsonField } from './row-json.js';
import type { SqlFunctions } from './sql-functions.js';

/**
 * Everything that differs between the databases localgraph runs on, in one object per database
 * (sqlite-dialect.ts, postgres-dialect.ts), as Kysely's dialect adapters do: column types, how
 * values come back, the SQL functions the query translator writes with, what an error means,
 * and whether several instances share the data. Everything above it is shared SQL written
 * with `?` placeholders.
 */
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
  /** The expressions `$filter`, `$orderby` and the indexes that serve them are written with. */
  functions: SqlFunctions;
  /**
   * `name = ?` on a dynamic property kept in an open-properties JSON column (an alternate key
   * such as `uniqueName`), with the parameters that go with it.
   */
  openPropertyEquals(column: string, name: string, value: string): { sql: string; params: unknown[] };
  /** Whether an error is a primary-key or unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Whether an error is a foreign-key violation (a reference to a row another request removed). */
  isForeignKeyViolation(error: unknown): boolean;
  /**
   * Whether an error means the database cannot be reached right now (as opposed to a bad
   * statement). Such requests answer 503 with Retry-After, and the next request tries again.
   */
  isUnavailable(error: unknown): boolean;
  /** Whether the database asks for the transaction to be tried again (serialisation failure, deadlock). */
  isRetryableConflict(error: unknown): boolean;
  /** Whether the database refused a value the other one stores (the client's 400, not a 500). */
  isUnstorableValue(error: unknown): boolean;
  /**
   * Whether several localgraph instances may share this database, so that a reset or an import
   * must be announced to the others (src/http/control-plane.ts).
   */
  sharedByInstances: boolean;
  /**
   * An always-true SQL condition that lets a long statement be stopped at its deadline, for the
   * WHERE of statements that may visit many rows (src/store/query-deadline.ts); PostgreSQL needs
   * none (its statement_timeout does it).
   */
  liveCheck?: (rowValue: string) => string;
  /**
   * The expression writing a row as the Graph JSON object of `fields`, for list pages the
   * database serialises itself (src/store/row-json.ts); without it, pages are built in JavaScript.
   */
  jsonObject?: (fields: readonly JsonField[]) => { sql: string; params: unknown[] };
}
