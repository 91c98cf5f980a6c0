import type { LoadRequest } from '../lib/load.js';
import type { RunSettings, ScenarioRuns } from '../lib/report.js';
import type { ServerOptions } from '../lib/targets.js';

/** A server ready to take load, and the request to load it with. */
export interface Target {
  /** e.g. "baseline (node:http + better-sqlite3)" */
  label: string;
  request: LoadRequest;
  /** the status a good response has; the bench probes once and refuses to load a broken target */
  expectStatus: number;
  /** further checks of the probe's body (throws when it is wrong: the wrong rows, say) */
  verify?(body: string): void;
  /** the server's process id, to measure its CPU time and memory */
  pid: number;
  /** further server processes taking the load (a second instance, at `request.otherUrls`): their CPU time and memory are added in */
  otherPids?: number[];
  /** milliseconds from spawning the server to its "listening on" line */
  startupMs?: number;
  /**
   * the server closes each keep-alive connection after this many requests (localgraph's default
   * --max-requests-per-connection); autocannon loses the request it already sent on the closing
   * connection, so up to one error per that many requests (plus one per connection) is tolerated
   */
  reconnectsEvery?: number;
  /** stops the server (a read-only target may pass a short grace period) */
  stop(): Promise<void>;
}

/**
 * One benchmark: the same piece of work done by a baseline and by localgraph. In each round the
 * runner starts a fresh baseline, probes, warms up and loads it, stops it, then does the same with
 * a fresh localgraph; it reports the medians of the rounds, localgraph's as ratios to the
 * baseline's. `baseline` and `localgraph` are called once per round and must start from the same
 * state each time (fresh folder, same seed data; a read-only scenario may share one seeded folder).
 */
export interface Scenario {
  /** short, for the table: "create-connector" */
  name: string;
  /** concurrent connections */
  connections: number;
  /** rounds, when not the run's BENCH_ROUNDS */
  rounds?: number;
  /** seconds before a request counts as an error (default 10) */
  timeoutSeconds?: number;
  /** starts the baseline (seeded, if the scenario needs data) */
  baseline(options: ServerOptions): Promise<Target>;
  /** starts localgraph (seeded, if the scenario needs data), or the peer a suite compares instead (json-server) */
  localgraph(options: ServerOptions): Promise<Target>;
}

/** What a suite gets from the runner. */
export interface SuiteContext {
  settings: RunSettings;
  serverOptions: ServerOptions;
  log(message: string): void;
  /** runs a scenario's rounds (baseline, then localgraph, each round), adds them to the report's table and returns them */
  compare(scenario: Scenario): Promise<ScenarioRuns>;
  /** every scenario measured so far in this run, earlier suites' included: to set a suite's figures beside them */
  measured: readonly ScenarioRuns[];
}

/**
 * What BENCH_SCENARIOS selects, by name: one or more scenarios that share a setup (a seeded data
 * folder, say), plus any measurements of their own, reported as notes under the table. Add one as
 * a module under bench/scenarios/ and list it in bench/scenarios/index.ts.
 */
export interface Suite {
  name: string;
  /** one line: what it measures, for the report */
  description: string;
  /** runs; returns notes for the report (Markdown, one bullet each, without the leading "- ") */
  run(context: SuiteContext): Promise<string[]>;
}

/** A suite of one scenario and no notes of its own. */
export function single(scenario: Scenario, description: string, notes: string[] = []): Suite {
  return {
    name: scenario.name,
    description,
    async run(context) {
      await context.compare(scenario);
      return notes;
    },
  };
}
