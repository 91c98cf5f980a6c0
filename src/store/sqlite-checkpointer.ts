import { Worker } from 'node:worker_threads';

/**
 * Checkpoints of a SQLite data folder's write-ahead log, on a thread of their own. SQLite's
 * automatic checkpoint runs inside the COMMIT that takes the log past 1000 pages: it copies the
 * pages into the database file and syncs it, all on the event loop, which then answers nothing
 * for that while (a create's profile showed a fifth of its time in COMMIT). Here the writing
 * connection's automatic checkpoint is moved far out, to {@link BACKSTOP_PAGES}, and after every
 * {@link CHECKPOINT_EVERY_WRITES} committed writes a PASSIVE checkpoint runs on the thread, with
 * its own connection: it copies what it can without waiting for readers or the writer. Writes,
 * not commits, are counted: a commit's pages grow with the writes it groups (a connector's
 * create changes about four pages: its row and three indexes), so 256 writes are about the 1000
 * pages at which SQLite checkpoints by default, however the writes were grouped. The backstop
 * still bounds the log if the thread falls behind (or fails): then the commit checkpoints, as
 * before. Durability does not change: a commit is in the log before it is answered either way.
 */
export const CHECKPOINT_EVERY_WRITES = 256;
/** The writing connection's `wal_autocheckpoint`: pages of log after which its COMMIT checkpoints itself (about 40 MB). */
export const BACKSTOP_PAGES = 10_000;

export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private writes = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly everyWrites = CHECKPOINT_EVERY_WRITES,
  ) {}

  /** After each commit of `writes` writes: every `everyWrites`, a checkpoint on the thread (one at a time). */
  committed(writes: number): void {
    if (this.closed) return;
    this.writes += writes;
    if (this.running || this.writes < this.everyWrites) return;
    this.writes = 0;
    this.running = true;
    const worker = (this.worker ??= this.spawn());
    // A checkpoint under way keeps the process alive until it ends; an idle thread does not.
    worker.ref();
    worker.postMessage(null);
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./sqlite-checkpoint-worker.js', import.meta.url), {
      workerData: { file: this.file },
    });
    worker.on('message', () => {
      // A failed checkpoint is retried after the next `everyWrites` writes; the backstop bounds the log meanwhile.
      this.running = false;
      worker.unref();
    });
    const gone = () => {
      if (this.worker === worker) this.worker = undefined;
      this.running = false;
    };
    worker.on('error', gone);
    worker.on('exit', gone);
    worker.unref();
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = this.worker;
    this.worker = undefined;
    await worker?.terminate();
  }
}
