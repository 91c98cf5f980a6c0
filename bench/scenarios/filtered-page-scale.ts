import { median } from '../lib/load.js';
import { memoryKiB } from '../lib/processes.js';
import { summarize, type ScenarioRuns, type Summary } from '../lib/report.js';
import {
  CONNECTORS_PATH,
  expectPage,
  FILTER_PREFIX,
  seedFolder,
  type SeededFolder,
  type SeedFacts,
} from '../lib/seed.js';
import { explainAndTime, traceRequests, type PlannedStatement, type TracedStatement } from '../lib/sql-plan.js';
import { startLocalgraph, type ServerOptions } from '../lib/targets.js';
import type { Scenario, Suite, SuiteContext } from './scenario.js';
import { baselineOn, describePlan, describeStatement, localgraphOn, ms, ratio } from './seeded.js';

/**
 * How a filtered, ordered page and a full nextLink walk behave as one tenant grows from 10k to 1M
 * connectors (two other tenants hold a tenth as many each). Per size: a fresh seeded folder; the
 * page under load, localgraph against the baseline running the same SQL shape on the same file;
 * a full walk of `$filter=status eq 'inactive'` in pages of `Prefer: odata.maxpagesize=1000`; the
 * start-up time; memory after the load; and the SQL localgraph runs, with SQLite's plan and time,
 * as served and with the indexes this suite suggests.
 */

const SIZES = [10_000, 100_000, 1_000_000];
const FILTER = `status eq 'inactive' and startswith(machineName,'${FILTER_PREFIX}')`;
const PAGE_PATH = `${CONNECTORS_PATH}?$filter=${encodeURIComponent(FILTER)}&$orderby=machineName&$top=100`;
const BASELINE_PATH = `connectors?status=inactive&startswith=${FILTER_PREFIX}&orderby=machineName&top=100`;
const WALK_PATH = `${CONNECTORS_PATH}?$filter=${encodeURIComponent("status eq 'inactive'")}`;
const WALK_HEADERS = { prefer: 'odata.maxpagesize=1000' };
/** The goal: p99 of the page at the largest size at most this multiple of the smallest size's. */
const GOAL = 2;

function sizeLabel(n: number): string {
  if (n >= 1_000_000 && n % 1_000_000 === 0) return `${n / 1_000_000}M`;
  if (n >= 1000 && n % 1000 === 0) return `${n / 1000}k`;
  return String(n);
}

