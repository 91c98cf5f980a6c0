/**
 * Runs async tasks one after another. better-sqlite3 has one connection: if two requests'
 * statements interleaved, one could run inside the other's open transaction. Every use of the
 * connection goes through this queue, so a transaction sees only its own statements.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
