import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomUUID } from 'node:crypto';
import {
  conflictBackoffMs,
  MAX_NAMED_STATEMENTS,
  numberPlaceholders,
  PostgresDatabase,
  StatementNames,
} from './postgres.js';
import { postgresTarget } from './open.js';

describe('PostgreSQL driver helpers', () => {
  it('numbers ? placeholders outside quoted text', () => {
    assert.equal(
      numberPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?"),
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2",
    );
  });

  it('backs off exponentially with full jitter, capped at 1 s a wait', () => {
    assert.equal(conflictBackoffMs(1, 1), 8);
    assert.equal(conflictBackoffMs(4, 1), 64);
    assert.equal(conflictBackoffMs(7, 1), 512);
    assert.equal(conflictBackoffMs(8, 1), 1000);
    assert.equal(conflictBackoffMs(15, 1), 1000);
    assert.equal(conflictBackoffMs(11, 0), 0);
    assert.equal(conflictBackoffMs(3, 0.5), 16);
  });
});

describe('named prepared statements', () => {
  it('one name per SQL text, PostgreSQL placeholders; texts past the cap run unnamed', () => {
    const names = new StatementNames();
    const first = names.of('SELECT * FROM t WHERE a = ?');
    assert.deepEqual(first, { name: 'lg_1', text: 'SELECT * FROM t WHERE a = $1' });
    assert.equal(names.of('SELECT * FROM t WHERE a = ?'), first, 'the same text keeps its name');
    assert.equal(names.of('SELECT 2').name, 'lg_2');
    for (let i = 3; i <= MAX_NAMED_STATEMENTS; i++) names.of(`SELECT ${i}`);
    assert.deepEqual(names.of('SELECT ? + 1'), { text: 'SELECT $1 + 1' });
    assert.equal(names.of(`SELECT ${MAX_NAMED_STATEMENTS}`).name, `lg_${MAX_NAMED_STATEMENTS}`);
  });

  it("the store's queries are prepared once per connection and reused (PostgreSQL)", async (t) => {
    const database = process.env.LOCALGRAPH_TEST_DATABASE_URL;
    if (!database) {
      if (process.env.CI === 'true')
        throw new Error('LOCALGRAPH_TEST_DATABASE_URL is required under CI (npm test sets it)');
      return t.skip('no LOCALGRAPH_TEST_DATABASE_URL (npm test provides one)');
    }
    const url = new URL(database);
    url.searchParams.set('schema', `lg_statements_${randomUUID().replace(/-/g, '').slice(0, 12)}`);
    const { connectionString, schema } = postgresTarget(url.href);
    const db = new PostgresDatabase({ connectionString, schema, poolSize: 1 });
    try {
      await db.prepare();
      for (let i = 0; i < 3; i++) assert.deepEqual(await db.all('SELECT ?::int + 1 AS n', [i]), [{ n: i + 1 }]);
      const prepared = await db.all<{ name: string; statement: string }>(
        'SELECT name, statement FROM pg_prepared_statements ORDER BY name',
      );
      assert.deepEqual(
        prepared.filter((p) => p.statement.includes('+ 1 AS n')),
        [{ name: 'lg_1', statement: 'SELECT $1::int + 1 AS n' }],
        'one statement, prepared once and used three times',
      );
    } finally {
      await db.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
      await db.close();
    }
  });
});
