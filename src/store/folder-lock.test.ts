import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FolderLockedError, LOCK_FILE, lockFolder, processStart, readLock } from './folder-lock.js';

/** A live process that is not localgraph (its command line does not name it). */
let unrelated: ChildProcess;
let dir: string;

function lockWith(content: string): string {
  const path = join(dir, LOCK_FILE);
  writeFileSync(path, content);
  return path;
}

describe('the data folder lock', () => {
  before(() => {
    unrelated = spawn('sleep', ['60'], { stdio: 'ignore' });
  });
  after(() => {
    unrelated.kill('SIGKILL');
  });
  test.beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'localgraph-lock-'));
  });
  test.afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  test('records the holder: pid, start time and command line', () => {
    const unlock = lockFolder(dir);
    const holder = readLock(readFileSync(join(dir, LOCK_FILE), 'utf8'));
    assert.equal(holder?.pid, process.pid);
    assert.equal(holder?.start, processStart(process.pid));
    assert.ok(holder?.start, 'this platform has /proc');
    unlock();
  });

  test('a lock naming a live process that started at another time (a reused pid) is taken over', () => {
    lockWith(JSON.stringify({ pid: unrelated.pid, start: '1', command: 'node localgraph serve' }));
    lockFolder(dir)();
  });

  test('an older lock (a pid alone) naming a live process that is not localgraph is taken over', () => {
    lockWith(String(unrelated.pid));
    lockFolder(dir)();
  });

  test('a lock whose holder still runs (same pid, same start time) refuses the start', () => {
    lockWith(
      JSON.stringify({ pid: unrelated.pid, start: processStart(unrelated.pid!), command: 'node localgraph serve' }),
    );
    assert.throws(
      () => lockFolder(dir),
      (error: unknown) => error instanceof FolderLockedError && error.message.includes(`pid ${unrelated.pid}`),
    );
  });

  test('a folder this process holds refuses a second lock (two library servers) until released', () => {
    const unlock = lockFolder(dir);
    assert.throws(
      () => lockFolder(dir),
      (error: unknown) => error instanceof FolderLockedError && error.message.includes(`pid ${process.pid}`),
    );
    unlock();
    unlock();
    lockFolder(dir)();
  });

  test('a lock of a process that ended, or an unreadable lock, is taken over', () => {
    lockWith(JSON.stringify({ pid: 2 ** 22 + 17, start: '5' }));
    lockFolder(dir)();
    lockWith('garbage');
    lockFolder(dir)();
  });
});
