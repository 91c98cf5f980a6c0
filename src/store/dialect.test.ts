import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Dialect } from './dialect.js';
import { postgresDialect } from './postgres-dialect.js';
import { SqliteDatabase } from './sqlite.js';
import { sqliteDialect } from './sqlite-dialect.js';

const dialects: Dialect[] = [sqliteDialect, postgresDialect];

describe('one Dialect per database', () => {
  it('both offer the same SQL functions (the lambda deadline check is SQLite-only)', () => {
    const names = (d: Dialect) =>
      Object.keys(d.functions)
        .filter((n) => n !== 'itemLiveCheck')
        .sort();
    assert.deepEqual(names(postgresDialect), names(sqliteDialect));
    assert.equal(typeof sqliteDialect.functions.itemLiveCheck, 'function');
    assert.equal(postgresDialect.functions.itemLiveCheck, undefined);
  });

  it('fold case the way the indexes of migrations 4 and 5 were written', () => {
    assert.equal(sqliteDialect.functions.foldCase('machine_name'), 'lower(machine_name)');
    assert.equal(postgresDialect.functions.foldCase('machine_name'), 'lower(machine_name COLLATE "C")');
  });

  it('refuse JSON paths that are not plain identifiers', () => {
    for (const d of dialects)
      assert.throws(() => d.functions.jsonText('doc', ["a') OR 1=1 --"]), /unsafe JSON path segment/, d.name);
  });

  it('only PostgreSQL is shared by several instances, and only SQLite needs a deadline check in SQL', () => {
    assert.equal(postgresDialect.sharedByInstances, true);
    assert.equal(sqliteDialect.sharedByInstances, false);
    assert.equal(postgresDialect.liveCheck, undefined);
    assert.equal(typeof sqliteDialect.liveCheck, 'function');
  });

  it('read booleans back from what each stores', () => {
    assert.equal(sqliteDialect.readBoolean(1), true);
    assert.equal(sqliteDialect.readBoolean(0), false);
    assert.equal(sqliteDialect.readBoolean(null), null);
    assert.equal(postgresDialect.readBoolean(true), true);
    assert.equal(postgresDialect.readBoolean('t'), true);
    assert.equal(postgresDialect.readBoolean(false), false);
    assert.equal(postgresDialect.readBoolean(undefined), null);
  });
});

describe('SQLite error classification', () => {
  const err = (code: string) => Object.assign(new Error(code), { code });
  it('tells unique and foreign-key violations apart', () => {
    assert.equal(sqliteDialect.isUniqueViolation(err('SQLITE_CONSTRAINT_PRIMARYKEY')), true);
    assert.equal(sqliteDialect.isUniqueViolation(err('SQLITE_CONSTRAINT_UNIQUE')), true);
    assert.equal(sqliteDialect.isUniqueViolation(err('SQLITE_CONSTRAINT_FOREIGNKEY')), false);
    assert.equal(sqliteDialect.isForeignKeyViolation(err('SQLITE_CONSTRAINT_FOREIGNKEY')), true);
    assert.equal(sqliteDialect.isForeignKeyViolation(null), false);
  });

  it('is unavailable only when busy past its timeout; never asks for a retry nor refuses a value', () => {
    assert.equal(sqliteDialect.isUnavailable(err('SQLITE_BUSY')), true);
    assert.equal(sqliteDialect.isUnavailable(err('SQLITE_ERROR')), false);
    assert.equal(sqliteDialect.isRetryableConflict(err('SQLITE_BUSY')), false);
    assert.equal(sqliteDialect.isUnstorableValue(err('SQLITE_TOOBIG')), false);
  });

  it('classifies the errors a real database raises', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      await db.exec(
        'PRAGMA foreign_keys = ON; CREATE TABLE p (id TEXT PRIMARY KEY); CREATE TABLE c (id TEXT PRIMARY KEY, p TEXT REFERENCES p (id))',
      );
      await db.run('INSERT INTO p (id) VALUES (?)', ['a']);
      const duplicate = await db.run('INSERT INTO p (id) VALUES (?)', ['a']).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal(sqliteDialect.isUniqueViolation(duplicate), true);
      const dangling = await db.run('INSERT INTO c (id, p) VALUES (?, ?)', ['c', 'missing']).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.equal(sqliteDialect.isForeignKeyViolation(dangling), true);
      assert.equal(sqliteDialect.isUniqueViolation(dangling), false);
    } finally {
      await db.close();
    }
  });

  it('finds a dynamic property inside an open-properties column', async () => {
    const db = new SqliteDatabase(':memory:');
    try {
      await db.exec('CREATE TABLE t (id TEXT PRIMARY KEY, open_properties TEXT)');
      await db.run('INSERT INTO t VALUES (?, ?), (?, ?)', [
        'a',
        JSON.stringify({ uniqueName: 'one' }),
        'b',
        JSON.stringify({ uniqueName: 'two' }),
      ]);
      const where = sqliteDialect.openPropertyEquals('open_properties', 'uniqueName', 'two');
      assert.deepEqual(await db.all(`SELECT id FROM t WHERE ${where.sql}`, where.params), [{ id: 'b' }]);
    } finally {
      await db.close();
    }
  });
});

describe('PostgreSQL error classification', () => {
  it('tells unique and foreign-key violations apart by SQLSTATE', () => {
    assert.equal(postgresDialect.isUniqueViolation({ code: '23505' }), true);
    assert.equal(postgresDialect.isForeignKeyViolation({ code: '23503' }), true);
    assert.equal(postgresDialect.isUniqueViolation({ code: '23503' }), false);
  });

  it('retries serialisation failures and deadlocks only', () => {
    assert.equal(postgresDialect.isRetryableConflict({ code: '40001' }), true);
    assert.equal(postgresDialect.isRetryableConflict({ code: '40P01' }), true);
    assert.equal(postgresDialect.isRetryableConflict({ code: '23505' }), false);
    assert.equal(postgresDialect.isRetryableConflict(null), false);
  });

  it('tells values PostgreSQL cannot store (U+0000, an index entry too large) from other errors', () => {
    for (const code of ['22021', '22P05', '54000']) assert.equal(postgresDialect.isUnstorableValue({ code }), true);
    assert.equal(postgresDialect.isUnstorableValue({ code: '40001' }), false);
    assert.equal(postgresDialect.isUnstorableValue(undefined), false);
  });

  it('is unavailable when the connection is refused or lost, or the server shuts down', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', '08006', '57P01', '57P03'])
      assert.equal(postgresDialect.isUnavailable({ code }), true, code);
    assert.equal(postgresDialect.isUnavailable(new Error('Connection terminated unexpectedly')), true);
    for (const code of ['23505', '42P01', '57014']) assert.equal(postgresDialect.isUnavailable({ code }), false, code);
    assert.equal(postgresDialect.isUnavailable(new Error('syntax error')), false);
  });

  it('reads a dynamic property as text from the open-properties document, by a bound name', () => {
    assert.deepEqual(postgresDialect.openPropertyEquals('open_properties', 'uniqueName', 'two'), {
      sql: '(open_properties::jsonb ->> CAST(? AS text)) = ?',
      params: ['uniqueName', 'two'],
    });
  });
});
