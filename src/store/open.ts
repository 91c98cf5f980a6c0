import { join, resolve } from 'node:path';
import { checkDatabaseFile, damagedDatabase } from './database-file.js';
import { narrowedWarning, secureDataFolder } from './data-permissions.js';
import { migrateFamily, type Migration } from './migrations.js';
import { PostgresDatabase } from './postgres.js';
import type { SqlDatabase } from './sql.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './sql-store.js';

/** Where the embedded default keeps its data when no folder is named. */
export const DEFAULT_DATA_DIR = 'data';
export const DATABASE_FILE = 'localgraph.db';

export type StoreLocation =
  /** `offEventLoop`: in a scratch file, read by reader threads (`serve --in-memory`); else `:memory:`. */
  | { kind: 'memory'; statementTimeoutMs?: number; offEventLoop?: boolean }
  | { kind: 'folder'; dir: string; statementTimeoutMs?: number }
  | { kind: 'postgres'; url: string; poolSize?: number; statementTimeoutMs?: number };

/**
 * A PostgreSQL URL may name the schema to use with a `schema` query parameter (localgraph's own,
 * removed before the URL reaches the driver), so several test runs or deployments can share one
 * database without colliding.
 */
export function postgresTarget(url: string): { connectionString: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { connectionString: parsed.href, schema };
}

function openDatabase(location: StoreLocation): SqlDatabase {
  if (location.kind === 'postgres') {
    const { connectionString, schema } = postgresTarget(location.url);
    return new PostgresDatabase({
      connectionString,
      schema,
      poolSize: location.poolSize,
      statementTimeoutMs: location.statementTimeoutMs,
    });
  }
  if (location.kind === 'memory') {
    const options = { statementTimeoutMs: location.statementTimeoutMs };
    return location.offEventLoop ? SqliteDatabase.scratch(options) : new SqliteDatabase(':memory:', options);
  }
  const dir = resolve(location.dir);
  // Only the owner may read the folder (keys, data); an open one is narrowed and said so.
  const narrowed = secureDataFolder(dir);
  if (narrowed.length > 0) console.warn(narrowedWarning(location.dir, narrowed));
  const file = join(dir, DATABASE_FILE);
  checkDatabaseFile(file);
  try {
    return new SqliteDatabase(file, { statementTimeoutMs: location.statementTimeoutMs });
  } catch (error) {
    throw damagedDatabase(file, error) ?? error;
  }
}

/**
 * Opens (creating if needed) and migrates the store at a location, for the family it will serve
 * (src/family/; its caller chooses it). `onWait` hears why, while PostgreSQL cannot be reached
 * yet, the start waits for it.
 */
export async function openStore(
  location: StoreLocation,
  family: { migrations: Migration[] },
  onWait?: (message: string) => void,
): Promise<SqlStore> {
  const db = openDatabase(location);
  try {
    if (db instanceof PostgresDatabase) await db.prepare(onWait);
    await migrateFamily(db, family);
    // Files SQLite has just made take the process's umask (the CLI narrows it, a host process
    // using the library may not): made private now, silently, since the folder kept them unread.
    if (location.kind === 'folder') secureDataFolder(resolve(location.dir));
  } catch (error) {
    await db.close();
    throw (location.kind === 'folder' && damagedDatabase(join(resolve(location.dir), DATABASE_FILE), error)) || error;
  }
  return new SqlStore(db);
}
