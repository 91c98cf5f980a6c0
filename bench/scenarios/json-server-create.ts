import { startJsonServer } from '../lib/json-server.js';
import { beside } from './beside.js';
import { BODY, createBaseline } from './create-connector.js';
import type { Scenario, Suite } from './scenario.js';

const NAME = 'json-server-create';
const LABEL = 'json-server 0.17 (peer)';

/**
 * A peer for create-connector: json-server, the usual "fake REST API from a JSON file", doing a
 * plain create of the same object. It does far less than localgraph (no auth, no validation, no
 * Graph envelope) and keeps data differently (see the notes), so it brackets localgraph from the
 * other side than the baseline does: a popular off-the-shelf server, not the least a server can do.
 */
const scenario: Scenario = {
  name: 'create-connector, json-server peer',
  connections: 32,
  baseline: createBaseline,
  async localgraph(options) {
    const server = await startJsonServer(options);
    return {
      label: LABEL,
      request: {
        url: `${server.baseUrl}connectors`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: BODY,
      },
      expectStatus: 201,
      pid: server.pid,
      startupMs: server.startupMs,
      stop: () => server.stop(),
    };
  },
};

export const jsonServerCreate: Suite = {
  name: NAME,
  description:
    'json-server 0.17.4 (its CLI, `--quiet`, on a fresh db.json with an empty `connectors` collection each round) answering POST /connectors with the same ' +
    'JSON object as create-connector, 32 connections, against the same baseline (node:http + better-sqlite3), in its own rounds of this run.',
  async run(context) {
    await context.compare(scenario);
    return [
      beside(
        'Create throughput',
        context.measured,
        [
          { label: LABEL, scenario: scenario.name },
          { label: 'localgraph on SQLite', scenario: 'create-connector' },
        ],
        `create-connector,${NAME}`,
      ),
      'Durability differs: json-server answers 201 before it writes, and on every POST re-serialises the whole database and rewrites db.json ' +
        '(a temporary file renamed over it, no fsync; writes that arrive while one is in flight are coalesced into the next). A crash loses acknowledged creates; ' +
        'localgraph and the baseline have committed each row to SQLite (WAL, synchronous=NORMAL: it survives a process crash) before answering.',
      "json-server's work per POST grows with the collection (it scans for the largest id, checks the new id is not taken, and serialises every item), " +
        'and each round starts empty: its figure falls with longer rounds. Requests per round are in the per-round lines.',
      'It does far less per request than localgraph: no token, no permission check, no validation, no Graph envelope.',
    ];
  },
};
