/**
 * One reader thread of a SQLite data folder (see sqlite-readers.ts): its own read-only
 * connection, statements cached by their text and read raw, one request at a time, each with
 * its deadline.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { StatementDeadline, QueryTimeoutError } from './query-deadline.js';
import type { ReadReply, ReadRequest } from './sqlite-readers.js';

const { file, timeoutMs } = workerData as { file: string; timeoutMs: number };
const db = new Database(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const deadline = new StatementDeadline(db, timeoutMs);
const statements = new Map<string, { statement: Database.Statement; columns: string[] }>();

function prepare(sql: string): { statement: Database.Statement; columns: string[] } {
  let prepared = statements.get(sql);
  if (!prepared) {
    const statement = db.prepare(sql);
    prepared = statement.reader
      ? { statement: statement.raw(true), columns: statement.columns().map((c) => c.name) }
      : { statement, columns: [] };
    statements.set(sql, prepared);
  }
  return prepared;
}

parentPort!.on('message', (request: ReadRequest) => {
  let reply: ReadReply;
  try {
    const { statement, columns } = prepare(request.sql);
    deadline.start();
    const rows =
      request.kind === 'all'
        ? (statement.all(...request.params) as unknown[][])
        : [statement.get(...request.params) as unknown[] | undefined].filter((r) => r !== undefined);
    reply = { id: request.id, columns, rows };
  } catch (error) {
    const e = error as { message?: string; code?: string };
    reply = {
      id: request.id,
      error: {
        message: String(e?.message ?? error),
        code: typeof e?.code === 'string' ? e.code : undefined,
        timeout: error instanceof QueryTimeoutError,
      },
    };
  }
  parentPort!.postMessage(reply);
});
