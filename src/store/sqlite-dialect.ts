import type { Dialect } from './dialect.js';
import { liveCheck } from './query-deadline.js';
import { sqliteJsonObject } from './row-json.js';
import { checked, type SqlFunctions } from './sql-functions.js';

const sqlite: SqlFunctions = {
  itemLiveCheck: (alias) => liveCheck(`${alias}.key`),
  jsonDocument: (column) => column,
  jsonText: (doc, path) => (path.length === 0 ? doc : `json_extract(${doc}, '$.${checked(path).join('.')}')`),
  jsonBoolean: (doc, path) => sqlite.jsonText(doc, path),
  jsonNumber: (doc, path) => sqlite.jsonText(doc, path),
  arrayElements: (doc, path, alias) => {
    const at = path.length === 0 ? `${doc}, '$'` : `${doc}, '$.${checked(path).join('.')}'`;
    return `json_each(CASE json_type(${at}) WHEN 'array' THEN json_extract(${at}) END) AS ${alias}`;
  },
  itemText: (alias) => `${alias}.value`,
  itemBoolean: (alias) => `${alias}.value`,
  itemNumber: (alias) => `${alias}.value`,
  itemDocument: (alias) => `${alias}.value`,
  arrayLength: (doc, path) => {
    const at = path.length === 0 ? `${doc}, '$'` : `${doc}, '$.${checked(path).join('.')}'`;
    return `COALESCE(json_array_length(${at}), 0)`;
  },
  foldCase: (expr) => `lower(${expr})`,
  binaryText: (expr) => expr,
  dateTimeKey: (expr) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${expr})`,
  containsText: (haystack, needle) => `instr(${haystack}, ${needle}) > 0`,
};

/** better-sqlite3's error code (`SQLITE_CONSTRAINT_UNIQUE`, ...), or '' for any other error. */
function sqliteCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}

/** SQLite (better-sqlite3): one server per data folder, booleans stored as 0/1, JSON as text. */
export const sqliteDialect: Dialect = {
  name: 'sqlite',
  textType: 'TEXT',
  jsonType: 'TEXT',
  booleanType: 'INTEGER',
  readBoolean: (value) => (value === null || value === undefined ? null : value === 1 || value === true),
  functions: sqlite,
  openPropertyEquals: (column, name, value) => ({
    sql: `json_extract(${column}, ?) = ?`,
    params: [`$.${name}`, value],
  }),
  isUniqueViolation: (error) =>
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE'].includes(sqliteCode(error)),
  isForeignKeyViolation: (error) => sqliteCode(error) === 'SQLITE_CONSTRAINT_FOREIGNKEY',
  // Busy past its timeout: another process holds the write lock.
  isUnavailable: (error) => sqliteCode(error) === 'SQLITE_BUSY',
  // One writer, serialised: no transaction is ever asked to run again.
  isRetryableConflict: () => false,
  isUnstorableValue: () => false,
  sharedByInstances: false,
  liveCheck,
  jsonObject: sqliteJsonObject,
};
