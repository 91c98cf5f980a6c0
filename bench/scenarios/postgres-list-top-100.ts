import { seedSchema, type SeededSchema } from '../lib/postgres-seed.js';
import { CONNECTORS_PATH, expectPage, seedFolder } from '../lib/seed.js';
import type { RunningLocalgraph } from '../lib/targets.js';
import { beside } from './beside.js';
import { ROWS } from './list-top-100.js';
import { instancesLabel, instancesTarget, postgresNotes, skipNote, startInstances } from './on-postgres.js';
import type { Scenario, Suite } from './scenario.js';
import { baselineOn, READ_ONLY_STOP_GRACE_MS } from './seeded.js';

const NAME = 'postgres-list-top-100';
const scenarioName = (instances: number) => `list-top-100 on PostgreSQL ×${instances}`;

/**
 * list-top-100 with localgraph on PostgreSQL: the same rows (bench/lib/seed.ts's, 10k in the main
 * tenant, 1k in two others) in one seeded schema, read-only, so shared by every round. The baseline
 * is list-top-100's: node:http + better-sqlite3 on a SQLite folder seeded alike.
 */
export const postgresListTop100: Suite = {
  name: NAME,
  description:
    `list-top-100 (GET .../applicationProxy/connectors?$top=100 over ${ROWS} connectors in one tenant, two others holding ${ROWS / 10} each, 32 connections) ` +
    'with localgraph on PostgreSQL: one instance, then two instances on the same schema sharing the connections. Each against the same baseline as list-top-100 ' +
    "(node:http + better-sqlite3 on a SQLite file seeded alike), measured in its own rounds of this run. Every instance's answer is checked against the expected 100 ids before the load.",
  async run(context) {
    const skipped = await skipNote(context.log);
    if (skipped) return [skipped];
    const folder = await seedFolder(
      context.serverOptions,
      { rows: ROWS, otherRows: ROWS / 10, label: 'pglist' },
      context.log,
    );
    let schema: SeededSchema | undefined;
    try {
      schema = await seedSchema(context.serverOptions, { rows: ROWS, otherRows: ROWS / 10 }, context.log);
      const seeded = schema;
      const path = `${CONNECTORS_PATH}?$top=100`;
      const scenario = (instances: number): Scenario => ({
        name: scenarioName(instances),
        connections: 32,
        baseline: (options) =>
          baselineOn(options, folder, 'connectors?top=100', (body) =>
            expectPage('baseline', body, folder.facts.firstPage),
          ),
        async localgraph(options) {
          const servers: RunningLocalgraph[] = await startInstances(options, seeded.url, instances);
          const headers = { authorization: `Bearer ${seeded.token}` };
          const verify = (body: string) => expectPage(instancesLabel(instances), body, seeded.firstPage);
          return instancesTarget(servers, path, { method: 'GET', headers }, { status: 200, verify }, async () => {
            await Promise.all(servers.map((s) => s.stop(READ_ONLY_STOP_GRACE_MS)));
          });
        },
      });
      await context.compare(scenario(1));
      await context.compare(scenario(2));
      return [
        beside(
          'List throughput',
          context.measured,
          [
            { label: 'localgraph on SQLite', scenario: 'list-top-100' },
            { label: instancesLabel(1), scenario: scenarioName(1) },
            { label: instancesLabel(2), scenario: scenarioName(2) },
          ],
          `list-top-100,${NAME}`,
        ),
        ...postgresNotes(),
      ];
    } finally {
      folder.remove();
      await schema?.drop();
    }
  },
};
