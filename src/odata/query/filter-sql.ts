import type { Dialect } from '../../store/dialect.js';
import type { Condition } from '../../store/store.js';
import type { Column, TableMapping } from '../../store/table.js';
import type { BoundExpr, BoundFilter, BoundOperand, BoundValue, ScalarKind, ValueType } from './bound-filter.js';
import type { CompareOp } from './filter-ast.js';
import { asciiLower, type SqlFunctions } from '../../store/sql-functions.js';

/**
 * Translates a bound `$filter` into a parameterised SQL condition over an entity's table that
 * means the same on SQLite and PostgreSQL (the differences live in the dialect's functions, src/store/sql-functions.ts).
 *
 * Semantics, as Graph's directory evaluates filters:
 * - String comparisons ignore case: `lower(col) = ?` with the literal lower-cased the same way;
 *   `startswith`/`endswith`/`contains` become `LIKE` with `%`, `_` and `\` escaped in the parameter;
 *   ordering operators on strings compare the lower-cased text in byte order.
 * - OData's two-valued logic: a comparison with a null value is false (`null eq 'x'` is false,
 *   `null ne 'x'` is true). `eq null` is `IS NULL`; `ne` on a nullable value is
 *   `(col IS NULL OR col <> ?)`; under `not` (and in the body of `all`) every comparison on a
 *   nullable value is guarded with `col IS NOT NULL AND …`, so SQL's NULL never leaks through a
 *   negation.
 * - Booleans bind as JS booleans; enum and flags values are stored as their canonical member
 *   strings and compare exactly.
 * - Complex property paths read the JSON column; `any`/`all` over collections are `EXISTS`
 *   subqueries over the JSON array's items.
 *
 * Column names come only from the {@link TableMapping} and are qualified with the table name (or
 * `options.qualifier`), so they cannot be confused with the columns of the JSON table functions
 * inside lambdas. Client values only ever travel as parameters.
 */

export interface SqlOptions {
  /** The table name or alias that qualifies column references; the table's name by default. */
  qualifier?: string;
}

/** A value read by SQL: `raw` as stored (for NULL tests) and `cmp`, the form that compares. */
export interface ValueSql {
  raw: string;
  cmp: string;
}

const SQL_OP: Record<CompareOp, string> = { eq: '=', ne: '<>', gt: '>', ge: '>=', lt: '<', le: '<=' };
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function qualifierFor(table: TableMapping, options: SqlOptions = {}): string {
  const qualifier = options.qualifier ?? table.table;
  if (!IDENTIFIER.test(qualifier)) throw new Error(`query: invalid table qualifier ${JSON.stringify(qualifier)}`);
  return qualifier;
}

function columnFor(table: TableMapping, property: string): Column {
  const column = table.byProperty.get(property);
  if (!column) throw new Error(`query: table ${table.table} has no column for property ${property}`);
  return column;
}

/** The comparable form of a raw SQL value of a kind. */
export function comparable(kind: ScalarKind | 'complex', raw: string, fns: SqlFunctions): string {
  switch (kind) {
    case 'string':
    case 'guid':
      return fns.foldCase(raw);
    case 'dateTimeOffset':
      return fns.dateTimeKey(raw);
    case 'date':
    case 'timeOfDay':
      return fns.binaryText(raw);
    default:
      return raw;
  }
}

/** A scalar of a kind at `path` inside a JSON document. */
function jsonScalar(kind: ValueType['kind'], doc: string, path: readonly string[], fns: SqlFunctions): string {
  if (kind === 'boolean') return fns.jsonBoolean(doc, path);
  if (kind === 'integer' || kind === 'decimal') return fns.jsonNumber(doc, path);
  return fns.jsonText(doc, path);
}

/**
 * The SQL value of an entity property path (`['onPremisesPublishing', 'externalUrl']`): the
 * column itself for a top-level property, a JSON extraction below it.
 */
