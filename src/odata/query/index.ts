import type { Model, StructuredType } from '../../model/model.js';
import type { BoundFilter } from './bound-filter.js';
import { bindFilter } from './filter-binder.js';
import { parseFilterExpression } from './filter-parser.js';
import type { FilterLimits } from './limits.js';

/**
 * `$filter`, `$orderby` and keyset paging for SQL-stored entities. Pure: no I/O, no state.
 *
 *   const filter = text ? parseFilter(text, type, model) : undefined;     // 400 on any error
 *   const keys = parseOrderBy(orderbyText, type, model);                   // always ends with id
 *   const hash = queryHash(filter, keys, collectionPath);
 *   const where = [filter && filterToSql(filter, table, dialect),
 *                  token && afterCondition(keys, decodeCursor(token, hash), table, dialect)];
 *   SELECT … FROM <table> WHERE <scope> AND (<where…>) ORDER BY <orderBySql(keys, table, dialect)> LIMIT ?
 *   nextToken = encodeCursor(cursorValues(keys, lastEntityOfPage), hash);
 */

/** Parses and type-checks `$filter` text (URL-decoded) against the entity type it filters. */
export function parseFilter(
  text: string,
  type: StructuredType,
  model: Model,
  limits?: Partial<FilterLimits>,
): BoundFilter {
  return bindFilter(parseFilterExpression(text, limits), type, model);
}

export type { BoundExpr, BoundFilter, BoundOperand, BoundValue, ScalarKind, ValueType } from './bound-filter.js';
export { printBound } from './bound-print.js';
export { bindFilter } from './filter-binder.js';
export type { FilterNode } from './filter-ast.js';
export { printFilter } from './filter-ast.js';
export { parseFilterExpression } from './filter-parser.js';
export { filterToSql, type SqlOptions } from './filter-sql.js';
export { parseOrderBy, printOrderBy, type OrderKey, type OrderKeyKind } from './orderby.js';
export {
  afterCondition,
  cursorValues,
  decodeCursor,
  encodeCursor,
  orderBySql,
  queryHash,
  type CursorValue,
} from './keyset.js';
export {
  FILTER_LIMITS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  MAX_FILTER_NODES,
  MAX_ORDERBY_KEYS,
  MAX_ORDERBY_LENGTH,
  type FilterLimits,
} from './limits.js';
