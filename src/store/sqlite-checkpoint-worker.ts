/**
 * The checkpoint thread of a SQLite data folder (see sqlite-checkpointer.ts): its own connection,
 * one PASSIVE checkpoint per message (it copies what it can from the write-ahead log into the
 * database file without waiting for readers or the writer), answered with the frames it copied.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const { file } = workerData as { file: string };
const db = new Database(file, { fileMustExist: true });
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');

parentPort!.on('message', () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    parentPort!.postMessage({ checkpointed: result?.checkpointed ?? 0 });
  } catch (error) {
    parentPort!.postMessage({ error: String((error as Error)?.message ?? error) });
  }
});
