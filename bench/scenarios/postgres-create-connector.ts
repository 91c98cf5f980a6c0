import { freshSchema } from '../lib/postgres.js';
import { CONNECTORS_PATH, SCOPES } from '../lib/seed.js';
import type { RunningLocalgraph } from '../lib/targets.js';
import { beside } from './beside.js';
import { BODY, createBaseline } from './create-connector.js';
import { instancesLabel, instancesTarget, postgresNotes, skipNote, startInstances } from './on-postgres.js';
import type { Scenario, Suite } from './scenario.js';

const NAME = 'postgres-create-connector';
const scenarioName = (instances: number) => `create-connector on PostgreSQL ×${instances}`;

/**
 * create-connector with localgraph on PostgreSQL: each round a fresh schema (so every round starts
 * from the same empty tenant, as the SQLite rounds start from a fresh folder), `instances`
 * instances on it, dropped with them. The baseline is create-connector's own.
 */
function scenario(instances: number): Scenario {
  return {
    name: scenarioName(instances),
    connections: 32,
    baseline: createBaseline,
    async localgraph(options) {
      const schema = freshSchema('create');
      let servers: RunningLocalgraph[] = [];
      const stop = async () => {
        await Promise.all(servers.map((s) => s.stop()));
        await schema.drop();
      };
      try {
        servers = await startInstances(options, schema.url, instances);
        const token = await servers[0].token(SCOPES);
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        return instancesTarget(
          servers,
          CONNECTORS_PATH,
          { method: 'POST', headers, body: BODY },
          { status: 201 },
          stop,
        );
      } catch (error) {
        await stop().catch(() => undefined);
        throw error;
      }
    },
  };
}

export const postgresCreateConnector: Suite = {
  name: NAME,
  description:
    'create-connector (POST .../applicationProxy/connectors, 32 connections, an empty tenant) with localgraph on PostgreSQL: one instance, then two ' +
    'instances on the same schema sharing the connections. Each against the same baseline as create-connector (node:http + better-sqlite3), measured in its own rounds of this run.',
  async run(context) {
    const skipped = await skipNote(context.log);
    if (skipped) return [skipped];
    await context.compare(scenario(1));
    await context.compare(scenario(2));
    return [
      beside(
        'Create throughput',
        context.measured,
        [
          { label: 'localgraph on SQLite', scenario: 'create-connector' },
          { label: instancesLabel(1), scenario: scenarioName(1) },
          { label: instancesLabel(2), scenario: scenarioName(2) },
        ],
        `create-connector,${NAME}`,
      ),
      ...postgresNotes(),
    ];
  },
};
