import { Worker } from 'node:worker_threads';
import { QueryTimeoutError } from './query-deadline.js';

/**
 * The reads of a SQLite data folder run off the event loop, on a few reader threads with their own
 * read-only connections (WAL lets readers run beside the writer): a slow `$filter` holds one
 * reader until its deadline, never the server. Writes and transactions stay on the main
 * connection (group commit, see sqlite.ts). A read started after a write's response was sent
 * sees that write: the response waits for the commit, and each read starts a fresh snapshot.
 *
 * The reader checks its statement's deadline itself (query-deadline.ts); a watchdog here answers
 * the caller and replaces the thread if a reader has not answered a second after the deadline.
 */
export interface ReadRequest {
  id: number;
  kind: 'all' | 'get';
  sql: string;
  params: unknown[];
}

export type ReadReply =
  | { id: number; columns: string[]; rows: unknown[][]; error?: undefined }
  | { id: number; error: { message: string; code?: string; timeout: boolean } };

/** Readers per data folder: a few slow queries at once still leave readers for the others. */
export const DEFAULT_READERS = 4;
const WATCHDOG_GRACE_MS = 1000;

interface Job {
  request: ReadRequest;
  resolve: (reply: { columns: string[]; rows: unknown[][] }) => void;
  reject: (error: unknown) => void;
}

interface Reader {
  worker: Worker;
  job?: Job;
  watchdog?: NodeJS.Timeout;
}

function replyError(error: { message: string; code?: string; timeout: boolean }, timeoutMs: number): Error {
  if (error.timeout) return new QueryTimeoutError(timeoutMs);
  return Object.assign(new Error(error.message), error.code === undefined ? {} : { code: error.code });
}

export class SqliteReaders {
  private readonly readers: Reader[] = [];
  private readonly waiting: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly timeoutMs: number,
    private readonly size = DEFAULT_READERS,
  ) {}

  read(kind: 'all' | 'get', sql: string, params: unknown[]): Promise<{ columns: string[]; rows: unknown[][] }> {
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ request: { id: this.nextId++, kind, sql, params }, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      let reader = this.readers.find((r) => r.job === undefined);
      if (!reader && this.readers.length < this.size) reader = this.spawn();
      if (!reader) return;
      const job = this.waiting.shift()!;
      reader.job = job;
      reader.worker.ref();
      reader.watchdog = setTimeout(() => this.abandon(reader!), this.timeoutMs + WATCHDOG_GRACE_MS);
      reader.worker.postMessage(job.request);
    }
  }

  private spawn(): Reader {
    const worker = new Worker(new URL('./sqlite-reader-worker.js', import.meta.url), {
      workerData: { file: this.file, timeoutMs: this.timeoutMs },
    });
    const reader: Reader = { worker };
    worker.on('message', (reply: ReadReply) => {
      const job = reader.job;
      if (!job || job.request.id !== reply.id) return;
      this.finish(reader);
      if (reply.error) job.reject(replyError(reply.error, this.timeoutMs));
      else job.resolve(reply);
      this.dispatch();
    });
    worker.on('error', (error) => {
      const job = reader.job;
      this.remove(reader);
      job?.reject(error);
      this.dispatch();
    });
    worker.on('exit', () => {
      const job = reader.job;
      this.remove(reader);
      job?.reject(new Error('a SQLite reader thread ended'));
      if (!this.closed) this.dispatch();
    });
    this.readers.push(reader);
    return reader;
  }

  private finish(reader: Reader): void {
    clearTimeout(reader.watchdog);
    reader.watchdog = undefined;
    reader.job = undefined;
    // An idle reader does not keep the process alive (a CLI command ends when its work does).
    reader.worker.unref();
  }

  private remove(reader: Reader): void {
    this.finish(reader);
    const index = this.readers.indexOf(reader);
    if (index >= 0) this.readers.splice(index, 1);
  }

  /** A reader that did not answer in time: its caller hears of the deadline, and a new thread takes its place. */
  private abandon(reader: Reader): void {
    const job = reader.job;
    this.remove(reader);
    void reader.worker.terminate();
    job?.reject(new QueryTimeoutError(this.timeoutMs));
    this.dispatch();
  }

  /** Ends every reader thread: reads waiting or running are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) job.reject(new Error('the database is closed'));
    const readers = this.readers.splice(0);
    for (const reader of readers) {
      const job = reader.job;
      this.finish(reader);
      job?.reject(new Error('the database is closed'));
    }
    await Promise.all(readers.map((r) => r.worker.terminate()));
  }
}