export function entityValueSql(
  path: readonly string[],
  kind: ValueType['kind'],
  table: TableMapping,
  fns: SqlFunctions,
  qualifier: string,
): ValueSql {
  const column = columnFor(table, path[0]);
  const ref = `${qualifier}.${column.column}`;
  if (path.length === 1) return { raw: ref, cmp: comparable(kind, ref, fns) };
  if (column.kind !== 'json') throw new Error(`query: ${table.table}.${column.column} is not a JSON column`);
  const raw = jsonScalar(kind, fns.jsonDocument(ref), path.slice(1), fns);
  return { raw, cmp: comparable(kind, raw, fns) };
}

/** A literal in the form its comparable SQL value takes. */
function parameter(kind: ValueType['kind'], value: BoundValue): unknown {
  if ((kind === 'string' || kind === 'guid') && typeof value === 'string') return asciiLower(value);
  return value;
}

/** `%`, `_` and the escape character itself, escaped for `LIKE … ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

interface LambdaSource {
  alias: string;
}

class Translator {
  readonly params: unknown[] = [];
  private readonly lambdas = new Map<string, LambdaSource>();
  private aliases = 0;

  constructor(
    private readonly table: TableMapping,
    private readonly fns: SqlFunctions,
    private readonly qualifier: string,
  ) {}

  private param(value: unknown): string {
    this.params.push(value);
    return '?';
  }

  /** The JSON document and the path inside it where a collection or nested value lives. */
  private documentOf(operand: BoundOperand): { doc: string; path: string[] } {
    if (operand.root === '$it') {
      const column = columnFor(this.table, operand.path[0]);
      if (column.kind !== 'json') throw new Error(`query: ${this.table.table}.${column.column} is not a JSON column`);
      return { doc: this.fns.jsonDocument(`${this.qualifier}.${column.column}`), path: operand.path.slice(1) };
    }
    return { doc: this.fns.itemDocument(this.source(operand.root).alias), path: operand.path };
  }

  private source(variable: string): LambdaSource {
    const source = this.lambdas.get(variable);
    if (!source) throw new Error(`query: lambda variable ${variable} is not in scope`);
    return source;
  }

  value(operand: BoundOperand): ValueSql {
    const kind = operand.type.kind;
    if (operand.count) {
      const { doc, path } = this.documentOf(operand);
      const raw = this.fns.arrayLength(doc, path);
      return { raw, cmp: raw };
    }
    if (operand.root === '$it') return entityValueSql(operand.path, kind, this.table, this.fns, this.qualifier);
    const alias = this.source(operand.root).alias;
    let raw: string;
    if (operand.path.length > 0) raw = jsonScalar(kind, this.fns.itemDocument(alias), operand.path, this.fns);
    else if (kind === 'boolean') raw = this.fns.itemBoolean(alias);
    else if (kind === 'integer' || kind === 'decimal') raw = this.fns.itemNumber(alias);
    else if (kind === 'complex') raw = this.fns.itemDocument(alias);
    else raw = this.fns.itemText(alias);
    return { raw, cmp: comparable(kind, raw, this.fns) };
  }

  /** Makes a comparison two-valued where a negation could turn SQL's NULL into a wrong answer. */
  private guard(operand: BoundOperand, value: ValueSql, sql: string, negated: boolean): string {
    return negated && operand.nullable ? `(${value.raw} IS NOT NULL AND ${sql})` : sql;
  }

  expr(e: BoundExpr, negated: boolean): string {
    switch (e.kind) {
      case 'constant':
        return e.value ? '1 = 1' : '1 = 0';
      case 'and':
      case 'or': {
        const left = this.expr(e.left, negated);
        const right = this.expr(e.right, negated);
        return `(${left} ${e.kind.toUpperCase()} ${right})`;
      }
      case 'not':
        return `NOT (${this.expr(e.operand, !negated)})`;
      case 'compare':
        return this.compare(e.op, e.operand, e.value, negated);
      case 'in': {
        const value = this.value(e.operand);
        const present = e.values.filter((v) => v !== null);
        const isNull = `${value.raw} IS NULL`;
        if (present.length === 0) return isNull;
        const list = `${value.cmp} IN (${present.map((v) => this.param(parameter(e.operand.type.kind, v))).join(', ')})`;
        if (present.length < e.values.length) return `(${isNull} OR ${list})`;
        return this.guard(e.operand, value, list, negated);
      }
      case 'has': {
        const value = this.value(e.operand);
        const haystack = `',' || ${value.raw} || ','`;
        const sql = e.members.map((m) => this.fns.containsText(haystack, this.param(`,${m},`))).join(' AND ');
        return this.guard(e.operand, value, e.members.length > 1 ? `(${sql})` : sql, negated);
      }
      case 'match': {
        const value = this.value(e.operand);
        const text = escapeLike(asciiLower(e.value));
        const pattern = e.fn === 'startswith' ? `${text}%` : e.fn === 'endswith' ? `%${text}` : `%${text}%`;
        const folded = this.fns.foldCase(value.raw);
        if (e.fn !== 'startswith' || e.value === '')
          return this.guard(e.operand, value, `${folded} LIKE ${this.param(pattern)} ESCAPE '\\'`, negated);
        // A prefix is also a range in byte order, which an index on the folded column can seek
        // (LIKE alone is a scan); LIKE stays for exactness. Parameters are numbered in SQL order.
        const prefix = asciiLower(e.value);
        const range = `${folded} >= ${this.param(prefix)} AND ${folded} < ${this.param(`${prefix}\u{10FFFF}`)}`;
        return this.guard(
          e.operand,
          value,
          `(${range} AND ${folded} LIKE ${this.param(pattern)} ESCAPE '\\')`,
          negated,
        );
      }
      case 'lambda':
        return this.lambda(e);
    }
  }

  private compare(op: CompareOp, operand: BoundOperand, literal: BoundValue, negated: boolean): string {
    const value = this.value(operand);
    if (literal === null) return op === 'eq' ? `${value.raw} IS NULL` : `${value.raw} IS NOT NULL`;
    const param = this.param(parameter(operand.type.kind, literal));
    if (op === 'ne')
      return operand.nullable ? `(${value.raw} IS NULL OR ${value.cmp} <> ${param})` : `${value.cmp} <> ${param}`;
    return this.guard(operand, value, `${value.cmp} ${SQL_OP[op]} ${param}`, negated);
  }

  private lambda(e: Extract<BoundExpr, { kind: 'lambda' }>): string {
    const alias = `lambda_${++this.aliases}`;
    const { doc, path } = this.documentOf(e.collection);
    const from = this.fns.arrayElements(doc, path, alias, e.collection.type.kind === 'complex' ? 'object' : 'scalar');
    if (e.variable === undefined || e.body === undefined) return `EXISTS (SELECT 1 FROM ${from})`;
    this.lambdas.set(e.variable, { alias });
    // Each item a lambda visits checks the statement's deadline (SQLite: see query-deadline.ts).
    const live = this.fns.itemLiveCheck ? `${this.fns.itemLiveCheck(alias)} AND ` : '';
    try {
      // EXISTS is two-valued: the body starts afresh, outside any enclosing negation.
      if (e.quantifier === 'any') return `EXISTS (SELECT 1 FROM ${from} WHERE ${live}${this.expr(e.body, false)})`;
      return `NOT EXISTS (SELECT 1 FROM ${from} WHERE ${live}NOT (${this.expr(e.body, true)}))`;
    } finally {
      this.lambdas.delete(e.variable);
    }
  }
}

/**
 * The SQL condition of a bound filter over `table`, with `?` placeholders and their parameters
 * in order. Column references are qualified (`connectors.machine_name`).
 */
export function filterToSql(
  bound: BoundFilter,
  table: TableMapping,
  dialect: Pick<Dialect, 'functions'>,
  options: SqlOptions = {},
): Condition {
  if (
    bound.type !== table.type &&
    !table.type.isAssignableFrom(bound.type) &&
    !bound.type.isAssignableFrom(table.type)
  ) {
    throw new Error(
      `query: a filter on ${bound.type.qualifiedName} cannot run against table ${table.table} (${table.type.qualifiedName})`,
    );
  }
  const translator = new Translator(table, dialect.functions, qualifierFor(table, options));
  const sql = translator.expr(bound.expression, false);
  return { sql, params: translator.params };
}
