import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { narrowedWarning, secureDataFolder } from './data-permissions.js';

const mode = (path: string) => statSync(path).mode & 0o777;
const posix = process.platform !== 'win32';

test('a new data folder is made 0700', { skip: !posix && 'no POSIX modes' }, () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'lg-perm-')), 'data');
  assert.deepEqual(secureDataFolder(dir), []);
  assert.equal(mode(dir), 0o700);
});

test('an open folder and its files are narrowed to 0700 and 0600, and each is named', {
  skip: !posix && 'no POSIX modes',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-perm-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'localgraph.db'), 'x', { mode: 0o644 });
  writeFileSync(join(dir, 'already-private'), 'x', { mode: 0o600 });
  mkdirSync(join(dir, 'tls'), { mode: 0o755 });
  writeFileSync(join(dir, 'tls', 'key.pem'), 'x', { mode: 0o640 });
  const narrowed = secureDataFolder(dir);
  assert.deepEqual(
    narrowed.map((n) => [n.path.slice(dir.length), n.was.toString(8)]).sort(),
    [
      ['', '755'],
      ['/localgraph.db', '644'],
      ['/tls', '755'],
      ['/tls/key.pem', '640'],
    ].sort(),
  );
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'localgraph.db')), 0o600);
  assert.equal(mode(join(dir, 'tls')), 0o700);
  assert.equal(mode(join(dir, 'tls', 'key.pem')), 0o600);
  assert.match(narrowedWarning(dir, narrowed), /localgraph\.db \(was 0644, now 0600\)/);
  assert.deepEqual(secureDataFolder(dir), [], 'nothing to do the second time');
});

test("only what is localgraph's is narrowed: a folder pointed at by mistake keeps its other files", {
  skip: !posix && 'no POSIX modes',
}, () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-perm-'));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'notes.txt'), 'x', { mode: 0o644 });
  mkdirSync(join(dir, 'src'), { mode: 0o755 });
  assert.deepEqual(secureDataFolder(dir), [], "no database here: nothing is localgraph's yet");
  assert.equal(mode(dir), 0o755);
  writeFileSync(join(dir, 'localgraph.db'), 'x', { mode: 0o644 });
  secureDataFolder(dir);
  assert.equal(mode(dir), 0o700);
  assert.equal(mode(join(dir, 'localgraph.db')), 0o600);
  assert.equal(mode(join(dir, 'notes.txt')), 0o644);
  assert.equal(mode(join(dir, 'src')), 0o755);
});
