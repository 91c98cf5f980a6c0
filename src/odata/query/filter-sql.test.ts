import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Entity } from '../../store/store.js';
import type { TableMapping } from '../../store/table.js';
import type { BoundExpr, BoundOperand, BoundValue } from './bound-filter.js';
import { filterToSql } from './filter-sql.js';
import { parseFilter } from './index.js';
import { asciiLower } from '../../store/sql-functions.js';
import {
  combinationAtoms,
  combinations,
  filterCases,
  filterFixtures,
  filterScopes,
  seedFilterFixtures,
  type FilterKey,
} from './test-data.js';
import { model, openTestDb, tables, TENANT, type TestDb } from './test-fixtures.js';
import { postgresDialect } from '../../store/postgres-dialect.js';
import { sqliteDialect } from '../../store/sqlite-dialect.js';

/**
 * Runs the SQL generated for many filters on a real SQLite database (the real migrations, rows
 * inserted through the real store) and checks which rows match: against hand-written
 * expectations, and against a small reference evaluator of OData's semantics over the same
 * entities in JS.
 */

let t: TestDb;

before(async () => {
  t = await openTestDb();
  await seedFilterFixtures(t.insert);
});

after(async () => {
  await t.close();
});

async function run(key: FilterKey, text: string): Promise<string[]> {
  const table: TableMapping = tables[key];
  const bound = parseFilter(text, table.type, model);
  const where = filterToSql(bound, table, t.db.dialect);
  assert.equal((where.sql.match(/\?/g) ?? []).length, where.params.length, 'one parameter per placeholder');
  return t.ids(table, filterScopes[key], where);
}

// ---------------------------------------------------------------------------------------------
// A reference evaluator of OData's semantics over the JS entities, as Graph's directory applies
// them: strings compare ignoring (ASCII) case, null compares false except `ne` and `eq null`.

function read(entity: Entity, operand: BoundOperand, items: Map<string, unknown>): unknown {
  let value: unknown = operand.root === '$it' ? entity : items.get(operand.root);
  for (const name of operand.path)
    value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
  if (operand.count) return Array.isArray(value) ? value.length : 0;
  return value === undefined ? null : value;
}

function comparable(operand: BoundOperand, value: unknown): unknown {
  if (value === null) return null;
  switch (operand.type.kind) {
    case 'string':
    case 'guid':
      return asciiLower(String(value));
    case 'dateTimeOffset':
      return Date.parse(String(value));
    default:
      return value;
  }
}

function compareValues(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return (a as number) > (b as number);
    case 'ge':
      return (a as number) >= (b as number);
    case 'lt':
      return (a as number) < (b as number);
    default:
      return (a as number) <= (b as number);
  }
}

function evaluate(e: BoundExpr, entity: Entity, items = new Map<string, unknown>()): boolean {
  switch (e.kind) {
    case 'constant':
      return e.value;
    case 'and':
      return evaluate(e.left, entity, items) && evaluate(e.right, entity, items);
    case 'or':
      return evaluate(e.left, entity, items) || evaluate(e.right, entity, items);
    case 'not':
      return !evaluate(e.operand, entity, items);
    case 'compare': {
      const value = comparable(e.operand, read(entity, e.operand, items));
      if (e.value === null || value === null) {
        if (e.op === 'eq') return value === null && e.value === null;
        if (e.op === 'ne') return !(value === null && e.value === null);
        return false;
      }
      return compareValues(e.op, value, comparable(e.operand, e.value));
    }
    case 'in': {
      const value = comparable(e.operand, read(entity, e.operand, items));
      return e.values.some((v: BoundValue) =>
        v === null ? value === null : value !== null && value === comparable(e.operand, v),
      );
    }
    case 'has': {
      const value = read(entity, e.operand, items);
      return typeof value === 'string' && e.members.every((m) => value.split(',').includes(m));
    }
    case 'match': {
      const value = read(entity, e.operand, items);
      if (typeof value !== 'string') return false;
      const [text, part] = [asciiLower(value), asciiLower(e.value)];
      return e.fn === 'startswith'
        ? text.startsWith(part)
        : e.fn === 'endswith'
          ? text.endsWith(part)
          : text.includes(part);
    }
    case 'lambda': {
      const collection = read(entity, e.collection, items);
      const list = Array.isArray(collection) ? collection : [];
      if (e.body === undefined) return list.length > 0;
      const test = (item: unknown) => evaluate(e.body!, entity, new Map(items).set(e.variable!, item));
      return e.quantifier === 'any' ? list.some(test) : list.every(test);
    }
  }
}

