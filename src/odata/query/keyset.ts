import { createHash } from 'node:crypto';
import { errors } from '../../graph/errors.js';
import type { Dialect } from '../../store/dialect.js';
import type { Condition, Entity } from '../../store/store.js';
import type { TableMapping } from '../../store/table.js';
import type { BoundFilter } from './bound-filter.js';
import { printBound } from './bound-print.js';
import type { SqlOptions } from './filter-sql.js';
import { printOrderBy, type OrderKey } from './orderby.js';
import { asciiLower } from '../../store/sql-functions.js';

/**
 * Keyset paging over an arbitrary `$orderby`: the `$skiptoken` carries the sort-key values of the
 * last row served, and the next page is the rows that sort strictly after it. Because the
 * ordering always ends with `id`, the order is total, so a walk returns every row exactly once
 * even with duplicate keys, NULLs and mixed directions (rows inserted or deleted meanwhile
 * neither repeat nor shift others).
 *
 * Tokens are base64url JSON, versioned (`v: 2`; the id-only tokens of `odata/paging.ts` are
 * `v: 1`), bound to their query by a hash of the filter and ordering, and carry a checksum so
 * that an edited or truncated token is refused. The checksum is integrity, not secrecy: a client
 * that rebuilds a token can only choose where its own walk starts, since values are always bound
 * as parameters.
 */

export type CursorValue = string | number | boolean | null;

const VERSION = 2;
const MAX_TOKEN_LENGTH = 16384;

function invalidToken(): never {
  throw errors.invalidQueryOption('The $skiptoken is not valid. Use the @odata.nextLink of a previous page as it is.');
}

function digest(text: string, length: number): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, length);
}

/**
 * A hash of what a query selects and how it orders: the filter in canonical form, the sort keys,
 * and any `context` the caller adds (the collection's path, say). A token only pages the query
 * with the same hash.
 */
export function queryHash(filter: BoundFilter | undefined, orderKeys: readonly OrderKey[], context = ''): string {
  const filterText = filter ? `${filter.type.qualifiedName}:${printBound(filter.expression)}` : '';
  return digest(`${context}\n${filterText}\n${printOrderBy(orderKeys)}`, 22);
}

function checksum(hash: string, values: CursorValue[]): string {
  return digest(`localgraph-cursor:${VERSION}:${hash}:${JSON.stringify(values)}`, 16);
}

interface TokenBody {
  v: number;
  q: string;
  k: CursorValue[];
  s: string;
}

export function encodeCursor(values: CursorValue[], queryHash: string): string {
  const body: TokenBody = { v: VERSION, q: queryHash, k: values, s: checksum(queryHash, values) };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

function isCursorValue(value: unknown): value is CursorValue {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** The values a token carries; 400 when it is malformed, edited, or from another query. */
export function decodeCursor(token: string, queryHash: string): CursorValue[] {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token)) invalidToken();
  let body: TokenBody;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
  } catch {
    return invalidToken();
  }
  if (
    typeof body !== 'object' ||
    body === null ||
    body.v !== VERSION ||
    typeof body.q !== 'string' ||
    typeof body.s !== 'string'
  )
    invalidToken();
  if (!Array.isArray(body.k) || !body.k.every(isCursorValue)) invalidToken();
  if (body.s !== checksum(body.q, body.k)) invalidToken();
  if (body.q !== queryHash) {
    throw errors.invalidQueryOption(
      'The $skiptoken belongs to another query. Keep $filter and $orderby as they are in the @odata.nextLink, or start again without $skiptoken.',
    );
  }
  return body.k;
}

/** The sort-key values of a stored entity (model property names; complex values as objects). */
export function cursorValues(orderKeys: readonly OrderKey[], entity: Entity): CursorValue[] {
  return orderKeys.map((key) => {
    let value: unknown = entity;
    for (const name of key.path) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
      value = (value as Record<string, unknown>)[name];
    }
    return isCursorValue(value) ? value : null;
  });
}

