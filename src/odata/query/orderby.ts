import { errors } from '../../graph/errors.js';
import type { EnumType, Model, StructuredType } from '../../model/model.js';
import type { Dialect } from '../../store/dialect.js';
import type { TableMapping } from '../../store/table.js';
import type { ScalarKind } from './bound-filter.js';
import { lex, quoteForMessage, type Token } from './filter-lexer.js';
import { entityValueSql, qualifierFor, type SqlOptions } from './filter-sql.js';
import { MAX_ORDERBY_KEYS, MAX_ORDERBY_LENGTH } from './limits.js';
import { resolvePropertyPath } from './property-path.js';

/**
 * `$orderby=p [asc|desc], q desc`: parsed, checked against the entity type, and turned into sort
 * keys that `keyset.ts` orders and pages by. Keywords and property names ignore case; nested
 * complex paths are allowed (`onPremisesPublishing/externalUrl`); collections, navigations and
 * complex values themselves are refused, as is naming a property twice.
 *
 * How keys sort, the same on SQLite and PostgreSQL:
 * - strings (and GUIDs) by their ASCII-lower-cased text in byte order, so case does not matter;
 * - dates and times of day by their text in byte order (stored fixed-width);
 * - date-times by their UTC instant;
 * - enums by their declared value (`active` 0 before `inactive` 1);
 * - booleans false before true; numbers numerically;
 * - NULL first in ascending order and last in descending order (SQLite's default; written out
 *   explicitly so PostgreSQL does the same).
 * Every ordering ends with the entity's `id` (byte order, ascending) as the final tie-breaker, so
 * the order is total and keyset paging is exact.
 */

export type OrderKeyKind = 'string' | 'text' | 'boolean' | 'number' | 'dateTimeOffset' | 'enum';

export interface OrderKey {
  /** Canonical property names from the entity: `['onPremisesPublishing', 'externalUrl']`. */
  path: string[];
  descending: boolean;
  kind: OrderKeyKind;
  /** Enum keys: the enum, whose declared values give the order. */
  enumType?: EnumType;
  /** The `id` key every ordering ends with. */
  tieBreaker: boolean;
  /**
   * Whether the key can be NULL. A non-nullable key is ordered without a NULLS clause, so that
   * PostgreSQL can read it from an index in order (its indexes put NULLs last ascending, where
   * localgraph orders them first, as SQLite does).
   */
  nullable: boolean;
  /** The key's SQL expression over `table` (column or JSON extraction, in comparable form); no parameters. */
  expression(table: TableMapping, dialect: Pick<Dialect, 'functions'>, options?: SqlOptions): string;
}

const MEMBER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keyKind(kind: ScalarKind): OrderKeyKind | undefined {
  switch (kind) {
    case 'string':
    case 'guid':
      return 'string';
    case 'date':
    case 'timeOfDay':
      return 'text';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'decimal':
      return 'number';
    case 'dateTimeOffset':
      return 'dateTimeOffset';
    case 'enum':
      return 'enum';
    default:
      return undefined;
  }
}

function makeKey(
  path: string[],
  kind: OrderKeyKind,
  scalar: ScalarKind,
  descending: boolean,
  tieBreaker: boolean,
  nullable: boolean,
  enumType?: EnumType,
): OrderKey {
  return {
    path,
    descending,
    kind,
    enumType,
    tieBreaker,
    nullable,
    expression(table, dialect, options) {
      const fns = dialect.functions;
      const qualifier = qualifierFor(table, options);
      if (tieBreaker) return fns.binaryText(`${qualifier}.${table.byProperty.get('id')?.column ?? 'id'}`);
      const value = entityValueSql(path, scalar, table, fns, qualifier);
      if (kind !== 'enum') return value.cmp;
      // Member names come from the model, never from the client, and are checked to be plain
      // identifiers; the values are the model's integers.
      const cases = enumType!.decl.members.map((m) => {
        if (!MEMBER.test(m.name) || !Number.isInteger(m.value))
          throw new Error(`query: unsafe enum member ${JSON.stringify(m.name)}`);
        return ` WHEN '${m.name}' THEN ${m.value}`;
      });
      return `(CASE ${value.raw}${cases.join('')} END)`;
    },
  };
}

