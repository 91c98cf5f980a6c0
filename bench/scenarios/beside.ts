/**
 * One report line that sets a suite's ratios beside those of related scenarios measured in the
 * same run (localgraph on SQLite beside PostgreSQL, json-server beside localgraph): each ratio is
 * against the baseline rounds of its own scenario, all from this run.
 */
import { ratiosOf, type ScenarioRuns } from '../lib/report.js';

export interface Entry {
  label: string;
  /** the scenario's name in the table */
  scenario: string;
}

/** "label: throughput 0.35×, p99 1.48×; …", or "not measured in this run (BENCH_SCENARIOS=…)" for a scenario of another suite left out. */
export function beside(what: string, measured: readonly ScenarioRuns[], entries: Entry[], suites: string): string {
  const parts = entries.map(({ label, scenario }) => {
    const runs = measured.find((r) => r.scenario === scenario);
    if (runs === undefined) return `${label}: not measured in this run`;
    const r = ratiosOf(runs);
    return `${label}: **${r.throughput.toFixed(2)}×** throughput, p99 ${r.p99.toFixed(2)}×`;
  });
  const missing = parts.some((p) => p.endsWith('not measured in this run'));
  return `${what}, each vs the baseline of its own rounds: ${parts.join('; ')}${missing ? ` (all of them: BENCH_SCENARIOS=${suites} npm run bench)` : ''}.`;
}
