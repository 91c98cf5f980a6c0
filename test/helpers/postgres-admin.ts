/**
 * Two chores on the test database that must run synchronously (at module load, in an 'exit'
 * handler), done by running this file as a child process with the `pg` driver, so the suite needs
 * no psql on the machine:
 *   node postgres-admin.js probe URL                   exit 0 when `SELECT 1` answers, else the reason on stderr
 *   node postgres-admin.js drop-schemas URL NAME…      DROP SCHEMA IF EXISTS NAME CASCADE, best effort
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const SCRIPT = fileURLToPath(import.meta.url);
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** The URL without localgraph's own `schema` parameter, which the driver would not understand. */
function databaseOnly(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('schema');
  return parsed.href;
}

/** Why the database cannot be used, or undefined when it answers (blocks up to 10 s). */
export function probeSync(url: string): string | undefined {
  const child = spawnSync(process.execPath, [SCRIPT, 'probe', url], { encoding: 'utf8', timeout: 10_000 });
  if (child.status === 0) return undefined;
  return (child.stderr || child.error?.message || 'no answer').trim();
}

/** Drops these schemas (names localgraph accepts only), best effort; blocks up to 10 s. */
export function dropSchemasSync(url: string, schemas: Iterable<string>): void {
  const names = [...schemas].filter((s) => SCHEMA_NAME.test(s));
  if (names.length > 0)
    spawnSync(process.execPath, [SCRIPT, 'drop-schemas', url, ...names], { stdio: 'ignore', timeout: 10_000 });
}

async function main(command: string | undefined, url: string | undefined, names: string[]): Promise<void> {
  if (url === undefined || (command !== 'probe' && command !== 'drop-schemas'))
    throw new Error('usage: postgres-admin.js probe|drop-schemas URL [SCHEMA…]');
  const client = new pg.Client({ connectionString: databaseOnly(url), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    if (command === 'probe') await client.query('SELECT 1');
    else
      for (const name of names.filter((s) => SCHEMA_NAME.test(s)))
        await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
  } finally {
    await client.end();
  }
}

if (process.argv[1] === SCRIPT) {
  main(process.argv[2], process.argv[3], process.argv.slice(4)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message || String(error)}\n`);
    process.exitCode = 1;
  });
}
