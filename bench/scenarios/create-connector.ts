import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { removeTempDir, tempDir } from '../lib/processes.js';
import { emptyFolder, MAIN_TENANT } from '../lib/seed.js';
import { startBaseline, startLocalgraph, type ServerOptions } from '../lib/targets.js';
import { single, type Scenario, type Target } from './scenario.js';

/** The connector every create scenario posts (localgraph on SQLite or PostgreSQL, the baseline, json-server). */
export const BODY = JSON.stringify({ externalIp: '10.0.0.1', machineName: 'bench', status: 'active' });

/**
 * The baseline's POST /connectors on a fresh copy of an empty localgraph.db: the create
 * scenarios' common yardstick. It inserts into localgraph's own connectors table, so both pay for
 * the same indexes and foreign key, and the ratio is of the rest of the work.
 */
export async function createBaseline(options: ServerOptions): Promise<Target> {
  const empty = await emptyFolder(options);
  const dir = tempDir('baseline');
  cpSync(empty.dir, dir, { recursive: true });
  let server: Awaited<ReturnType<typeof startBaseline>>;
  try {
    server = await startBaseline(options, { dbFile: join(dir, 'localgraph.db'), tenantId: MAIN_TENANT });
  } catch (error) {
    removeTempDir(dir);
    throw error;
  }
  return {
    label: 'baseline (node:http + better-sqlite3)',
    request: { url: `${server.baseUrl}connectors`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY },
    expectStatus: 201,
    pid: server.pid,
    startupMs: server.startupMs,
    stop: async () => {
      await server.stop();
      removeTempDir(dir);
    },
  };
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
