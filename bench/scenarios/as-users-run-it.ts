import { ratiosOf } from '../lib/report.js';
import { CONNECTORS_PATH, expectPage, seedFolder } from '../lib/seed.js';
import { startLocalgraph, type LocalgraphStart, type ServerOptions } from '../lib/targets.js';
import { BODY, createBaseline } from './create-connector.js';
import { ROWS } from './list-top-100.js';
import type { Scenario, Suite, Target } from './scenario.js';
import { baselineOn, ratio, READ_ONLY_STOP_GRACE_MS } from './seeded.js';

/** Goals (issue 20), as shares of the baseline's throughput in the same run. */
const GOALS = { createDefaults: 1.1, listDefaults: 0.9, createBareTable: 0.5, loggingCost: 0.1 };

/**
 * The server closes a keep-alive connection after 1000 requests by default; autocannon sends its
 * next request on it before it reads the `Connection: close` and counts that one as an error. At
 * most one such loss per 1000 requests on each connection is the load generator's, not the
 * server's.
 */
const DEFAULT_REQUESTS_PER_CONNECTION = 1000;

async function localgraphCreate(
  options: ServerOptions,
  settings: LocalgraphStart['settings'],
  label: string,
): Promise<Target> {
  const server = await startLocalgraph(options, { settings });
  try {
    const token = await server.token('Directory.ReadWrite.All');
    return {
      label,
      request: {
        url: `${server.baseUrl}onPremisesPublishingProfiles/applicationProxy/connectors`,
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: BODY,
      },
      expectStatus: 201,
      pid: server.pid,
      startupMs: server.startupMs,
      reconnectsEvery: settings === 'defaults' ? DEFAULT_REQUESTS_PER_CONNECTION : undefined,
      stop: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

const createScenario = (
  name: string,
  baseline: Scenario['baseline'],
  settings: LocalgraphStart['settings'],
  label: string,
): Scenario => ({
  name,
  connections: 32,
  baseline,
  localgraph: (options) => localgraphCreate(options, settings, label),
});

const met = (value: number, goal: number, atMost = false) =>
  (atMost ? value <= goal : value >= goal) ? 'met' : 'missed';

/**
 * localgraph as users run it, beside the tuned rows: `localgraph serve > FILE` writes a JSON line
 * per request and closes keep-alive connections after 1000 requests. Also what the connectors
 * table's secondary indexes cost a create, against a baseline writing a table without them.
 */
export const asUsersRunIt: Suite = {
  name: 'as-users-run-it',
  description:
    'create-connector and list-top-100 (32 connections) with the settings a bare `localgraph serve > FILE` has: request logs at info as JSON lines ' +
    'into a file, the default connection limits (1000 requests per connection); the same create with logs only, and tuned (logs off, no cap), each against ' +
    'the same-schema baseline of its own rounds; and tuned create against a baseline whose connectors table has its primary key only.',
  async run(context) {
    const tuned = await context.compare(createScenario('create (tuned)', createBaseline, 'tuned', 'localgraph, tuned'));
    const logs = await context.compare(
      createScenario('create (request logs to a file)', createBaseline, 'logs', 'localgraph, logs at info to a file'),
    );
    const defaults = await context.compare(
      createScenario('create (defaults)', createBaseline, 'defaults', 'localgraph, defaults'),
    );
    const bare = await context.compare(
      createScenario(
        'create (tuned) vs a bare table',
        (options) => createBaseline(options, { bareTable: true }),
        'tuned',
        'localgraph, tuned',
      ),
    );

    const folder = await seedFolder(
      context.serverOptions,
      { rows: ROWS, otherRows: ROWS / 10, label: 'list-defaults' },
      context.log,
    );
    let list;
    try {
      const path = `${CONNECTORS_PATH}?$top=100`;
      const expected = folder.facts.firstPage;
      list = await context.compare({
        name: 'list $top=100 (defaults)',
        connections: 32,
        baseline: (options) =>
          baselineOn(options, folder, 'connectors?top=100', (body) => expectPage('baseline', body, expected)),
        async localgraph(options) {
          const server = await startLocalgraph(options, { dataDir: folder.dataDir, settings: 'defaults' });
          return {
            label: 'localgraph, defaults',
            request: {
              url: `${server.baseUrl}${path}`,
              method: 'GET',
              headers: { authorization: `Bearer ${folder.token}` },
            },
            expectStatus: 200,
            verify: (body) => expectPage('localgraph', body, expected),
            pid: server.pid,
            startupMs: server.startupMs,
            reconnectsEvery: DEFAULT_REQUESTS_PER_CONNECTION,
            stop: () => server.stop(READ_ONLY_STOP_GRACE_MS),
          };
        },
      });
    } finally {
      folder.remove();
    }

    const share = (runs: typeof tuned) => ratiosOf(runs).throughput;
    // Each row against the baseline of its own rounds, so machine noise between rows cancels.
    const loggingCost = 1 - share(logs) / share(tuned);
    return [
      `Create with defaults: **${share(defaults).toFixed(2)}** of the same-schema baseline (goal ≥ ${GOALS.createDefaults}: ${met(share(defaults), GOALS.createDefaults)}); ` +
        `logs only: ${share(logs).toFixed(2)}; tuned: ${share(tuned).toFixed(2)}.`,
      `List \`$top=100\` with defaults: **${share(list).toFixed(2)}** of the baseline (goal ≥ ${GOALS.listDefaults}: ${met(share(list), GOALS.listDefaults)}).`,
      `Request logging at info into a file costs **${(loggingCost * 100).toFixed(1)} %** of create throughput (1 − logs ÷ tuned, each as a share of its own baseline; ` +
        `goal < ${GOALS.loggingCost * 100} %: ${met(loggingCost, GOALS.loggingCost, true)}).`,
      `Create (tuned) against a baseline on a bare connectors table (primary key only): **${share(bare).toFixed(2)}** (goal ≥ ${GOALS.createBareTable}: ` +
        `${met(share(bare), GOALS.createBareTable)}); p99 ${ratio(ratiosOf(bare).p99)}.`,
      `With the default limits the server closes each keep-alive connection after ${DEFAULT_REQUESTS_PER_CONNECTION} requests; autocannon loses the request it ` +
        'already sent on it and counts an error (at most one per 1000 requests a connection, not counted as a failure of the run). Real clients retry on a new connection.',
    ];
  },
};
