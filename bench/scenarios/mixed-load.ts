import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { runMixedLoad, type MixedLoadResult } from '../lib/mixed-load.js';
import { GROWTH_BOUND_KIB, mib, WARMUP_SHARE } from '../lib/rss-trace.js';
import { localgraphToken, startLocalgraph } from '../lib/targets.js';
import type { Suite } from './scenario.js';

/**
 * Issue 8's load goal: a mixed read/write load at 64 concurrent clients for 60 seconds
 * (BENCH_LOAD_SECONDS) against localgraph on a fresh SQLite data folder ends with zero failures,
 * the membership invariants intact and stable memory. There is no baseline to compare with: the
 * figures stand alone, and a failure of any of the three marks the run failed (exit code 1).
 */

const CLIENTS = 64;
const SCOPES = 'Directory.ReadWrite.All';

function loadSeconds(): number {
  const raw = process.env.BENCH_LOAD_SECONDS;
  if (raw === undefined || raw === '') return 60;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`BENCH_LOAD_SECONDS must be a positive number, not '${raw}'`);
  return value;
}

const count = (n: number) => n.toLocaleString('en-US');

function cpu(who: string, seconds: number | undefined, result: MixedLoadResult): string {
  if (seconds === undefined) return `${who} not measured`;
  return `${who} ${seconds.toFixed(1)} s (${((100 * seconds) / result.seconds).toFixed(0)} % of one core, ${((1000 * seconds) / result.requests).toFixed(2)} ms per request)`;
}

function notes(result: MixedLoadResult, loadAtStart: number): { notes: string[]; failed: string[] } {
  const problems = result.membership.flatMap((m, t) => m.problems.map((p) => `tenant ${t + 1}: ${p}`));
  const rss = result.rss;
  const failed = [
    ...(result.failures > 0 ? [`${result.failures} failed requests`] : []),
    ...(problems.length > 0 ? [`${problems.length} invariant problems`] : []),
    ...(rss && !rss.stable ? ['memory grew past the bound'] : []),
  ];
  const lines = [
    failed.length === 0
      ? `**Passed**: no failed request, the invariants hold, memory ${rss ? 'stable' : 'not measured'}.`
      : `**FAILED**: ${failed.join(', ')}.`,
    `${result.clients} clients over ${result.tenants} tenants, ${result.seconds.toFixed(1)} s: ${count(result.requests)} requests, ` +
      `${result.requestsPerSecond.toFixed(0)} requests/s, ${result.failures} failures (unexpected status, network error, timeout or a body contradicting what the client wrote). ` +
      `The clients and the server share the machine's ${cpus().length} CPUs; its 1-minute load average at the start was ${loadAtStart.toFixed(1)} (other work slows every figure).`,
    `CPU over the ${result.seconds.toFixed(1)} s: ${cpu('server', result.serverCpuSeconds, result)}; ${cpu(`the ${result.clients} clients (one Node process, node:http)`, result.clientCpuSeconds, result)}.`,
    'Per operation: requests, p50 / p99 latency (each client one request at a time; latency includes queueing behind the other clients):',
    ...result.ops.map(
      (o) =>
        `  - ${o.op}: ${count(o.requests)}, ${o.p50.toFixed(1)} / ${o.p99.toFixed(1)} ms${o.failures > 0 ? `, **${o.failures} failed**` : ''}`,
    ),
    rss
      ? `Server RSS (VmRSS, sampled every second, ${rss.samples} samples): start ${mib(rss.startKiB)}, at ${WARMUP_SHARE * 100} % (after warm-up) ${mib(rss.warmKiB)}, ` +
        `peak ${mib(rss.peakKiB)}, end ${mib(rss.endKiB)}; second-half trend ${((rss.slopeKiBPerSecond * 60) / 1024).toFixed(1)} MiB/min. ` +
        `Lowest RSS of the second quarter ${mib(rss.warmTroughKiB)}, of the last quarter ${mib(rss.endTroughKiB)}: ${(rss.growthKiB / 1024).toFixed(1)} MiB of growth, ` +
        `bound ${mib(GROWTH_BOUND_KIB)} (bench/lib/rss-trace.ts): ${rss.stable ? 'stable' : '**not stable**'}. ` +
        `At least a quarter of the requests (${count(Math.round(result.requests * WARMUP_SHARE))}) lie between the two quarters, so a leak of ` +
        `${count(Math.ceil((GROWTH_BOUND_KIB * 1024) / (result.requests * WARMUP_SHARE)))} bytes per request or more would have shown.`
      : 'Server RSS: not measured (no /proc).',
    `Invariants after the load (through Graph): ${result.membership
      .map((m, t) => `tenant ${t + 1}: ${count(m.connectors)} connectors in ${m.groups} groups`)
      .join(
        '; ',
      )}; one default group per tenant, every connector in exactly one existing group (the one its client last moved it to): ${problems.length === 0 ? 'hold' : '**broken**'}.`,
  ];
  const shown = [...result.firstFailures, ...problems].slice(0, 10);
  if (shown.length > 0)
    lines.push('First failures:', ...shown.map((f) => `  - \`${f.replace(/`/g, "'").slice(0, 600)}\``));
  return { notes: lines, failed };
}

export const mixedLoad: Suite = {
  name: 'mixed-load',
  description:
    `${CLIENTS} concurrent clients over two tenants for BENCH_LOAD_SECONDS (default 60) against localgraph on a fresh SQLite data folder, each looping over ` +
    'create, get, PATCH, paged and filtered lists, group create and delete, moves through members/$ref and memberOf/$ref, memberOf reads and $batch ' +
    '(bench/lib/mixed-load-client.ts), with every answer checked against what the client wrote; then the membership invariants, checked through Graph.',
  async run(context) {
    const seconds = loadSeconds();
    const server = await startLocalgraph(context.serverOptions);
    try {
      const tokens = [await server.token(SCOPES), await localgraphToken(server.dataDir, randomUUID(), SCOPES)];
      context.log(`${CLIENTS} clients over ${tokens.length} tenants for ${seconds} s`);
      const loadAtStart = loadavg()[0];
      const result = await runMixedLoad({
        origin: new URL(server.baseUrl).origin,
        tokens,
        clients: CLIENTS,
        seconds,
        pid: server.pid,
      });
      const { notes: lines, failed } = notes(result, loadAtStart);
      context.log(`${result.requests} requests, ${result.requestsPerSecond.toFixed(0)}/s, ${result.failures} failures`);
      if (failed.length > 0) {
        context.log(`FAILED: ${failed.join(', ')}`);
        // The runner fails a run on a compared scenario's errors; a suite of its own says so here.
        process.exitCode = 1;
      }
      return lines;
    } finally {
      await server.stop();
    }
  },
};
