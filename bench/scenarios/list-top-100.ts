import { summarize } from '../lib/report.js';
import { CONNECTORS_PATH, expectPage, seedFolder } from '../lib/seed.js';
import { explainAndTime, traceRequests } from '../lib/sql-plan.js';
import type { Scenario, Suite } from './scenario.js';
import { baselineOn, describeStatement, localgraphOn, ratio } from './seeded.js';

/** Connectors in the main tenant (the PostgreSQL list suite seeds the same). */
export const ROWS = 10_000;
/** The goal: localgraph's throughput at least this share of the baseline's. */
const GOAL = 0.7;

/**
 * `GET .../applicationProxy/connectors?$top=100` over 10k connectors in one tenant (two other
 * tenants hold 1k each), against the baseline's `SELECT ... WHERE tenant_id = ? ORDER BY id
 * LIMIT 100` + JSON.stringify on the same database file. Read-only: one seeded folder serves every
 * round.
 */
export const listTop100: Suite = {
  name: 'list-top-100',
  description:
    `GET .../applicationProxy/connectors?$top=100 over ${ROWS} connectors in one tenant (two other tenants hold ${ROWS / 10} each), 32 connections. ` +
    "Baseline: GET /connectors?top=100 on bench/baseline-server.ts: SELECT … WHERE tenant_id = ? ORDER BY id LIMIT 100 (better-sqlite3's `.all()`, " +
    'row objects built by the driver; localgraph reads raw arrays and builds them itself), then JSON.stringify, ' +
    'on the same seeded database file. Both answers are checked against the expected 100 ids before the load.',
  async run(context) {
    const folder = await seedFolder(
      context.serverOptions,
      { rows: ROWS, otherRows: ROWS / 10, label: 'list' },
      context.log,
    );
    try {
      const path = `${CONNECTORS_PATH}?$top=100`;
      const statements = await traceRequests(
        context.serverOptions,
        folder.dataDir,
        [{ label: '$top=100', path, headers: { authorization: `Bearer ${folder.token}` } }],
        'connectors',
      );
      const plans = explainAndTime(folder.dbFile, statements);
      const expected = folder.facts.firstPage;
      const scenario: Scenario = {
        name: 'list-top-100',
        connections: 32,
        baseline: (options) =>
          baselineOn(options, folder, 'connectors?top=100', (body) => expectPage('baseline', body, expected)),
        localgraph: (options) =>
          localgraphOn(options, folder, path, (body) => expectPage('localgraph', body, expected)),
      };
      const runs = await context.compare(scenario);
      const base = summarize(runs.baseline);
      const subject = summarize(runs.subject);
      const share = subject.rps / base.rps;
      return [
        `Goal: throughput ≥ ${GOAL} of the baseline's. Measured: **${share.toFixed(2)}** (${share >= GOAL ? 'met' : 'missed'}); ` +
          `p99 ${ratio(subject.p99 / base.p99)} the baseline's; server CPU per request ${subject.cpu !== undefined && base.cpu ? ratio(subject.cpu / base.cpu) : 'n/a'} the baseline's.`,
        'SQL localgraph runs for the request (from a traced start), EXPLAIN QUERY PLAN and its time in SQLite alone at 10k:',
        ...plans.flatMap(describeStatement),
      ];
    } finally {
      folder.remove();
    }
  },
};
