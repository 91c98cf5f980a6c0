import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isQueryTimeout, liveCheck } from './query-deadline.js';
import { SqliteDatabase, type SqliteOptions } from './sqlite.js';

const WAL_HEADER = 32;
const FRAME_HEADER = 24;

/**
 * Frames in the write-ahead log: each commit appends every page it changed, so N separate
 * commits of one row into a one-page table write N frames, and one shared commit writes one.
 */
async function walFrames(db: SqliteDatabase, file: string): Promise<number> {
  const page = (await db.get<{ page_size: number }>('PRAGMA page_size'))!.page_size;
  return (statSync(`${file}-wal`).size - WAL_HEADER) / (FRAME_HEADER + page);
}

/**
 * Calls `write` from `count` separate callbacks of one event-loop turn, as requests arriving
 * together are (immediates queued now all run in the same check phase; timers could straddle a
 * millisecond and land in two turns).
 */
function fromSeparateCallbacks<T>(count: number, write: (i: number) => Promise<T>): Promise<T[]> {
  return Promise.all(
    Array.from(
      { length: count },
      (_, i) => new Promise<T>((resolve, reject) => setImmediate(() => write(i).then(resolve, reject))),
    ),
  );
}

async function withDatabase(
  work: (db: SqliteDatabase, file: string) => Promise<void>,
  options?: SqliteOptions,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'localgraph-sqlite-'));
  const file = join(dir, 'test.db');
  const db = new SqliteDatabase(file, options);
  try {
    await db.exec(`PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE)`);
    await work(db, file);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The frames one commit of one row appends (a page of the table and one of its unique index). */
async function framesOfOneCommit(db: SqliteDatabase, file: string): Promise<number> {
  const before = await walFrames(db, file);
  await db.run('INSERT INTO t (id, v) VALUES (?, ?)', [1000, 'first']);
  return (await walFrames(db, file)) - before;
}

test('writes issued during one event-loop turn share one commit, and each hears back after it', async () => {
  await withDatabase(async (db, file) => {
    const perCommit = await framesOfOneCommit(db, file);
    const before = await walFrames(db, file);
    const results = await fromSeparateCallbacks(20, (i) => db.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `v${i}`]));
    assert.deepEqual(
      results,
      Array.from({ length: 20 }, () => ({ changes: 1 })),
    );
    assert.equal((await walFrames(db, file)) - before, perCommit, 'twenty rows in the same pages, one commit');
    assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 21);
  });
});

test('writes in different turns commit separately', async () => {
  await withDatabase(async (db, file) => {
    const perCommit = await framesOfOneCommit(db, file);
    const before = await walFrames(db, file);
    for (let i = 0; i < 3; i++) await db.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `v${i}`]);
    assert.equal((await walFrames(db, file)) - before, 3 * perCommit);
  });
});

test('a failing write in a shared commit fails alone; the others commit', async () => {
  await withDatabase(async (db) => {
    await db.run('INSERT INTO t (id, v) VALUES (?, ?)', [100, 'taken']);
    const outcomes = await fromSeparateCallbacks(5, (i) =>
      db.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, i === 2 ? 'taken' : `v${i}`]).then(
        () => 'ok',
        (error: unknown) => (error as { code?: string }).code,
      ),
    );
    assert.deepEqual(outcomes, ['ok', 'ok', 'SQLITE_CONSTRAINT_UNIQUE', 'ok', 'ok']);
    const ids = await db.all<{ id: number }>('SELECT id FROM t ORDER BY id');
    assert.deepEqual(
      ids.map((r) => r.id),
      [0, 1, 3, 4, 100],
    );
  });
});

