import { Worker } from 'node:worker_threads';

/**
 * Checkpoints of a SQLite data folder's write-ahead log, on a thread of their own. SQLite's
 * automatic checkpoint runs inside the COMMIT that takes the log past 1000 pages: it copies the
 * pages into the database file and syncs it, all on the event loop, which then answers nothing
 * for that while (a create's profile showed a fifth of its time in COMMIT). Here the writing
 * connection's automatic checkpoint is moved far out, to {@link BACKSTOP_PAGES}, and every
 * {@link CHECKPOINT_EVERY_COMMITS} commits a PASSIVE checkpoint runs on the thread, with its own
 * connection: it copies what it can without waiting for readers or the writer. The backstop
 * still bounds the log if the thread falls behind (or fails): then the commit checkpoints, as
 * before. Durability does not change: a commit is in the log before it is answered either way.
 */
export const CHECKPOINT_EVERY_COMMITS = 64;
/** The writing connection's `wal_autocheckpoint`: pages of log after which its COMMIT checkpoints itself (about 40 MB). */
export const BACKSTOP_PAGES = 10_000;

export class SqliteCheckpointer {
  private worker: Worker | undefined;
  private running = false;
  private commits = 0;
  private closed = false;

  constructor(
    private readonly file: string,
    private readonly everyCommits = CHECKPOINT_EVERY_COMMITS,
  ) {}

  /** After each commit: every `everyCommits`, a checkpoint on the thread (one at a time). */
  committed(): void {
    if (this.closed) return;
    this.commits++;
    if (this.running || this.commits < this.everyCommits) return;
    this.commits = 0;
    this.running = true;
    const worker = (this.worker ??= this.spawn());
    // A checkpoint under way keeps the process alive until it ends; an idle thread does not.
    worker.ref();
    worker.postMessage(null);
  }

  private spawn(): Worker {
    const worker = new Worker(new URL('./sqlite-checkpoint-worker.js', import.meta.url), { workerData: { file: this.file } });
    worker.on('message', () => {
      // A failed checkpoint is retried after the next `everyCommits` commits; the backstop bounds the log meanwhile.
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
