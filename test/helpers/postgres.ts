/**
 * Whether the PostgreSQL the tests use is reachable. Under CI (`CI=true`) it must be: tests that
 * need it fail rather than skip; elsewhere they skip and say why.
 */
import { spawnSync } from 'node:child_process';
import { TEST_DATABASE_URL } from './server.js';

let reachable: boolean | undefined;

export function postgresReachable(): boolean {
  if (reachable === undefined) {
    const probe = spawnSync('psql', [TEST_DATABASE_URL, '-qAtc', 'SELECT 1'], { encoding: 'utf8', timeout: 5000 });
    reachable = probe.status === 0 && probe.stdout.trim() === '1';
  }
  return reachable;
}

/** `{ skip: reason }` for node:test when PostgreSQL is missing outside CI; `{}` otherwise. */
export function needsPostgres(): { skip?: string } {
  if (postgresReachable() || process.env.CI === 'true') return {};
  return { skip: `PostgreSQL is not reachable at ${TEST_DATABASE_URL} (set LOCALGRAPH_TEST_DATABASE_URL); CI runs this` };
}
