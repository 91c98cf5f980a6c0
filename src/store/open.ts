import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { migrate } from './migrations.js';
import { SqliteDatabase } from './sqlite.js';
import { SqlStore } from './store.js';

/** Where the embedded default keeps its data when no folder is named. */
export const DEFAULT_DATA_DIR = 'data';
export const DATABASE_FILE = 'localgraph.db';

export type StoreLocation = { kind: 'memory' } | { kind: 'folder'; dir: string };

/** Opens (creating if needed) and migrates the store at a location. */
export async function openStore(location: StoreLocation): Promise<SqlStore> {
  let file = ':memory:';
  if (location.kind === 'folder') {
    const dir = resolve(location.dir);
    mkdirSync(dir, { recursive: true });
    file = join(dir, DATABASE_FILE);
  }
  const db = new SqliteDatabase(file);
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return new SqlStore(db);
}
