/**
 * localgraph on PostgreSQL as a scenario's subject: one or more instances on one schema, the load
 * split evenly across them, and what the PostgreSQL suites say when the database is missing.
 */
import { describeDatabase, unreachable } from '../lib/postgres.js';
import { startLocalgraph, type RunningLocalgraph, type ServerOptions } from '../lib/targets.js';
import type { LoadRequest } from '../lib/load.js';
import type { Target } from './scenario.js';

export const instancesLabel = (count: number) => `localgraph on PostgreSQL, ${count} instance${count === 1 ? '' : 's'}`;

/**
 * `count` instances of `localgraph serve --database-url url`, one after the other: the first
 * creates and migrates a fresh schema (the others would only wait on its migration lock). Stops
 * those already started when one fails.
 */
export async function startInstances(options: ServerOptions, url: string, count: number): Promise<RunningLocalgraph[]> {
  const servers: RunningLocalgraph[] = [];
  try {
    for (let i = 0; i < count; i++) servers.push(await startLocalgraph(options, { databaseUrl: url }));
    return servers;
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop()));
    throw error;
  }
}

/**
 * A target over running instances: `path` under /beta/ at each, connections taking them in turn.
 * Its startup time is the first instance's (the one that migrated a fresh schema).
 */
export function instancesTarget(
  servers: RunningLocalgraph[],
  path: string,
  request: Omit<LoadRequest, 'url' | 'otherUrls'>,
  expect: { status: number; verify?(body: string): void },
  stop: () => Promise<void>,
): Target {
  const [first, ...others] = servers;
  return {
    label: instancesLabel(servers.length),
    request: { ...request, url: `${first.baseUrl}${path}`, otherUrls: others.map((s) => `${s.baseUrl}${path}`) },
    expectStatus: expect.status,
    verify: expect.verify,
    pid: first.pid,
    otherPids: others.map((s) => s.pid),
    startupMs: first.startupMs,
    stop,
  };
}

/** The report's note when PostgreSQL does not answer (the suite then measures nothing), or undefined when it does. */
export async function skipNote(log: (message: string) => void): Promise<string | undefined> {
  const why = await unreachable();
  if (why === undefined) return undefined;
  log(`skipped: PostgreSQL is not reachable at ${describeDatabase()}: ${why}`);
  return `**Skipped**: PostgreSQL could not be had (${describeDatabase()}: ${why}). Set BENCH_DATABASE_URL to a database where the bench may create and drop schemas.`;
}

/** What the PostgreSQL rows do and do not show; notes under each PostgreSQL suite. */
export function postgresNotes(): string[] {
  return [
    `Database: ${describeDatabase()}, a fresh schema per data set, dropped afterwards; localgraph's defaults (pool of 10 connections per instance, serialisable transactions).`,
    "Two instances: autocannon's connections alternate between the two ports (16 each), one latency histogram over both; CPU per request and RSS are the two processes' sums.",
    "Server CPU per request counts localgraph's processes only: PostgreSQL's backends, which do the work SQLite does inside the baseline's process, are not counted, so that ratio flatters these rows. Throughput and p99 are the comparable figures.",
    'Everything shares the 2 cores: the load generator, the baseline or the instances, and PostgreSQL. A second instance adds no cores here; its row shows what sharing one database costs more than how it scales.',
  ];
}