function env(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer, not '${raw}'`);
  return value;
}

interface Walk {
  rows: number;
  pages: number;
  ms: number;
  /** ms from spawn to "listening on" of the server that walked */
  startupMs: number;
  rssKiB?: number;
  peakRssKiB?: number;
}

/** Starts localgraph on the folder and follows @odata.nextLink from the first page until there is none; checks it saw every inactive row once. */
async function walk(serverOptions: ServerOptions, folder: SeededFolder): Promise<Walk> {
  const server = await startLocalgraph(serverOptions, { dataDir: folder.dataDir });
  try {
    const headers = { authorization: `Bearer ${folder.token}`, ...WALK_HEADERS };
    // One untimed first page: the server's first request (tenant state, compiled code paths) is not the walk's cost.
    const warm = await fetch(`${server.baseUrl}${WALK_PATH}`, { headers });
    await warm.text();
    const seen = new Set<string>();
    let pages = 0;
    let url: string | undefined = `${server.baseUrl}${WALK_PATH}`;
    const start = performance.now();
    while (url !== undefined) {
      const response: Response = await fetch(url, { headers });
      const text = await response.text();
      if (response.status !== 200)
        throw new Error(`walk: page ${pages + 1} answered ${response.status}: ${text.slice(0, 300)}`);
      const page = JSON.parse(text) as { value: Array<{ id: string; status: string }>; '@odata.nextLink'?: string };
      for (const row of page.value) {
        if (row.status !== 'inactive') throw new Error(`walk: a row with status ${row.status}`);
        seen.add(row.id);
      }
      pages++;
      url = page['@odata.nextLink'];
    }
    const elapsed = performance.now() - start;
    if (seen.size !== folder.facts.inactive)
      throw new Error(`walk: ${seen.size} distinct rows, expected ${folder.facts.inactive}`);
    const memory = memoryKiB(server.pid);
    return {
      rows: seen.size,
      pages,
      ms: elapsed,
      startupMs: server.startupMs,
      rssKiB: memory?.rss,
      peakRssKiB: memory?.peak,
    };
  } finally {
    await server.stop();
  }
}

interface SizeResult {
  size: number;
  facts: SeedFacts;
  runs: ScenarioRuns;
  base: Summary;
  subject: Summary;
  walk: Walk;
  plans: PlannedStatement[];
}

async function runSize(
  context: SuiteContext,
  size: number,
  traced: TracedStatement[] | undefined,
): Promise<SizeResult & { traced: TracedStatement[] }> {
  const { serverOptions, settings, log } = context;
  const folder = await seedFolder(
    serverOptions,
    { rows: size, otherRows: Math.max(1, Math.round(size / 10)), label: `scale-${sizeLabel(size)}` },
    log,
  );
  try {
    // The SQL does not depend on the size: trace it once, on the first (smallest) folder.
    const statements =
      traced ??
      (await traceRequests(
        serverOptions,
        folder.dataDir,
        [
          { label: 'the filtered page', path: PAGE_PATH, headers: { authorization: `Bearer ${folder.token}` } },
          {
            label: 'the walk',
            path: WALK_PATH,
            headers: { authorization: `Bearer ${folder.token}`, ...WALK_HEADERS },
            followNextLink: true,
          },
        ],
        'connectors',
      ));
    const plans = explainAndTime(folder.dbFile, statements);
    log(`${sizeLabel(size)}: SQL alone: ${plans.map((p) => ms(p.ms, 2)).join(', ')}`);

    const expected = folder.facts.filteredPage;
    const scenario: Scenario = {
      name: `filtered-page-scale ${sizeLabel(size)}`,
      connections: env('BENCH_SCALE_CONNECTIONS', 8),
      rounds: Math.min(env('BENCH_SCALE_ROUNDS', 1), settings.rounds),
      timeoutSeconds: 60,
      baseline: (options) =>
        baselineOn(options, folder, BASELINE_PATH, (body) => expectPage('baseline', body, expected)),
      localgraph: (options) =>
        localgraphOn(options, folder, PAGE_PATH, (body) => expectPage('localgraph', body, expected)),
    };
    const runs = await context.compare(scenario);

    log(`${sizeLabel(size)}: walking $filter=status eq 'inactive' (${folder.facts.inactive} rows)`);
    const walked = await walk(serverOptions, folder);
    log(
      `${sizeLabel(size)}: walk: ${walked.rows} rows in ${walked.pages} pages, ${(walked.ms / 1000).toFixed(1)} s, ${((walked.ms * 1000) / walked.rows).toFixed(1)} µs/row`,
    );

    return {
      size,
      facts: folder.facts,
      runs,
      base: summarize(runs.baseline),
      subject: summarize(runs.subject),
      walk: walked,
      plans,
      traced: statements,
    };
  } finally {
    folder.remove();
  }
}

const mib = (kib: number | undefined) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(0)} MiB`);
const perRowUs = (w: Walk) => (w.ms * 1000) / w.rows;