function expected(key: FilterKey, text: string): string[] {
  const bound = parseFilter(text, tables[key].type, model);
  return filterFixtures[key]
    .filter((entity) => evaluate(bound.expression, entity))
    .map((entity) => String(entity.id))
    .sort();
}

// ---------------------------------------------------------------------------------------------

describe('filterToSql on SQLite: which rows match', () => {
  for (const [key, text, ids] of filterCases) {
    test(`${key}: ${text}`, async () => {
      const actual = await run(key, text);
      assert.deepEqual(actual, ids, 'hand-written expectation');
      assert.deepEqual(actual, expected(key, text), 'OData reference semantics');
    });
  }
});

describe('filterToSql on SQLite: combinations agree with the reference semantics', () => {
  for (const [key, atoms] of Object.entries(combinationAtoms) as [FilterKey, string[]][]) {
    const filters = combinations(atoms);
    test(`${key}: ${filters.length} combinations`, async () => {
      for (const text of filters) assert.deepEqual(await run(key, text), expected(key, text), text);
    });
  }
});

describe('filterToSql: SQL shape', () => {
  test('client values travel only as parameters', () => {
    const bound = parseFilter(
      "machineName eq 'x'' OR 1=1 --' or startswith(machineName, 'evil%_')",
      tables.connectors.type,
      model,
    );
    const where = filterToSql(bound, tables.connectors, sqliteDialect);
    assert.doesNotMatch(where.sql, /evil|OR 1=1/);
    // startswith also bounds the folded value as a range (for an index seek), then LIKE.
    assert.deepEqual(where.params, ["x' or 1=1 --", 'evil%_', 'evil%_\u{10FFFF}', 'evil\\%\\_%']);
  });

  test('columns come from the table mapping, qualified with the table name', () => {
    const bound = parseFilter("machineName eq 'x' and status eq 'active'", tables.connectors.type, model);
    assert.deepEqual(filterToSql(bound, tables.connectors, sqliteDialect), {
      sql: '(lower(connectors.machine_name) = ? AND connectors.status = ?)',
      params: ['x', 'active'],
    });
  });

  test('a qualifier (table alias) can be given', async () => {
    const bound = parseFilter("machineName eq 'connectora'", tables.connectors.type, model);
    const where = filterToSql(bound, tables.connectors, t.db.dialect, { qualifier: 'c' });
    assert.equal(where.sql, 'lower(c.machine_name) = ?');
    const rows = await t.db.all<{ id: string }>(
      `SELECT c.id FROM connectors AS c WHERE c.tenant_id = ? AND ${where.sql}`,
      [TENANT, ...where.params],
    );
    assert.deepEqual(
      rows.map((r) => r.id),
      ['c1'],
    );
    assert.throws(
      () => filterToSql(bound, tables.connectors, t.db.dialect, { qualifier: 'c; DROP' }),
      /invalid table qualifier/,
    );
  });

  test('the same filter on PostgreSQL uses its JSON operators and the C collation', () => {
    const bound = parseFilter(
      "onPremisesPublishing/externalUrl eq 'https://X' and onPremisesPublishing/isSecureCookieEnabled",
      tables.applications.type,
      model,
    );
    assert.deepEqual(filterToSql(bound, tables.applications, postgresDialect), {
      sql:
        '(lower(((applications.on_premises_publishing)::jsonb #>> \'{externalUrl}\') COLLATE "C") = ? AND ' +
        "CAST(((applications.on_premises_publishing)::jsonb #>> '{isSecureCookieEnabled}') AS boolean) = ?)",
      params: ['https://x', true],
    });
  });

  test('the condition works with the store (count and list)', async () => {
    const bound = parseFilter("status eq 'inactive'", tables.connectors.type, model);
    const where = filterToSql(bound, tables.connectors, t.db.dialect);
    assert.equal(await t.store.count(tables.connectors, filterScopes.connectors, where), 3);
    const listed = await t.store.list(tables.connectors, filterScopes.connectors, { top: 10, where });
    assert.deepEqual(
      listed.map((e) => e.id),
      ['c2', 'c4', 'c7'],
    );
  });

  test('a filter bound to one type cannot run against another table', () => {
    const bound = parseFilter("machineName eq 'x'", tables.connectors.type, model);
    assert.throws(() => filterToSql(bound, tables.agents, sqliteDialect), /cannot run against table agents/);
  });
});
