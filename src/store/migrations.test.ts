import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { onPremises, onPremisesTables } from '../family/on-premises/on-premises.js';
import { migrateFamily, familyMigrations, SchemaTooNewError } from './migrations.js';
import { SqliteDatabase } from './sqlite.js';
import { tableFor, type TableMapping } from './table.js';

const model = new Model(family);
const migrations = familyMigrations(onPremises);
const LATEST = migrations[migrations.length - 1].version;

interface ColumnInfo {
  name: string;
  type: string;
  notnull: number;
  pk: number;
}

async function fresh(): Promise<SqliteDatabase> {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises, () => new Date('2025-06-01T12:00:00Z'));
  return db;
}

async function tableNames(db: SqliteDatabase): Promise<string[]> {
  const rows = await db.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
  return rows.map((r) => r.name);
}

describe('migrate', () => {
  test('versions are increasing from 1', () => {
    assert.deepEqual(
      migrations.map((m) => m.version),
      migrations.map((_, i) => i + 1),
    );
  });

  test('a fresh database gets every version, recorded with its time', async () => {
    const db = await fresh();
    const rows = await db.all<{ version: number; description: string; applied_at: string }>(
      'SELECT * FROM localgraph_schema ORDER BY version',
    );
    assert.deepEqual(
      rows.map((r) => r.version),
      migrations.map((m) => m.version),
    );
    assert.deepEqual(
      rows.map((r) => r.description),
      migrations.map((m) => m.description),
    );
    assert.ok(rows.every((r) => r.applied_at === '2025-06-01T12:00:00.000Z'));
    for (const table of ['settings', 'tenants', 'signing_keys', 'connectors'])
      assert.ok((await tableNames(db)).includes(table), table);
  });

  test('migrating twice is idempotent', async () => {
    const db = new SqliteDatabase(':memory:');
    assert.equal(await migrateFamily(db, onPremises), LATEST);
    const before = await tableNames(db);
    await db.run("INSERT INTO settings (name, value) VALUES ('kept', 'yes')");
    assert.equal(await migrateFamily(db, onPremises), LATEST);
    assert.equal(await migrateFamily(db, onPremises), LATEST);
    assert.deepEqual(await tableNames(db), before);
    const versions = await db.all<{ version: number }>('SELECT version FROM localgraph_schema');
    assert.equal(versions.length, migrations.length, 'each version recorded once');
    assert.deepEqual(
      await db.get('SELECT value FROM settings WHERE name = ?', ['kept']),
      { value: 'yes' },
      'data survives',
    );
  });

  test('a database from a newer localgraph is refused with a clear message, untouched', async () => {
    const db = await fresh();
    const found = LATEST + 5;
    await db.run(
      "INSERT INTO localgraph_schema (version, description, applied_at) VALUES (?, 'from the future', '2030-01-01T00:00:00Z')",
      [found],
    );
    const error = await migrateFamily(db, onPremises).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof SchemaTooNewError, `expected SchemaTooNewError, got ${String(error)}`);
    assert.ok(error instanceof Error);
    assert.match(error.message, new RegExp(`schema version ${found}`));
    assert.match(error.message, new RegExp(`knows up to ${LATEST}`));
    assert.match(error.message, /newer localgraph/);
    assert.match(error.message, /Upgrade localgraph/);
    const rows = await db.all<{ version: number }>('SELECT version FROM localgraph_schema ORDER BY version');
    assert.deepEqual(
      rows.map((r) => r.version),
      [...migrations.map((m) => m.version), found],
    );
    // The connection is usable after the refusal (the transaction was rolled back).
    assert.deepEqual(await db.get('SELECT 1 AS one'), { one: 1 });
  });

  test('a failing migration leaves nothing behind', async () => {
    const db = new SqliteDatabase(':memory:');
    // A table named like one the first migration creates makes it fail halfway.
    await db.exec('CREATE TABLE connectors (x TEXT)');
    await assert.rejects(migrateFamily(db, onPremises), /already exists/);
    const tables = await tableNames(db);
    assert.ok(
      !tables.includes('localgraph_schema'),
      'no version was recorded: the version table itself was rolled back',
    );
    assert.ok(!tables.includes('settings'), 'statements before the failure were rolled back');
  });
});

describe('tables agree with the model', () => {
  async function columns(db: SqliteDatabase, table: string): Promise<ColumnInfo[]> {
    return db.all<ColumnInfo>(`PRAGMA table_info(${table})`);
  }
  async function foreignKeyColumns(db: SqliteDatabase, table: string): Promise<string[]> {
    const rows = await db.all<{ from: string }>(`PRAGMA foreign_key_list(${table})`);
    return rows.map((r) => r.from);
  }

  test('the connectors table has tenant_id, the model-derived columns, and its group reference', async () => {
    const db = await fresh();
    const mapping = tableFor('connectors', model.structured('microsoft.graph.connector'));
    const info = await columns(db, 'connectors');
    assert.deepEqual(
      mapping.columns.map((c) => c.column),
      ['id', 'external_ip', 'machine_name', 'status', 'version'],
    );
    const modelColumns = info
      .map((c) => c.name)
      .filter((n) => n !== 'tenant_id' && !['connector_group_id'].includes(n));
    assert.deepEqual(
      modelColumns,
      mapping.columns.map((c) => c.column),
    );
    assert.deepEqual(
      info
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name),
      ['tenant_id', 'id'],
    );
    // Every connector property is non-nullable in the model: every column is NOT NULL.
    assert.ok(
      info.every((c) => c.notnull === 1),
      JSON.stringify(info),
    );
  });

  const mappings = onPremisesTables();
  for (const [name, mapping] of Object.entries(mappings) as [string, TableMapping][]) {
    test(`${name} (${mapping.table}): columns, types, keys and nullability match the mapping`, async () => {
      const db = await fresh();
      const info = await columns(db, mapping.table);
      assert.ok(info.length > 0, `table ${mapping.table} exists`);
      const byName = new Map(info.map((c) => [c.name, c]));
      for (const column of mapping.columns) {
        const found = byName.get(column.column);
        assert.ok(found, `${mapping.table}.${column.column} exists`);
        const expected = column.kind === 'boolean' || column.kind === 'integer' ? 'INTEGER' : 'TEXT';
        assert.equal(found.type, expected, `${mapping.table}.${column.column} is ${expected}`);
        const property = mapping.type.properties.get(column.property)!;
        // A NOT NULL column must not hold a property clients may set to null.
        if (found.notnull)
          assert.ok(
            !property.nullable || property.readOnly,
            `${mapping.table}.${column.column} is NOT NULL but ${column.property} is nullable and writable`,
          );
      }
      // Nothing else but the tenant, the scope, the open-properties document and references.
      const allowed = new Set([
        'tenant_id',
        ...mapping.scopeColumns,
        ...(mapping.openColumn ? [mapping.openColumn] : []),
        ...(await foreignKeyColumns(db, mapping.table)),
      ]);
      const modelled = new Set(mapping.columns.map((c) => c.column));
      const unexplained = info.map((c) => c.name).filter((n) => !modelled.has(n) && !allowed.has(n));
      assert.deepEqual(unexplained, [], `${mapping.table} has columns nothing maps`);
      // Keys: tenant, then the parents, then id.
      assert.deepEqual(
        info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        ['tenant_id', ...mapping.scopeColumns, 'id'],
      );
    });
  }
});
