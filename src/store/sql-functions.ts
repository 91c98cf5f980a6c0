/**
 * The only place where the query translator's SQL differs between SQLite and PostgreSQL: small
 * functions that build expressions, one set per dialect (sqlite-dialect.ts, postgres-dialect.ts).
 * Everything else (operators, NULL handling, placeholders, EXISTS subqueries) is shared SQL. The
 * pairs are written to mean the same on both databases:
 *
 * - Case folding is ASCII-only on both: SQLite's `lower()` folds only ASCII, and PostgreSQL's
 *   `lower()` under the "C" collation does the same. String order is byte order on both (SQLite's
 *   BINARY collation, PostgreSQL's "C"), whatever the database's default collation.
 * - JSON scalars come back as SQL values of one kind on both: text for strings, numbers for
 *   numbers, and for booleans what a boolean column holds (SQLite 1/0, PostgreSQL boolean), so a
 *   bound JS boolean compares the same way against a column or a JSON member.
 * - Date-times compare as fixed-width UTC text with milliseconds (`2024-01-01T00:00:00.000Z`),
 *   whatever fraction the stored text has.
 * - Arrays are expanded only when the value really is a JSON array, so a JSON `null` or scalar
 *   where an array was expected is an empty collection on both.
 *
 * JSON paths are made of property names from the model (never from client text); they are
 * checked against a strict identifier pattern before they are written into SQL.
 */
export interface SqlFunctions {
  /** A JSON text column as a JSON document. */
  jsonDocument(column: string): string;
  /** The text of a JSON scalar at `path` (SQL NULL when absent or JSON null). */
  jsonText(doc: string, path: readonly string[]): string;
  /** A JSON boolean at `path`, as the dialect's boolean column value. */
  jsonBoolean(doc: string, path: readonly string[]): string;
  /** A JSON number at `path`, as a SQL number. */
  jsonNumber(doc: string, path: readonly string[]): string;
  /** A FROM item expanding the JSON array at `path` into rows aliased `alias` with a `value` column. */
  arrayElements(doc: string, path: readonly string[], alias: string, items: 'scalar' | 'object'): string;
  /** The current item of {@link arrayElements}: as text, as a boolean, as a number, or as a JSON document. */
  itemText(alias: string): string;
  itemBoolean(alias: string): string;
  itemNumber(alias: string): string;
  itemDocument(alias: string): string;
  /** The number of items of the JSON array at `path`; 0 when it is absent, null or not an array. */
  arrayLength(doc: string, path: readonly string[]): string;
  /** ASCII lower-casing, compared in byte order. */
  foldCase(expr: string): string;
  /** Text compared in byte order. */
  binaryText(expr: string): string;
  /** A date-time text normalised to fixed-width UTC ISO 8601 with milliseconds, compared in byte order. */
  dateTimeKey(expr: string): string;
  /** Whether `haystack` contains the text of the parameter `needle` (`?`). */
  containsText(haystack: string, needle: string): string;
  /** The condition that stops a statement at its deadline, for the items of a lambda (see the dialect's liveCheck). */
  itemLiveCheck?(alias: string): string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A JSON path of property names, checked to be plain identifiers before it is written into SQL. */
export function checked(path: readonly string[]): readonly string[] {
  for (const p of path) if (!NAME.test(p)) throw new Error(`query: unsafe JSON path segment ${JSON.stringify(p)}`);
  return path;
}

/** Lower-cases ASCII letters only, exactly as {@link SqlFunctions.foldCase} does in SQL. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (s) => s.toLowerCase());
}
