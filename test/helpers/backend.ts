/**
 * Which storage the end-to-end suite runs on. scripts/run-tests.mjs runs the suite once per
 * backend, naming it in LOCALGRAPH_TEST_BACKEND:
 *   sqlite    a data folder per server (the default)
 *   memory    `--in-memory`: nothing kept
 *   postgres  a fresh schema per server in LOCALGRAPH_TEST_DATABASE_URL (run-tests starts a
 *             throwaway PostgreSQL when it is unset), dropped at exit
 * `startServer()` without a storage option serves from the pass's backend, so every test that does
 * not care where data lives runs on all three with the same expectations. A test about one
 * storage (a data folder's lock, a restart on the same data, two instances on one database) says
 * so with `onlyOn` or `durable` and runs in the passes it belongs to, skipped with the reason
 * elsewhere.
 */
import { probeSync } from './postgres-admin.js';

export type TestBackend = 'sqlite' | 'memory' | 'postgres';

const BACKENDS: readonly TestBackend[] = ['sqlite', 'memory', 'postgres'];

function backendFrom(value: string | undefined): TestBackend {
  if (value === undefined || value === '') return 'sqlite';
  if (!(BACKENDS as readonly string[]).includes(value))
    throw new Error(`LOCALGRAPH_TEST_BACKEND must be one of ${BACKENDS.join(', ')}, not '${value}'`);
  return value as TestBackend;
}

export const TEST_BACKEND: TestBackend = backendFrom(process.env.LOCALGRAPH_TEST_BACKEND);
/**
 * The test database: LOCALGRAPH_TEST_DATABASE_URL, which scripts/run-tests.mjs sets to a
 * PostgreSQL of its own (test/helpers/throwaway-postgres.ts) when the caller named none.
 */
export const TEST_DATABASE_URL = process.env.LOCALGRAPH_TEST_DATABASE_URL ?? '';

let problem: string | null | undefined;

/** Why the test database cannot be used, or undefined when it answers. */
export function postgresProblem(): string | undefined {
  if (problem === undefined)
    problem =
      TEST_DATABASE_URL === '' ? 'LOCALGRAPH_TEST_DATABASE_URL is not set' : (probeSync(TEST_DATABASE_URL) ?? null);
  return problem ?? undefined;
}

type TestOptions = { skip?: string };

/**
 * node:test options for a test that belongs to one backend's pass: `{}` there, a skip with the
 * reason in the others. In the PostgreSQL pass, a missing database fails the test under CI
 * (`CI=true`) and skips it, saying why, elsewhere.
 */
export function onlyOn(backend: TestBackend, why: string): TestOptions {
  if (TEST_BACKEND !== backend) return { skip: `${why} (runs in the ${backend} pass)` };
  if (backend === 'postgres' && postgresProblem() !== undefined && process.env.CI !== 'true') {
    return {
      skip: `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set LOCALGRAPH_TEST_DATABASE_URL); CI runs this`,
    };
  }
  return {};
}

/** For a test that restarts a server on the same data or runs CLI commands beside it: skipped in the memory pass. */
export function durable(why = 'an in-memory server keeps nothing for a restart or a CLI command to find'): TestOptions {
  return TEST_BACKEND === 'memory' ? { skip: why } : {};
}
