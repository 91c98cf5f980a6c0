// Runs every compiled test file (unit tests beside the code, end-to-end tests under test/) with
// node's own test runner, on SQLite; then the storage-agnostic end-to-end files again on
// PostgreSQL (LOCALGRAPH_TEST_BACKEND=postgres: a fresh schema per server). PostgreSQL is
// required under CI (CI=true); elsewhere its pass is skipped, saying why, when it is unreachable.
// Node 20's `--test` takes no globs, so the files are listed here. Arguments filter by path.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

/** End-to-end files whose behaviour does not depend on where data is kept (no data-folder checks). */
const POSTGRES_PASS = ['connectors', 'tutorial', 'family-profiles', 'family-connector-groups', 'family-agents', 'kiota'].map((n) => `dist/test/${n}.e2e.test.js`);
const DATABASE_URL = process.env.LOCALGRAPH_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return find(path);
    return e.name.endsWith('.test.js') ? [path] : [];
  });
}

function run(files, env = {}) {
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status ?? 1;
}

const only = process.argv.slice(2);
const selected = (f) => only.length === 0 || only.some((o) => f.includes(o));
const files = ['dist/src', 'dist/test']
  .flatMap((d) => { try { return find(d); } catch { return []; } })
  .filter(selected)
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/');
  process.exit(1);
}
let status = run(files);

const postgresFiles = POSTGRES_PASS.filter(selected);
if (postgresFiles.length > 0) {
  const probe = spawnSync('psql', [DATABASE_URL, '-qAtc', 'SELECT 1'], { encoding: 'utf8', timeout: 10_000 });
  const reachable = probe.status === 0 && probe.stdout.trim() === '1';
  if (reachable) {
    console.log(`\nrun-tests: the end-to-end files again on PostgreSQL (${DATABASE_URL})`);
    status = run(postgresFiles, { LOCALGRAPH_TEST_BACKEND: 'postgres' }) || status;
  } else if (process.env.CI === 'true') {
    console.error(`run-tests: PostgreSQL is required under CI but not reachable at ${DATABASE_URL}: ${(probe.stderr || probe.error?.message || '').trim()}`);
    status = 1;
  } else {
    console.log(`run-tests: skipping the PostgreSQL pass: not reachable at ${DATABASE_URL} (set LOCALGRAPH_TEST_DATABASE_URL; CI requires it)`);
  }
}
process.exit(status);
