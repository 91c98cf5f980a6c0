// Runs every compiled test file with node's own test runner: the unit tests beside the code
// (src/, bench/) once, and the end-to-end suite under test/ once per storage backend
// (test/helpers/backend.ts):
//   sqlite    a data folder per server (with the unit tests, output as it comes)
//   memory    --in-memory             } side by side, each pass's output printed when it ends
//   postgres  a fresh schema per server }
// PostgreSQL is required under CI (CI=true); elsewhere its pass is skipped, saying why, when the
// database is unreachable. Node 20's `--test` takes no globs, so the files are listed here.
// Arguments filter by path.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
// Compiled by `tsc` before this runs: the suite's own idea of the test database.
import { postgresProblem, TEST_DATABASE_URL } from '../dist/test/helpers/backend.js';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return find(path);
    return e.name.endsWith('.test.js') ? [path] : [];
  });
}

/** Runs node --test over `files` on `backend`; resolves with its exit status and, when captured, its output. */
function run(files, backend, capture) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], {
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, LOCALGRAPH_TEST_BACKEND: backend },
    });
    let output = '';
    if (capture) {
      child.stdout.setEncoding('utf8').on('data', (d) => (output += d));
      child.stderr.setEncoding('utf8').on('data', (d) => (output += d));
    }
    child.on('close', (code) => resolve({ backend, status: code ?? 1, output }));
  });
}

const only = process.argv.slice(2);
const selected = (f) => only.length === 0 || only.some((o) => f.includes(o));
const files = ['dist/src', 'dist/bench', 'dist/test']
  .flatMap((d) => { try { return find(d); } catch { return []; } })
  .filter(selected)
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/');
  process.exit(1);
}
const endToEnd = files.filter((f) => f.startsWith('dist/test/'));
const results = [await run(files, 'sqlite', false)];

if (endToEnd.length > 0) {
  const passes = ['memory'];
  const problem = postgresProblem();
  if (problem === undefined) passes.push('postgres');
  else if (process.env.CI === 'true') {
    console.error(`run-tests: PostgreSQL is required under CI but not reachable at ${TEST_DATABASE_URL}: ${problem}`);
    results.push({ backend: 'postgres', status: 1 });
  } else {
    console.log(`run-tests: skipping the PostgreSQL pass: not reachable at ${TEST_DATABASE_URL} (set LOCALGRAPH_TEST_DATABASE_URL; CI requires it)`);
  }
  console.log(`\nrun-tests: the end-to-end suite again, ${passes.join(' and ')} side by side${passes.includes('postgres') ? ` (${TEST_DATABASE_URL})` : ''}`);
  for (const result of await Promise.all(passes.map((backend) => run(endToEnd, backend, true)))) {
    console.log(`\nrun-tests: ---- the ${result.backend} pass ----\n${result.output}`);
    results.push(result);
  }
}
console.log(`run-tests: ${results.map((r) => `${r.backend} ${r.status === 0 ? 'passed' : 'FAILED'}`).join(', ')}`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
