import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatabaseFileError } from './database-file.js';
import { DATABASE_FILE, openStore } from './open.js';
import { onPremises } from '../family/on-premises/on-premises.js';

/** A data folder holding `content` as its database file. */
function folderWith(content: Buffer): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'localgraph-dbfile-'));
  const file = join(dir, DATABASE_FILE);
  writeFileSync(file, content);
  return { dir, file };
}

async function refused(content: Buffer, message: RegExp): Promise<void> {
  const { dir, file } = folderWith(content);
  try {
    await assert.rejects(openStore({ kind: 'folder', dir }, onPremises), (error: unknown) => {
      assert.ok(error instanceof DatabaseFileError, String(error));
      assert.match(error.message, message);
      assert.ok(error.message.includes(file), 'names the file');
      return true;
    });
    assert.deepEqual(readFileSync(file), content, 'the file is left as it was');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an empty database file is refused, not taken for a new database', async () => {
  await refused(Buffer.alloc(0), /is empty \(0 bytes\).*leaves it alone.*Restore it from a backup, or delete it/);
});

test('a file that is not a database is refused, untouched', async () => {
  await refused(
    Buffer.from('{"tenants": []}\n'.repeat(300)),
    /is not a SQLite database, or is damaged \(it does not start with the SQLite header\).*untouched/,
  );
});

test('a damaged database (a valid header, garbage after it) is refused with what SQLite says, untouched', async () => {
  const content = Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(8192, 0xa5)]);
  await refused(content, /is not a SQLite database, or is damaged \(SQLite says: .+\).*untouched/);
});

test('a missing database file is created, and opens again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'localgraph-dbfile-'));
  try {
    await (await openStore({ kind: 'folder', dir }, onPremises)).close();
    await (await openStore({ kind: 'folder', dir }, onPremises)).close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
