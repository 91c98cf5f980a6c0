/**
 * Read-only SQL against a running server's storage, for checks no HTTP request can make (rows a
 * cascade should have removed, invariants over every row): its SQLite file (WAL lets a second
 * reader in while the server runs) or its PostgreSQL schema. An in-memory server's data lives in
 * its own process only.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { postgresTarget } from '../../src/store/open.js';
import { PostgresDatabase } from '../../src/store/postgres.js';
import type { RunningServer } from './server.js';

/** The rows of `sql` (`?` placeholders) on the server's data. */
export async function queryStorage(
  server: Pick<RunningServer, 'dataDir' | 'databaseUrl'>,
  sql: string,
  params: unknown[] = [],
): Promise<Record<string, unknown>[]> {
  if (server.dataDir !== undefined) {
    const db = new Database(join(server.dataDir, 'localgraph.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }
  if (server.databaseUrl === undefined) throw new Error('an --in-memory server has no storage to query from outside');
  // localgraph's own driver: the same `?` placeholders and schema as the server's.
  const db = new PostgresDatabase({ ...postgresTarget(server.databaseUrl), poolSize: 1 });
  try {
    return await db.all(sql, params);
  } finally {
    await db.close();
  }
}
