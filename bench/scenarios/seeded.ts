/** Targets over a seeded folder (bench/lib/seed.ts): both servers read the same database file. */
import { MAIN_TENANT, type SeededFolder } from '../lib/seed.js';
import { startBaseline, startLocalgraph, type ServerOptions } from '../lib/targets.js';
import { planWarnings, type PlannedStatement } from '../lib/sql-plan.js';
import type { Target } from './scenario.js';

/** Read-only servers on a seeded folder lose nothing to a quick SIGKILL (seconds-long queries may still be queued). */
export const READ_ONLY_STOP_GRACE_MS = 2000;

/** The baseline on the folder's localgraph.db, serving the main tenant; GET `path` (e.g. "connectors?top=100"). */
export async function baselineOn(
  options: ServerOptions,
  folder: SeededFolder,
  path: string,
  verify: (body: string) => void,
): Promise<Target> {
  const server = await startBaseline(options, { dbFile: folder.dbFile, tenantId: MAIN_TENANT });
  return {
    label: 'baseline (node:http + better-sqlite3)',
    request: { url: `${server.baseUrl}${path}`, method: 'GET' },
    expectStatus: 200,
    verify,
    pid: server.pid,
    startupMs: server.startupMs,
    stop: () => server.stop(READ_ONLY_STOP_GRACE_MS),
  };
}

/** localgraph on the folder, as the main tenant; GET `path` under /beta/. */
export async function localgraphOn(
  options: ServerOptions,
  folder: SeededFolder,
  path: string,
  verify: (body: string) => void,
  headers: Record<string, string> = {},
): Promise<Target> {
  const server = await startLocalgraph(options, { dataDir: folder.dataDir });
  return {
    label: 'localgraph',
    request: {
      url: `${server.baseUrl}${path}`,
      method: 'GET',
      headers: { authorization: `Bearer ${folder.token}`, ...headers },
    },
    expectStatus: 200,
    verify,
    pid: server.pid,
    startupMs: server.startupMs,
    stop: () => server.stop(READ_ONLY_STOP_GRACE_MS),
  };
}

/** A plan in backquotes, with what it means where that is worth a warning. */
export function describePlan(plan: string): string {
  const warnings = planWarnings(plan);
  return `\`${plan}\`${warnings.length > 0 ? ` (${warnings.join('; ')})` : ''}`;
}

/** One statement as report lines: the request, SQL, its parameters, SQLite's plan and time. */
export function describeStatement(s: PlannedStatement): string[] {
  return [
    `  - ${s.label}: \`${s.sql}\` with ${JSON.stringify(s.params)}`,
    `    - plan: ${describePlan(s.plan)}; SQLite alone: ${s.ms.toFixed(2)} ms for ${s.rows} rows`,
  ];
}

export const ms = (value: number, digits = 1) => `${value.toFixed(digits)} ms`;
export const ratio = (value: number) => `${value.toFixed(2)}×`;