function notes(results: SizeResult[]): string[] {
  const first = results[0];
  const last = results[results.length - 1];
  const lines: string[] = [];
  const pageRatio = last.subject.p99 / first.subject.p99;
  const cpuRatio = (a: Summary, b: Summary) =>
    a.cpu !== undefined && b.cpu !== undefined && b.cpu > 0 ? ratio(a.cpu / b.cpu) : 'n/a';
  const sequential = (r: SizeResult) => r.runs.subject.rounds.every((round) => round.sequential);
  const few = results.filter((r) => !sequential(r) && r.runs.subject.rounds.some((round) => round.total < 20));
  const slow = results.filter(sequential);
  lines.push(
    `Goal: page p99 at ${sizeLabel(last.size)} ≤ ${GOAL}× page p99 at ${sizeLabel(first.size)}. Measured, localgraph: **${ratio(pageRatio)}** ` +
      `(${pageRatio <= GOAL ? 'met' : 'missed'}); server CPU per request ${cpuRatio(last.subject, first.subject)}; ` +
      `throughput ${sizeLabel(last.size)} ÷ ${sizeLabel(first.size)}: ${ratio(last.subject.rps / first.subject.rps)}. ` +
      `The baseline, running the same SQL shape on the same file: p99 ${ratio(last.base.p99 / first.base.p99)}, CPU per request ${cpuRatio(last.base, first.base)}, ` +
      `throughput ${ratio(last.base.rps / first.base.rps)}.`,
  );
  if (slow.length > 0 && !sequential(first)) {
    lines.push(
      `  At ${slow.map((r) => sizeLabel(r.size)).join(', ')} a request took over 3 s, so the requests went one at a time, while at ${sizeLabel(first.size)} ` +
        `they went over ${first.runs.connections} connections, whose queueing multiplies latency by up to ${first.runs.connections}: the p99 ratio understates the growth. ` +
        'Server CPU per request does not depend on the concurrency.',
    );
  }
  if (few.length > 0) {
    lines.push(
      `  At ${few.map((r) => sizeLabel(r.size)).join(', ')} a round completed fewer than 20 requests: its p99 is little more than its slowest request.`,
    );
  }
  lines.push('Per size (localgraph; baseline in brackets):');
  for (const r of results) {
    const round = r.runs.subject.rounds[r.runs.subject.rounds.length - 1];
    const baseRound = r.runs.baseline.rounds[r.runs.baseline.rounds.length - 1];
    const starts = [...r.runs.subject.rounds.map((x) => x.startupMs ?? NaN), r.walk.startupMs].filter(Number.isFinite);
    const baseStarts = r.runs.baseline.rounds.map((x) => x.startupMs ?? NaN).filter(Number.isFinite);
    lines.push(
      `  - **${sizeLabel(r.size)}** (${r.facts.rows} rows in the tenant, ${r.facts.inactive} inactive, ${r.facts.filtered} match the page's filter; 2 × ${r.facts.otherRows} in other tenants; ` +
        `seeded in ${(r.facts.insertMs / 1000).toFixed(1)} s): page ${r.subject.rps.toFixed(r.subject.rps < 10 ? 2 : 0)} req/s, p50 ${ms(r.subject.p50)}, p99 ${ms(r.subject.p99)}, ` +
        `CPU ${r.subject.cpu === undefined ? 'n/a' : ms(r.subject.cpu)}/request${sequential(r) ? ' (one at a time)' : ''} ` +
        `[${r.base.rps.toFixed(r.base.rps < 10 ? 2 : 0)} req/s, p99 ${ms(r.base.p99)}, CPU ${r.base.cpu === undefined ? 'n/a' : ms(r.base.cpu)}/request]; ` +
        `walk ${r.walk.rows} rows in ${r.walk.pages} pages, ${(r.walk.ms / 1000).toFixed(2)} s = **${perRowUs(r.walk).toFixed(1)} µs/row** (${(r.walk.ms / r.walk.pages).toFixed(1)} ms/page); ` +
        `start to "listening on" ${ms(median(starts), 0)} [${ms(median(baseStarts), 0)}]; ` +
        `RSS after the page load ${mib(round.rssKiB)}, peak ${mib(round.peakRssKiB)} [${mib(baseRound.rssKiB)}], after the walk ${mib(r.walk.rssKiB)}`,
    );
  }
  lines.push(
    `Walk, time per row ${sizeLabel(last.size)} ÷ ${sizeLabel(first.size)}: **${ratio(perRowUs(last.walk) / perRowUs(first.walk))}** ` +
      `(1× is linear growth of the whole walk; the rows walked grow ${ratio(last.walk.rows / first.walk.rows)}).`,
  );
  lines.push(
    `SQL localgraph runs (traced at ${sizeLabel(first.size)}), EXPLAIN QUERY PLAN, and the statement's time in SQLite alone at each size, as served:`,
  );
  for (const [i, statement] of first.plans.entries()) {
    lines.push(...describeStatement(statement).slice(0, 1));
    lines.push(`    - plan: ${describePlan(statement.plan)}`);
    lines.push(`    - SQLite alone: ${results.map((r) => `${sizeLabel(r.size)} ${ms(r.plans[i].ms, 2)}`).join(', ')}`);
  }
  return lines;
}

export const filteredPageScale: Suite = {
  name: 'filtered-page-scale',
  description:
    `GET .../connectors?$filter=${FILTER}&$orderby=machineName&$top=100 at each size (connectors in one tenant; two other tenants hold a tenth as many each), ` +
    'under load (BENCH_SCALE_CONNECTIONS, default 8), against the baseline running the same SQL shape (GET /connectors?status=…&startswith=…&orderby=machineName&top=100) ' +
    "on the same seeded file; then a full walk of $filter=status eq 'inactive' with Prefer: odata.maxpagesize=1000, following @odata.nextLink until absent, " +
    "timed per row. Rows are bulk-inserted into a real localgraph folder (bench/lib/seed.ts); both servers' first pages are checked against the expected ids, " +
    'and the walk against the number of inactive rows.',
  async run(context) {
    const max = env('BENCH_MAX_ROWS', 1_000_000);
    const sizes = SIZES.filter((n) => n <= max);
    if (!sizes.includes(max) && max > (sizes[sizes.length - 1] ?? 0)) sizes.push(max);
    const results: SizeResult[] = [];
    let traced: TracedStatement[] | undefined;
    for (const size of sizes) {
      const result = await runSize(context, size, traced);
      traced = result.traced;
      results.push(result);
    }
    return notes(results);
  },
};
