import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BACKSTOP_PAGES, CHECKPOINT_EVERY_WRITES } from './sqlite-checkpointer.js';
import { SqliteDatabase } from './sqlite.js';

/** Polls `done` until it holds, for at most `limitMs` (a bound on a wait, not a timing assertion). */
async function eventually(done: () => boolean, limitMs = 20_000): Promise<boolean> {
  for (const start = Date.now(); Date.now() - start < limitMs; ) {
    if (done()) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return done();
}

test('commits leave checkpoints to the checkpoint thread: the log is copied into the database file without a COMMIT doing it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localgraph-checkpoint-'));
  const file = join(dir, 'test.db');
  const db = new SqliteDatabase(file);
  try {
    assert.equal(
      (await db.get<{ wal_autocheckpoint: number }>('PRAGMA wal_autocheckpoint'))?.wal_autocheckpoint,
      BACKSTOP_PAGES,
    );
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const before = statSync(file).size;
    // Each row on its own commit (awaited one by one), 1 kB each.
    for (let i = 0; i < CHECKPOINT_EVERY_WRITES; i++)
      await db.run('INSERT INTO t (id, v) VALUES (?, ?)', [i, 'x'.repeat(1000)]);
    assert.ok(
      await eventually(() => statSync(file).size > before + CHECKPOINT_EVERY_WRITES * 1000),
      'the checkpoint thread copied the rows into the database file',
    );
    // What the thread copied is what a fresh connection reads from the file and the log together.
    const reader = new Database(file, { readonly: true });
    try {
      assert.equal((reader.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n, CHECKPOINT_EVERY_WRITES);
    } finally {
      reader.close();
    }
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fewer writes than a checkpoint takes leave the database file as it was (the COMMIT no longer checkpoints at 1000 pages)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localgraph-checkpoint-'));
  const file = join(dir, 'test.db');
  const db = new SqliteDatabase(file);
  try {
    await db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const before = statSync(file).size;
    // About 1,500 pages of log in three writes (transactions): past SQLite's default automatic checkpoint (1000 pages).
    for (let i = 0; i < 3; i++) {
      await db.transaction(async (tx) => {
        for (let j = 0; j < 500; j++)
          await tx.run('INSERT INTO t (id, v) VALUES (?, ?)', [i * 500 + j, 'y'.repeat(3500)]);
      });
    }
    assert.equal(statSync(file).size, before);
  } finally {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
