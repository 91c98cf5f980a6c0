import assert from 'node:assert/strict';
import { GraphError } from '../../graph/errors.js';
import { familyModel } from '../../family/family.js';
import { onPremises, onPremisesTables } from '../../family/on-premises/on-premises.js';
import { migrateFamily } from '../../store/migrations.js';
import { SqliteDatabase } from '../../store/sqlite.js';
import { SqlStore } from '../../store/sql-store.js';
import type { Condition, Entity, Scope } from '../../store/store.js';
import type { TableMapping } from '../../store/table.js';

/**
 * Shared by the query tests (not used at run time): the family model, its tables, and an
 * in-memory SQLite database with the real migrations applied, in which the tests insert rows
 * through the real store and run the SQL the query module generates.
 */

export const model = familyModel(onPremises);
export const tables = onPremisesTables();
export const TENANT = 'tenant-1';
export const OTHER_TENANT = 'tenant-2';

export interface TestDb {
  db: SqliteDatabase;
  store: SqlStore;
  insert(table: TableMapping, scope: Scope, entity: Entity, hidden?: Record<string, unknown>): Promise<void>;
  /** Ids of the rows in scope matching `where`, in `orderBy` order (id order by default). */
  ids(table: TableMapping, scope: Scope, where?: Condition, orderBy?: string, limit?: number): Promise<string[]>;
  close(): Promise<void>;
}

export async function openTestDb(): Promise<TestDb> {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  return {
    db,
    store,
    async insert(table, scope, entity, hidden) {
      const result = await store.insert(table, scope, entity, { hidden });
      if (result !== 'inserted') throw new Error(`fixture row ${String(entity.id)} not inserted: ${result}`);
    },
    async ids(table, scope, where, orderBy, limit) {
      const scopeSql = ['tenant_id = ?', ...table.scopeColumns.map((c) => `${c} = ?`)].join(' AND ');
      const params: unknown[] = [scope.tenantId, ...(scope.parents ?? [])];
      let sql = `SELECT id FROM ${table.table} WHERE ${scopeSql}`;
      if (where) {
        sql += ` AND (${where.sql})`;
        params.push(...where.params);
      }
      sql += ` ORDER BY ${orderBy ?? 'id'}`;
      if (limit !== undefined) {
        sql += ' LIMIT ?';
        params.push(limit);
      }
      const rows = await db.all<{ id: string }>(sql, params);
      return rows.map((r) => r.id);
    },
    close: () => db.close(),
  };
}

/** An assert.throws matcher for a Graph 400 BadRequest with this message (or one matching it). */
export function badRequest(message: string | RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'BadRequest');
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}
