import type { Dialect } from './dialect.js';
import { checked, type SqlFunctions } from './sql-functions.js';

function pgPath(path: readonly string[]): string {
  return `'{${checked(path).join(',')}}'`;
}

function pgAt(doc: string, path: readonly string[]): string {
  return path.length === 0 ? doc : `(${doc} #> ${pgPath(path)})`;
}

const postgres: SqlFunctions = {
  jsonDocument: (column) => `(${column})::jsonb`,
  jsonText: (doc, path) => (path.length === 0 ? `(${doc} #>> '{}')` : `(${doc} #>> ${pgPath(path)})`),
  jsonBoolean: (doc, path) => `CAST(${postgres.jsonText(doc, path)} AS boolean)`,
  jsonNumber: (doc, path) => `CAST(${postgres.jsonText(doc, path)} AS numeric)`,
  arrayElements: (doc, path, alias, items) => {
    const at = pgAt(doc, path);
    const fn = items === 'object' ? 'jsonb_array_elements' : 'jsonb_array_elements_text';
    return `${fn}(CASE jsonb_typeof(${at}) WHEN 'array' THEN ${at} END) AS ${alias}(value)`;
  },
  itemText: (alias) => `${alias}.value`,
  itemBoolean: (alias) => `CAST(${alias}.value AS boolean)`,
  itemNumber: (alias) => `CAST(${alias}.value AS numeric)`,
  itemDocument: (alias) => `${alias}.value`,
  arrayLength: (doc, path) => {
    const at = pgAt(doc, path);
    return `(CASE jsonb_typeof(${at}) WHEN 'array' THEN jsonb_array_length(${at}) ELSE 0 END)`;
  },
  foldCase: (expr) => `lower(${expr} COLLATE "C")`,
  binaryText: (expr) => `(${expr} COLLATE "C")`,
  dateTimeKey: (expr) =>
    `(to_char(CAST(${expr} AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') COLLATE "C")`,
  containsText: (haystack, needle) => `strpos(${haystack}, ${needle}) > 0`,
};

/** PostgreSQL's SQLSTATE of an error from `pg`, or '' for any other error. */
function sqlState(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** A connection refused or lost on the way to the database. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

/** Errors after which PostgreSQL asks for the transaction to be tried again (serialisation failure, deadlock). */
const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Values PostgreSQL refuses that SQLite takes: a character it cannot store (U+0000), an index
 * entry over its size limit. Input validation keeps them out; this is the net behind it, so
 * what slips through is the client's 400, not a 500.
 */
const UNSTORABLE = new Set(['22021', '22P05', '54000']);

/** PostgreSQL (`pg`): shared by several instances, byte-order text, serialisable transactions. */
export const postgresDialect: Dialect = {
  name: 'postgres',
  // Byte order, as SQLite compares: ids and keyset paging sort the same on both databases.
  textType: 'TEXT COLLATE "C"',
  jsonType: 'TEXT',
  booleanType: 'BOOLEAN',
  readBoolean: (value) => (value === null || value === undefined ? null : value === true || value === 't'),
  functions: postgres,
  openPropertyEquals: (column, name, value) => ({
    sql: `(${column}::jsonb ->> CAST(? AS text)) = ?`,
    params: [name, value],
  }),
  isUniqueViolation: (error) => sqlState(error) === '23505',
  isForeignKeyViolation: (error) => sqlState(error) === '23503',
  isUnavailable: (error) => {
    const code = sqlState(error);
    // Classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now).
    if (NETWORK_CODES.has(code) || /^08...$/.test(code) || /^57P0[1-4]$/.test(code)) return true;
    const message = (error as { message?: unknown } | null)?.message;
    return (
      typeof message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
        message,
      )
    );
  },
  isRetryableConflict: (error) => RETRYABLE.has(sqlState(error)),
  isUnstorableValue: (error) => UNSTORABLE.has(sqlState(error)),
  sharedByInstances: true,
};