/** The final tie-breaker: `id`, ascending, in byte order. */
export function idKey(): OrderKey {
  return makeKey(['id'], 'text', 'string', false, true, false);
}

function orderbyError(reason: string, pos: number): never {
  throw errors.invalidQueryOption(`Invalid $orderby clause: ${reason} at position ${pos}.`);
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'the end of the option' : quoteForMessage(token.text);
}

/**
 * The sort keys of `$orderby` (`undefined`: none given), always ending with the `id`
 * tie-breaker. Every refusal is a 400 `BadRequest`.
 */
export function parseOrderBy(text: string | undefined, type: StructuredType, model: Model): OrderKey[] {
  if (text === undefined) return [idKey()];
  if (text.length > MAX_ORDERBY_LENGTH) {
    throw errors.invalidQueryOption(
      `Invalid $orderby clause: the option is ${text.length} characters long, more than the limit of ${MAX_ORDERBY_LENGTH}.`,
    );
  }
  const tokens = lex(text, orderbyError);
  let i = 0;
  const keys: OrderKey[] = [];
  const seen = new Set<string>();
  if (tokens[0].kind === 'end') orderbyError('the option is empty', 0);
  for (;;) {
    const start = tokens[i];
    const segments: string[] = [];
    for (;;) {
      const token = tokens[i];
      if (token.kind !== 'identifier' || String(token.value).includes('.') || String(token.value).startsWith('$')) {
        orderbyError(`expected a property name but found ${describe(token)}`, token.pos);
      }
      segments.push(String(token.value));
      i++;
      if (tokens[i].kind !== '/') break;
      i++;
    }
    if (tokens[i].kind === '(')
      orderbyError(
        `functions and lambdas such as ${quoteForMessage(`${segments.join('/')}(`)} are not supported in $orderby`,
        tokens[i].pos,
      );
    let descending = false;
    const direction = tokens[i].kind === 'identifier' ? String(tokens[i].value).toLowerCase() : undefined;
    if (direction === 'asc' || direction === 'desc') {
      descending = direction === 'desc';
      i++;
    }
    const operand = resolvePropertyPath(model, type, segments, { option: '$orderby' });
    const display = operand.display;
    if (operand.collection)
      throw errors.invalidQueryOption(`Property '${display}' is a collection and cannot be used in $orderby.`);
    if (operand.type.kind === 'complex') {
      throw errors.invalidQueryOption(
        `Property '${display}' is of complex type '${operand.type.edmType}' and cannot be used in $orderby; order by one of its properties, as in '${display}/<property>'.`,
      );
    }
    const kind = keyKind(operand.type.kind);
    if (!kind)
      throw errors.invalidQueryOption(
        `Property '${display}' of type '${operand.type.edmType}' cannot be used in $orderby.`,
      );
    const canonical = operand.path.join('/');
    if (seen.has(canonical))
      throw errors.invalidQueryOption(`Property '${display}' appears more than once in $orderby.`);
    seen.add(canonical);
    // An enum key is a CASE over the members: text that is no member sorts as NULL.
    keys.push(
      makeKey(
        operand.path,
        kind,
        operand.type.kind,
        descending,
        false,
        operand.nullable || kind === 'enum' || kind === 'dateTimeOffset',
        operand.type.enumType,
      ),
    );
    if (keys.length > MAX_ORDERBY_KEYS)
      throw errors.invalidQueryOption(`Invalid $orderby clause: more than ${MAX_ORDERBY_KEYS} properties, the limit.`);
    const after = tokens[i];
    if (after.kind === 'end') break;
    if (after.kind !== ',') {
      orderbyError(
        `expected ',', 'asc', 'desc' or the end after '${segments.join('/')}' (at position ${start.pos}) but found ${describe(after)}`,
        after.pos,
      );
    }
    i++;
  }
  keys.push(idKey());
  return keys;
}

/** A compact description of the keys, for tests and the query hash: `machineName desc,id`. */
export function printOrderBy(keys: readonly OrderKey[]): string {
  return keys.map((k) => `${k.path.join('/')}${k.descending ? ' desc' : ''}`).join(',');
}
