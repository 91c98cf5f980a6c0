import { createHmac, randomBytes } from 'node:crypto';
import { hashSecret, verifySecret } from './secrets.js';

/**
 * Checks presented secrets (client secrets, passwords) against their stored scrypt hashes with
 * bounded work. scrypt is slow on purpose (tens of milliseconds of CPU each), so that unbounded,
 * unauthenticated wrong secrets would take every thread and slow every valid request: here at
 * most `concurrency` hashes run at once, at most `maxQueued` wait, and a request past that is
 * refused at once ({@link HashingBusyError}) instead of joining an ever longer line.
 *
 * A secret once checked is remembered in memory as a keyed hash (a random key per process, never
 * the secret in clear), with its result: a valid client's next requests cost a microsecond and
 * never wait behind an attacker's wrong secrets, and a wrong secret sent again costs nothing.
 */
export interface SecretCheckerOptions {
  /** Hashes computed at once (libuv's pool has 4 threads; the rest stay free for files and DNS). */
  concurrency: number;
  /** Checks waiting for a hashing slot; one more is refused. */
  maxQueued: number;
  /** Results remembered, of each kind (right and wrong kept apart, so wrong ones never evict right ones). */
  rememberedResults: number;
}

export const DEFAULT_SECRET_CHECKER: SecretCheckerOptions = { concurrency: 2, maxQueued: 32, rememberedResults: 1000 };

/** More secrets are waiting to be hashed than the queue holds: try again shortly. */
export class HashingBusyError extends Error {
  constructor() {
    super('too many secrets are waiting to be checked');
    this.name = 'HashingBusyError';
  }
}

export class SecretChecker {
  private readonly key = randomBytes(32);
  private readonly right = new Map<string, true>();
  private readonly wrong = new Map<string, true>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private decoy: Promise<string> | undefined;
  private computed = 0;

  constructor(private readonly options: SecretCheckerOptions = DEFAULT_SECRET_CHECKER) {}

  /** What is already known of `secret` against `stored`, without hashing: undefined when unknown. */
  known(secret: string, stored: string): boolean | undefined {
    const id = this.id(secret, stored);
    if (this.right.has(id)) return true;
    if (this.wrong.has(id)) return false;
    return undefined;
  }

  /** Whether `secret` matches `stored`; throws {@link HashingBusyError} when the queue is full. */
  async verify(secret: string, stored: string): Promise<boolean> {
    const known = this.known(secret, stored);
    if (known !== undefined) return known;
    const ok = await this.hashing(() => verifySecret(secret, stored));
    this.remember(ok ? this.right : this.wrong, this.id(secret, stored));
    return ok;
  }

  /**
   * The same work as {@link verify} for a secret that has nothing to match (a user that does not
   * exist), so that the answer's time does not tell whether the user exists.
   */
  async verifyNothing(secret: string): Promise<false> {
    this.decoy ??= hashSecret(randomBytes(16).toString('base64url'));
    const decoy = await this.decoy;
    // Never answered from memory: a real user's hash is checked anew for each new password, so
    // this is too (else a password tried on two unknown names would answer faster the second time).
    await this.hashing(() => verifySecret(secret, decoy));
    return false;
  }

  /** Hashes waiting for a slot now (for tests and diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }

  /** Hashes computed so far (for tests and diagnostics). */
  get hashes(): number {
    return this.computed;
  }

  private async hashing<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.options.concurrency) {
      if (this.waiting.length >= this.options.maxQueued) throw new HashingBusyError();
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    this.computed += 1;
    try {
      return await work();
    } finally {
      // The slot passes to the next waiter directly, so nothing can cut in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }

  private id(secret: string, stored: string): string {
    return createHmac('sha256', this.key).update(stored).update('\0').update(secret).digest('base64');
  }

  private remember(results: Map<string, true>, id: string): void {
    if (results.size >= this.options.rememberedResults) results.delete(results.keys().next().value as string);
    results.set(id, true);
  }
}
