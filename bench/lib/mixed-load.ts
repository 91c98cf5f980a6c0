import { GraphHttp } from './graph-http.js';
import { checkMembership, type MembershipReport, type TenantExpectation } from './membership-check.js';
import { AP, MixedLoadClient, type TenantRun } from './mixed-load-client.js';
import { OpStats, type OpSummary } from './op-stats.js';
import { cpuTimeMs } from './processes.js';
import { RssSampler, summarizeRss, type RssSample, type RssSummary } from './rss-trace.js';

/**
 * The mixed read/write load (issue 8): `clients` concurrent clients (bench/lib/mixed-load-client.ts),
 * spread over the tenants of `tokens`, each first making its data (not timed), then looping for
 * `seconds` over the application-proxy operations; the server's RSS sampled every second; then
 * the membership invariants of every tenant checked through Graph. Used by the "mixed-load" bench suite and by
 * test/mixed-load.e2e.test.ts.
 */

export interface MixedLoadOptions {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** a token with Directory.ReadWrite.All per tenant; client i works in tenant i mod tokens.length */
  tokens: string[];
  clients: number;
  seconds: number;
  /**
   * Keep going past `seconds` until this many requests have been answered, but not past
   * `maxSeconds`: a memory verdict needs the warm-up (a number of requests, not a time) to end
   * within the first quarter of the run, and a busy machine serves fewer requests per second.
   */
  minRequests?: number;
  maxSeconds?: number;
  /** the server's process id, to sample its memory; without it there are no memory figures */
  pid?: number;
  /** a request that receives nothing for this long is a failure (default 30 s) */
  timeoutMs?: number;
}

export interface MixedLoadResult {
  clients: number;
  tenants: number;
  /** from the first request to the last answer */
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  ops: OpSummary[];
  /** unexpected statuses, network errors, timeouts and wrong bodies */
  failures: number;
  firstFailures: string[];
  /** the server's CPU time (user + system) during the run, in seconds */
  serverCpuSeconds?: number;
  /** this process's (the clients') CPU time during the run, in seconds: with the server's, where the time went */
  clientCpuSeconds: number;
  rss?: RssSummary;
  rssSamples: RssSample[];
  /** the invariant check of each tenant, after the load */
  membership: MembershipReport[];
}

/** The tenant's default group, read before the load (its first request also makes the tenant's state). */
async function defaultGroup(http: GraphHttp, token: string): Promise<string> {
  const rows = await http.walk('setup', 'setup', token, `${AP}/connectorGroups`);
  const id = rows?.find((g) => g.isDefault === true)?.id;
  if (typeof id !== 'string')
    throw new Error(
      `mixed load: no default connector group: ${http.stats.firstFailures.join('; ') || JSON.stringify(rows)}`,
    );
  return id;
}

export async function runMixedLoad(options: MixedLoadOptions): Promise<MixedLoadResult> {
  const setup = new GraphHttp(options.origin, new OpStats(), 30_000);
  const tenants: TenantRun[] = [];
  for (const token of options.tokens) tenants.push({ token, defaultGroupId: await defaultGroup(setup, token) });

  const http = new GraphHttp(options.origin, setup.stats, options.timeoutMs ?? 30_000);
  const clients = Array.from(
    { length: options.clients },
    (_, i) => new MixedLoadClient(i, tenants[i % tenants.length], http),
  );
  await Promise.all(clients.map((client) => client.prepare()));
  if (setup.stats.failures > 0)
    throw new Error(`mixed load: the set-up failed: ${setup.stats.firstFailures.join('\n')}`);

  const stats = new OpStats();
  http.stats = stats;
  const sampler = options.pid === undefined ? undefined : new RssSampler(options.pid);
  const cpuBefore = options.pid === undefined ? undefined : cpuTimeMs(options.pid);
  const driverBefore = process.cpuUsage();
  const started = performance.now();
  const until = started + options.seconds * 1000;
  const cap = started + Math.max(options.seconds, options.maxSeconds ?? 0) * 1000;
  const minRequests = options.minRequests ?? 0;
  const goOn = () => {
    const now = performance.now();
    return now < until || (stats.requests < minRequests && now < cap);
  };
  await Promise.all(clients.map((client) => client.run(goOn)));
  const seconds = (performance.now() - started) / 1000;
  const driver = process.cpuUsage(driverBefore);
  const cpuAfter = options.pid === undefined ? undefined : cpuTimeMs(options.pid);
  const rssSamples = sampler?.stop() ?? [];
  http.close();
  setup.close();

  const membership: MembershipReport[] = [];
  for (const [t, tenant] of tenants.entries()) {
    const expectation: TenantExpectation = { ...tenant, connectors: new Map(), groups: new Set() };
    for (const client of clients.filter((_, i) => i % tenants.length === t)) {
      for (const c of client.connectors) expectation.connectors.set(c.id, c.group);
      for (const g of client.groups) expectation.groups.add(g);
    }
    membership.push(await checkMembership(options.origin, expectation));
  }

  return {
    clients: options.clients,
    tenants: tenants.length,
    seconds,
    requests: stats.requests,
    requestsPerSecond: stats.requests / seconds,
    ops: stats.summary(),
    failures: stats.failures,
    firstFailures: stats.firstFailures,
    serverCpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / 1000,
    clientCpuSeconds: (driver.user + driver.system) / 1e6,
    rss: summarizeRss(rssSamples),
    rssSamples,
    membership,
  };
}
