import { cpSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { removeTempDir, tempDir } from '../lib/processes.js';
import { emptyFolder, MAIN_TENANT } from '../lib/seed.js';
import { startBaseline, startLocalgraph, type ServerOptions } from '../lib/targets.js';
import { single, type Scenario, type Target } from './scenario.js';

/** The connector every create scenario posts (localgraph on SQLite or PostgreSQL, the baseline, json-server). */
export const BODY = JSON.stringify({ externalIp: '10.0.0.1', machineName: 'bench', status: 'active' });

/**
 * The baseline's POST /connectors on a fresh copy of an empty localgraph.db: the create
 * scenarios' common yardstick. It inserts into localgraph's own connectors table, so both pay for
 * the same indexes and foreign key, and the ratio is of the rest of the work. `bareTable` drops the
 * table's secondary indexes first (primary and foreign key stay): what those indexes cost a write.
 */
export async function createBaseline(options: ServerOptions, { bareTable = false } = {}): Promise<Target> {
  const empty = await emptyFolder(options);
  const dir = tempDir(bareTable ? 'bare-baseline' : 'baseline');
  cpSync(empty.dir, dir, { recursive: true });
  const dbFile = join(dir, 'localgraph.db');
  let server: Awaited<ReturnType<typeof startBaseline>>;
  try {
    if (bareTable) dropSecondaryIndexes(dbFile, 'connectors');
    server = await startBaseline(options, { dbFile, tenantId: MAIN_TENANT });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
  return {
    label: bareTable ? 'baseline on a bare table (primary key only)' : 'baseline (node:http + better-sqlite3)',
    request: {
      url: `${server.baseUrl}connectors`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: BODY,
    },
    expectStatus: 201,
    pid: server.pid,
    startupMs: server.startupMs,
    stop: async () => {
      await server.stop();
      removeTempDir(dir);
    },
  };
}

function dropSecondaryIndexes(dbFile: string, table: string): void {
  const db = new Database(dbFile);
  try {
    const indexes = db
      .prepare<[string], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
      )
      .all(table);
    for (const { name } of indexes) db.exec(`DROP INDEX "${name}"`);
  } finally {
    db.close();
  }
}

/** `POST .../applicationProxy/connectors`: one row inserted per request, 201 with the entity. */
const scenario: Scenario = {
  name: 'create-connector',
  connections: 32,
  baseline: createBaseline,

  async localgraph(options) {
    const server = await startLocalgraph(options);
    try {
      const token = await server.token('Directory.ReadWrite.All');
      return {
        label: 'localgraph',
        request: {
          url: `${server.baseUrl}onPremisesPublishingProfiles/applicationProxy/connectors`,
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: BODY,
        },
        expectStatus: 201,
        pid: server.pid,
        startupMs: server.startupMs,
        stop: () => server.stop(),
      };
    } catch (error) {
      await server.stop();
      throw error;
    }
  },
};

export const createConnector = single(
  scenario,
  'POST .../applicationProxy/connectors with a small JSON body on an empty tenant: one row inserted per request, 201 with the entity. ' +
    'Baseline: POST /connectors on bench/baseline-server.ts (parse, one INSERT into the same table of an empty localgraph.db, JSON.stringify).',
);
