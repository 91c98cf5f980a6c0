/**
 * A preload that records every SQL statement a server runs through better-sqlite3, with its
 * parameters, one JSON line each ({"sql": ..., "params": [...]}) appended to the file named by
 * $LOCALGRAPH_BENCH_SQL_TRACE. The bench uses it to see the exact SQL localgraph sends for a
 * request, and to EXPLAIN it against the same database.
 *
 *   LOCALGRAPH_BENCH_SQL_TRACE=/tmp/sql.jsonl node --import ./dist/bench/sql-trace.js dist/src/cli/main.js serve ...
 *
 * It writes synchronously on every statement: never load it in a measured run.
 */
import { appendFileSync } from 'node:fs';
import Database from 'better-sqlite3';

const file = process.env.LOCALGRAPH_BENCH_SQL_TRACE;

type Method = (this: Database.Statement, ...params: unknown[]) => unknown;

if (file) {
  const prepare = Database.prototype.prepare;
  const patched = new WeakSet<object>();
  Database.prototype.prepare = function (this: Database.Database, source: string) {
    const statement = prepare.call(this, source) as Database.Statement;
    const proto = Object.getPrototypeOf(statement) as Record<string, Method>;
    if (!patched.has(proto)) {
      patched.add(proto);
      for (const name of ['all', 'get', 'run', 'iterate']) {
        const original = proto[name];
        proto[name] = function (this: Database.Statement, ...params: unknown[]) {
          appendFileSync(file, `${JSON.stringify({ sql: this.source, params })}\n`);
          return original.apply(this, params);
        };
      }
    }
    return statement;
  } as typeof prepare;
}
