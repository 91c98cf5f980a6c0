import { startBaseline, startLocalgraph, type ServerOptions } from '../lib/targets.js';
import { single, type Scenario, type Target } from './scenario.js';

/** The connector every create scenario posts (localgraph on SQLite or PostgreSQL, the baseline, json-server). */
export const BODY = JSON.stringify({ externalIp: '10.0.0.1', machineName: 'bench', status: 'active' });

/** The baseline's POST /connectors on a fresh database: the create scenarios' common yardstick. */
export async function createBaseline(options: ServerOptions): Promise<Target> {
  const server = await startBaseline(options);
  return {
    label: 'baseline (node:http + better-sqlite3)',
    request: { url: `${server.baseUrl}connectors`, method: 'POST', headers: { 'content-type': 'application/json' }, body: BODY },
    expectStatus: 201,
    pid: server.pid,
    startupMs: server.startupMs,
    stop: () => server.stop(),
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
    'Baseline: POST /connectors on bench/baseline-server.ts (parse, one INSERT, JSON.stringify).',
);
