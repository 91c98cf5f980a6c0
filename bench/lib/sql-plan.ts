/**
 * The SQL behind a request: what localgraph actually ran (from a traced server, see
 * bench/sql-trace.ts), SQLite's plan for it (EXPLAIN QUERY PLAN), and how long it takes in
 * SQLite alone, against the same database file. Separates the database's share of a slow
 * request from the server's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LIVE_FUNCTION } from '../../src/store/query-deadline.js';
import { removeTempDir, tempDir } from './processes.js';
import { startLocalgraph, type ServerOptions } from './targets.js';

export interface TracedStatement {
  /** the request it came from */
  label: string;
  sql: string;
  params: unknown[];
}

/** The SELECTs over `table` in a trace file's lines from `fromLine` on, each labelled `label`. */
function readTrace(
  file: string,
  fromLine: number,
  table: string,
  label: string,
): { statements: TracedStatement[]; lines: number } {
  const from = new RegExp(`\\bFROM ${table}\\b`);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const statements = lines
    .slice(fromLine)
    .map((line) => JSON.parse(line) as Omit<TracedStatement, 'label'>)
    .filter((entry) => /^\s*SELECT\b/i.test(entry.sql) && from.test(entry.sql))
    .map((entry) => ({ label, sql: entry.sql, params: entry.params }));
  return { statements, lines: lines.length };
}

/**
 * Starts localgraph on `dataDir` with the SQL trace, sends `requests` (paths under /beta/, with
 * headers) one after another, stops it, and returns the SELECTs over `table` each one ran, labelled
 * with the request's label. `followNextLink` also sends the first response's @odata.nextLink, so
 * a keyset page is traced too (labelled "<label>, next page").
 */
export async function traceRequests(
  serverOptions: ServerOptions,
  dataDir: string,
  requests: Array<{ label: string; path: string; headers: Record<string, string>; followNextLink?: boolean }>,
  table: string,
): Promise<TracedStatement[]> {
  const dir = tempDir('trace');
  const file = join(dir, 'sql.jsonl');
  const traced: TracedStatement[] = [];
  const server = await startLocalgraph(serverOptions, { dataDir, sqlTraceFile: file });
  try {
    let seen = readTrace(file, 0, table, '').lines; // the start's own statements
    for (const request of requests) {
      let url: string | undefined = `${server.baseUrl}${request.path}`;
      for (let page = 0; url !== undefined && page < (request.followNextLink ? 2 : 1); page++) {
        const response: Response = await fetch(url, { headers: request.headers });
        const body = (await response.json()) as { '@odata.nextLink'?: string };
        if (response.status !== 200)
          throw new Error(`trace: ${request.path} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
        url = body['@odata.nextLink'];
        const read = readTrace(file, seen, table, page === 0 ? request.label : `${request.label}, next page`);
        traced.push(...read.statements);
        seen = read.lines;
      }
    }
  } finally {
    await server.stop();
    removeTempDir(dir);
  }
  return traced;
}

export interface PlannedStatement extends TracedStatement {
  /** EXPLAIN QUERY PLAN's details, joined with " | " */
  plan: string;
  /** the fastest of a few runs (fewer when runs are slow: about two seconds' worth, at least one), in ms */
  ms: number;
  rows: number;
}

/** The plan and SQLite-only time of each statement against `dbFile` (opened read-write, nothing written). */
export function explainAndTime(dbFile: string, statements: TracedStatement[], runs = 7): PlannedStatement[] {
  const db = new Database(dbFile);
  // The deadline check localgraph's SQL calls (src/store/query-deadline.ts), without a deadline here.
  db.function(LIVE_FUNCTION, { deterministic: false, varargs: true }, () => 1);
  try {
    return statements.map((s) => {
      const plan = db
        .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${s.sql}`)
        .all(...s.params)
        .map((r) => r.detail)
        .join(' | ');
      const statement = db.prepare(s.sql);
      let best = Infinity;
      let rows = 0;
      let spent = 0;
      for (let run = 0; run < runs && spent < 2000; run++) {
        const start = performance.now();
        rows = statement.all(...s.params).length;
        const elapsed = performance.now() - start;
        best = Math.min(best, elapsed);
        spent += elapsed;
      }
      return { ...s, plan, ms: best, rows };
    });
  } finally {
    db.close();
  }
}

/** What a plan says about the work, in words: a full table scan, a sort of every matching row. */
export function planWarnings(plan: string): string[] {
  const warnings: string[] = [];
  if (/\bSCAN \w+$|\bSCAN \w+ \|/.test(plan)) warnings.push('reads the whole table');
  if (/USE TEMP B-TREE FOR ORDER BY/.test(plan))
    warnings.push(
      'reads and sorts every row the index condition admits before the first one is returned (temp B-tree)',
    );
  return warnings;
}