/** A token value in the form the key's SQL expression takes; 400 when its type is wrong. */
function keyParameter(key: OrderKey, value: CursorValue): CursorValue {
  if (value === null) {
    if (key.tieBreaker) invalidToken();
    return null;
  }
  switch (key.kind) {
    case 'string':
      if (typeof value !== 'string') invalidToken();
      return asciiLower(value);
    case 'text':
      if (typeof value !== 'string') invalidToken();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') invalidToken();
      return value;
    case 'number':
      if (typeof value !== 'number') invalidToken();
      return value;
    case 'dateTimeOffset': {
      if (typeof value !== 'string') invalidToken();
      const time = Date.parse(/(Z|[+-]\d{2}:\d{2})$/i.test(value) ? value : `${value}Z`);
      // Text that is no date-time sorts as NULL in SQL too.
      return Number.isNaN(time) ? null : new Date(time).toISOString();
    }
    case 'enum': {
      if (typeof value !== 'string') invalidToken();
      // Stored text that is no member sorts as NULL (the CASE has no branch for it).
      return key.enumType!.decl.members.find((m) => m.name === value)?.value ?? null;
    }
  }
}

/** `ORDER BY` text (without the keywords) for the keys, the same on SQLite and PostgreSQL. */
export function orderBySql(
  orderKeys: readonly OrderKey[],
  table: TableMapping,
  dialect: Pick<Dialect, 'functions'>,
  options: SqlOptions = {},
): string {
  return orderKeys
    .map((key) => {
      const expression = key.expression(table, dialect, options);
      if (key.tieBreaker || !key.nullable) return `${expression} ${key.descending ? 'DESC' : 'ASC'}`;
      return key.descending ? `${expression} DESC NULLS LAST` : `${expression} ASC NULLS FIRST`;
    })
    .join(', ');
}

/**
 * The condition "sorts after the row with these key values" for the ordering `orderBySql`
 * produces: for keys k1…kn, the OR over i of (k1 = v1 AND … AND k(i-1) = v(i-1) AND ki after vi),
 * where "after" honours each key's direction and NULL placement (NULL first ascending, last
 * descending), and equality treats NULL = NULL as equal.
 */
export function afterCondition(
  orderKeys: readonly OrderKey[],
  values: readonly CursorValue[],
  table: TableMapping,
  dialect: Pick<Dialect, 'functions'>,
  options: SqlOptions = {},
): Condition {
  if (values.length !== orderKeys.length) invalidToken();
  const parameters = orderKeys.map((key, i) => keyParameter(key, values[i]));
  const expressions = orderKeys.map((key) => key.expression(table, dialect, options));
  const params: unknown[] = [];
  const disjuncts: string[] = [];
  for (let i = 0; i < orderKeys.length; i++) {
    const key = orderKeys[i];
    const value = parameters[i];
    const expression = expressions[i];
    // Rows after a NULL in a descending key (NULLs last) must differ in a later key.
    if (key.descending && value === null) continue;
    const parts: string[] = [];
    const partParams: unknown[] = [];
    for (let j = 0; j < i; j++) {
      if (parameters[j] === null) parts.push(`${expressions[j]} IS NULL`);
      else {
        parts.push(`${expressions[j]} = ?`);
        partParams.push(parameters[j]);
      }
    }
    if (value === null) parts.push(`${expression} IS NOT NULL`);
    else if (key.descending) {
      parts.push(key.tieBreaker ? `${expression} < ?` : `(${expression} < ? OR ${expression} IS NULL)`);
      partParams.push(value);
    } else {
      parts.push(`${expression} > ?`);
      partParams.push(value);
    }
    disjuncts.push(parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`);
    params.push(...partParams);
  }
  if (disjuncts.length === 0) return { sql: '1 = 0', params: [] };
  return { sql: disjuncts.length === 1 ? disjuncts[0] : `(${disjuncts.join(' OR ')})`, params };
}
