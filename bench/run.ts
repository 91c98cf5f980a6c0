/**
 * `npm run bench`: localgraph against a baseline measured in the same run, as ratios (the machine
 * is shared and noisy; absolute figures mean little, ratios a bit more).
 *
 * Environment:
 *   BENCH_SECONDS          measured seconds per round and server (default 10)
 *   BENCH_WARMUP_SECONDS   warm-up seconds per round and server (default 2)
 *   BENCH_ROUNDS           rounds, each a fresh baseline then a fresh localgraph (default 2)
 *   BENCH_SCENARIOS        comma-separated scenario names to run (default: all)
 *   BENCH_CPU_PROF         a folder: run the servers under `node --cpu-prof`, profiles land there
 *   BENCH_RESULTS          where to write the Markdown (default bench/RESULTS.md, or nowhere when
 *                          profiling; "-" for nowhere)
 *
 * Progress goes to stderr; the table goes to stdout and to bench/RESULTS.md.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { probe, runLoad, type LoadResult } from './lib/load.js';
import { cpuTimeMs, guardChildren, killAll, ROOT } from './lib/processes.js';
import { renderReport, summarize, writeResults, type RunSettings, type ScenarioRuns } from './lib/report.js';
import type { ServerOptions } from './lib/targets.js';
import type { Scenario, Target } from './scenarios/scenario.js';
import { scenarios } from './scenarios/index.js';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not '${raw}'`);
  return value;
}

const log = (message: string) => console.error(`bench: ${message}`);

async function check(target: Target): Promise<void> {
  const { status, body } = await probe(target.request);
  if (status !== target.expectStatus) {
    throw new Error(`${target.label}: probe ${target.request.method} ${target.request.url} answered ${status}, expected ${target.expectStatus}: ${body.slice(0, 500)}`);
  }
}

function describe(result: LoadResult): string {
  const cpu = result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest.toFixed(3)} ms/request`;
  const failures = result.non2xx + result.errors > 0 ? `, ${result.non2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.statusCodes)}` : '';
  return `${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${cpu}${failures}`;
}

/** One round for one server: start it fresh, probe, warm up, measure (with its CPU time), stop. */
async function measure(start: () => Promise<Target>, name: string, connections: number, settings: RunSettings): Promise<{ label: string; result: LoadResult }> {
  const target = await start();
  try {
    await check(target);
    log(`${name}: ${target.label}: warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s measured`);
    await runLoad(target.request, { connections, seconds: settings.warmupSeconds });
    const cpuBefore = cpuTimeMs(target.pid);
    const result = await runLoad(target.request, { connections, seconds: settings.seconds });
    const cpuAfter = cpuTimeMs(target.pid);
    if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0) result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.total;
    return { label: target.label, result };
  } finally {
    await target.stop();
  }
}

/**
 * Rounds of baseline then localgraph, each on a fresh server (same starting state every round;
 * only one server runs at a time).
 */
async function runScenario(scenario: Scenario, settings: RunSettings, serverOptions: ServerOptions): Promise<ScenarioRuns> {
  const runs: ScenarioRuns = {
    scenario: scenario.name,
    connections: scenario.connections,
    baseline: { label: 'baseline', rounds: [] },
    subject: { label: 'localgraph', rounds: [] },
  };
  for (let round = 1; round <= settings.rounds; round++) {
    for (const [start, into] of [
      [() => scenario.baseline(serverOptions), runs.baseline],
      [() => scenario.localgraph(serverOptions), runs.subject],
    ] as const) {
      const { label, result } = await measure(start, scenario.name, scenario.connections, settings);
      into.label = label;
      into.rounds.push(result);
      log(`${scenario.name}: round ${round}/${settings.rounds}, ${label}: ${describe(result)}`);
    }
  }
  return runs;
}

async function main(): Promise<void> {
  guardChildren();
  const settings: RunSettings = {
    seconds: positive('BENCH_SECONDS', 10),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 2),
    rounds: Math.round(positive('BENCH_ROUNDS', 2)),
  };
  const wanted = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = wanted ? scenarios.filter((s) => wanted.includes(s.name)) : scenarios;
  if (chosen.length === 0) throw new Error(`no scenario named ${wanted?.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);

  const serverOptions: ServerOptions = {};
  if (process.env.BENCH_CPU_PROF) {
    serverOptions.cpuProfileDir = resolve(process.env.BENCH_CPU_PROF);
    mkdirSync(serverOptions.cpuProfileDir, { recursive: true });
    log(`CPU profiles of the servers go to ${serverOptions.cpuProfileDir} (profiling slows them; ratios from this run are not comparable)`);
  }

  const all: ScenarioRuns[] = [];
  for (const scenario of chosen) all.push(await runScenario(scenario, settings, serverOptions));

  const markdown = renderReport(all, settings);
  console.log(`\n${markdown}`);
  // A profiled run is slower than a real one: it does not overwrite the results unless asked to.
  const resultsFile = process.env.BENCH_RESULTS ?? (serverOptions.cpuProfileDir ? '-' : join(ROOT, 'bench', 'RESULTS.md'));
  if (resultsFile !== '-') {
    writeResults(resultsFile, markdown);
    log(`wrote ${resultsFile}`);
  }
  for (const runs of all) {
    const base = summarize(runs.baseline);
    const subject = summarize(runs.subject);
    log(`${runs.scenario}: localgraph at ${(subject.rps / base.rps).toFixed(2)}× the baseline's throughput, p99 ${(subject.p99 / base.p99).toFixed(2)}× the baseline's`);
    if (base.non2xx + base.errors + subject.non2xx + subject.errors > 0) process.exitCode = 1;
  }
}

main().then(
  () => killAll(),
  (error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    killAll();
    process.exitCode = 1;
  },
);