test('transactions issued during one turn share one commit; one that throws is undone alone', async () => {
  await withDatabase(async (db, file) => {
    const perCommit = await framesOfOneCommit(db, file);
    const before = await walFrames(db, file);
    const outcomes = await fromSeparateCallbacks(6, (i) =>
      db
        .transaction(async (tx) => {
          await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `a${i}`]);
          await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [100 + i, `b${i}`]);
          if (i === 3) throw new Error('changed its mind');
          return (await tx.get<{ n: number }>('SELECT COUNT(*) AS n FROM t WHERE id IN (?, ?)', [i, 100 + i]))!.n;
        })
        .then(
          (n) => `saw ${n}`,
          (error: Error) => error.message,
        ),
    );
    assert.deepEqual(outcomes, ['saw 2', 'saw 2', 'saw 2', 'changed its mind', 'saw 2', 'saw 2']);
    assert.equal((await walFrames(db, file)) - before, perCommit, 'one commit');
    const ids = await db.all<{ id: number }>('SELECT id FROM t WHERE id < 1000 ORDER BY id');
    assert.deepEqual(
      ids.map((r) => r.id),
      [0, 1, 2, 4, 5, 100, 101, 102, 104, 105],
    );
  });
});

test('a batch that fails to commit fails every piece of work in it, and keeps none of them', async () => {
  await withDatabase(async (db) => {
    await db.exec(
      'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
    );
    // A deferred foreign key is checked at COMMIT: the orphan makes the whole batch's commit fail.
    const outcomes = await fromSeparateCallbacks(3, (i) =>
      (i === 1
        ? db.run('INSERT INTO child (id, parent_id) VALUES (1, 42)')
        : db.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, `v${i}`])
      ).then(
        () => 'ok',
        (error: { code?: string }) => error.code,
      ),
    );
    assert.deepEqual(outcomes, [
      'SQLITE_CONSTRAINT_FOREIGNKEY',
      'SQLITE_CONSTRAINT_FOREIGNKEY',
      'SQLITE_CONSTRAINT_FOREIGNKEY',
    ]);
    assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM t'))?.n, 0);
    assert.equal((await db.get<{ n: number }>('SELECT COUNT(*) AS n FROM child'))?.n, 0);
    // And the connection is usable afterwards.
    assert.deepEqual(await db.run('INSERT INTO t (id, v) VALUES (?, ?)', [9, 'v9']), { changes: 1 });
  });
});

/** A read that would count to a billion, a row at a time, checking its deadline at each row. */
const ENDLESS_READ = `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000 AND ${liveCheck('x')}) SELECT COUNT(*) AS n FROM c`;

test('a read past its deadline is stopped off the event loop, while other reads and timers go on', async () => {
  await withDatabase(
    async (db) => {
      await db.run('INSERT INTO t (id, v) VALUES (1, ?)', ['one']);
      const order: string[] = [];
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const slow = db.get(ENDLESS_READ).then(
        () => order.push('slow answered'),
        (error: unknown) =>
          order.push(isQueryTimeout(error) ? 'slow stopped at its deadline' : `slow failed: ${String(error)}`),
      );
      // Issued after the slow read, answered before it: the slow one holds one reader thread only.
      const fast = await db.get<{ v: string }>('SELECT v FROM t WHERE id = 1');
      order.push(`fast read ${fast?.v}`);
      await slow;
      clearInterval(ticker);
      assert.deepEqual(order, ['fast read one', 'slow stopped at its deadline']);
      assert.ok(ticks > 0, 'the event loop kept turning while the slow read ran');
      // The reader that was stopped serves again.
      assert.deepEqual(await db.all('SELECT v FROM t'), [{ v: 'one' }]);
    },
    { statementTimeoutMs: 300, readers: 2 },
  );
});

test('an in-memory database stops a read at its deadline too, on its one connection', async () => {
  const db = new SqliteDatabase(':memory:', { statementTimeoutMs: 100 });
  try {
    await assert.rejects(db.get(ENDLESS_READ), (error) => isQueryTimeout(error));
    assert.deepEqual(await db.get('SELECT 1 AS ok'), { ok: 1 });
  } finally {
    await db.close();
  }
});

test('a transaction statement past its deadline fails that piece of work alone', async () => {
  await withDatabase(
    async (db) => {
      const outcome = await db
        .transaction(async (tx) => tx.get(ENDLESS_READ))
        .then(
          () => 'answered',
          (error: unknown) => (isQueryTimeout(error) ? 'stopped' : String(error)),
        );
      assert.equal(outcome, 'stopped');
      assert.deepEqual(await db.run('INSERT INTO t (id, v) VALUES (2, ?)', ['two']), { changes: 1 });
    },
    { statementTimeoutMs: 100 },
  );
});
