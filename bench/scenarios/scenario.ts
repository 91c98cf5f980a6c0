import type { LoadRequest } from '../lib/load.js';
import type { ServerOptions } from '../lib/targets.js';

/** A server ready to take load, and the request to load it with. */
export interface Target {
  /** e.g. "baseline (node:http + better-sqlite3)" */
  label: string;
  request: LoadRequest;
  /** the status a good response has; the bench probes once and refuses to load a broken target */
  expectStatus: number;
  /** the server's process id, to measure its CPU time */
  pid: number;
  stop(): Promise<void>;
}

/**
 * One benchmark: the same piece of work done by a baseline and by localgraph. In each round the
 * runner starts a fresh baseline, probes, warms up and loads it, stops it, then does the same with
 * a fresh localgraph; it reports the medians of the rounds, localgraph's as ratios to the
 * baseline's. `baseline` and `localgraph` are called once per round and must start from the same
 * state each time (fresh folder, same seed data). Add a scenario as a module exporting one of these, and list
 * it in bench/scenarios/index.ts.
 */
export interface Scenario {
  /** short, for the table: "create connector" */
  name: string;
  /** concurrent connections */
  connections: number;
  /** starts the baseline (seeded, if the scenario needs data) */
  baseline(options: ServerOptions): Promise<Target>;
  /** starts localgraph (seeded, if the scenario needs data) */
  localgraph(options: ServerOptions): Promise<Target>;
}
