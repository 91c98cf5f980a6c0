/**
 * A row written as Graph JSON by SQLite itself (`json_object(...)`), for list pages of types whose
 * Graph form is a flat object of scalar properties (see `jsonFields` in src/odata/serialize.ts,
 * which decides when a type qualifies). A page of 101 connectors is then 101 strings from the
 * driver, joined into the response: no value per column crossing into JavaScript, no row or
 * entity objects, no JSON.stringify of the page. That took the list `$top=100` (request logs on)
 * from 3.14 M to 1.82 M instructions per request (bench/RESULTS-instructions.md).
 */

/** One property of the JSON object, in the order the object has them. */
export interface JsonField {
  /** the Graph property name */
  name: string;
  column: string;
  kind: 'text' | 'integer' | 'boolean';
  /** enum members written as `unknownFutureValue` (evolvable members the client did not opt into) */
  hidden?: readonly string[];
}

/**
 * The SQLite expression writing a row as the JSON object of `fields`, and its parameters (the
 * property names and hidden members are bound, never spliced). SQLite stores booleans as 0/1;
 * `json()` makes `true`/`false` JSON values rather than strings.
 */
export function sqliteJsonObject(fields: readonly JsonField[]): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const field of fields) {
    parts.push('?');
    params.push(field.name);
    if (field.kind === 'boolean') {
      parts.push(
        `json(CASE WHEN ${field.column} IS NULL THEN 'null' WHEN ${field.column} = 1 THEN 'true' ELSE 'false' END)`,
      );
    } else if (field.hidden && field.hidden.length > 0) {
      parts.push(
        `CASE WHEN ${field.column} IN (${field.hidden.map(() => '?').join(', ')}) THEN 'unknownFutureValue' ELSE ${field.column} END`,
      );
      params.push(...field.hidden);
    } else {
      parts.push(field.column);
    }
  }
  return { sql: `json_object(${parts.join(', ')})`, params };
}
