import { createHmac, randomBytes } from 'node:crypto';

/**
 * Password sign-in lockout, after Entra ID's smart lockout: after `threshold` failed sign-ins an
 * account is locked for `lockoutSeconds`, and each further lockout lasts twice as long (up to
 * an hour). While locked, even the right password is refused. Repeating one of the last three
 * wrong passwords does not count again (a client retrying the same stale password is not an
 * attacker guessing). Kept in memory per server: a restart unlocks, as it would in a test.
 */
export interface LockoutOptions {
  threshold: number;
  lockoutSeconds: number;
  /** At most this many accounts are tracked; the oldest entries go first. */
  maxEntries: number;
}

export const DEFAULT_LOCKOUT: LockoutOptions = { threshold: 10, lockoutSeconds: 60, maxEntries: 10_000 };
const MAX_LOCKOUT_SECONDS = 3600;
const REMEMBERED_PASSWORDS = 3;

interface Account {
  failures: number;
  /** Attempts being verified now: counted before their hash is checked, so parallel guesses cannot outrun the count. */
  pending: number;
  lockouts: number;
  lockedUntil: number;
  recent: string[];
}

/**
 * What {@link SignInLockout.begin} decided about one attempt: refused at once (`locked`), known
 * wrong without hashing (`repeat`: one of the last wrong passwords), or to be verified, after
 * which exactly one of `succeeded`, `failed` or `abandoned` must be called.
 */
export type Attempt =
  | { outcome: 'locked' }
  | { outcome: 'repeat' }
  | { outcome: 'verify'; succeeded(): void; failed(): boolean; abandoned(): void };

/** Failed password sign-ins per account (`{tenant}/{user id}`), and the lockouts they cause. */
export class SignInLockout {
  private readonly accounts = new Map<string, Account>();
  // Wrong passwords are remembered only as keyed hashes, never in clear.
  private readonly pepper = randomBytes(32);

  constructor(
    private readonly now: () => number = Date.now,
    private readonly options: LockoutOptions = DEFAULT_LOCKOUT,
  ) {}

  /** Whether the account is locked now. */
  isLocked(account: string): boolean {
    const state = this.accounts.get(account);
    return state !== undefined && state.lockedUntil > this.now();
  }

  /**
   * Starts a sign-in attempt, synchronously (no await between the check and the count): an
   * account whose confirmed failures plus attempts in flight reach the threshold refuses further
   * attempts as locked, so sixty guesses sent at once get at most `threshold` verifications.
   */
  begin(account: string, password: string): Attempt {
    if (this.isLocked(account)) return { outcome: 'locked' };
    const state = this.state(account);
    const fingerprint = this.fingerprint(password);
    if (state.recent.includes(fingerprint)) return { outcome: 'repeat' };
    if (state.failures + state.pending >= this.options.threshold) return { outcome: 'locked' };
    state.pending += 1;
    let settled = false;
    const settle = () => {
      if (settled) throw new Error('a sign-in attempt is settled once');
      settled = true;
      state.pending -= 1;
    };
    return {
      outcome: 'verify',
      succeeded: () => {
        settle();
        this.recordSuccess(account);
      },
      failed: () => {
        settle();
        return this.recordFailure(account, password);
      },
      // The check never ran (throttled, or the hashing queue full): nothing to count.
      abandoned: settle,
    };
  }

  /** Counts a failed sign-in with `password`; returns whether the account is now locked. */
  recordFailure(account: string, password: string): boolean {
    const state = this.state(account);
    const fingerprint = this.fingerprint(password);
    if (state.recent.includes(fingerprint)) return this.isLocked(account);
    state.recent = [fingerprint, ...state.recent].slice(0, REMEMBERED_PASSWORDS);
    state.failures += 1;
    if (state.failures >= this.options.threshold) {
      const seconds = Math.min(this.options.lockoutSeconds * 2 ** state.lockouts, MAX_LOCKOUT_SECONDS);
      state.lockedUntil = this.now() + seconds * 1000;
      state.lockouts += 1;
      // After the lockout one more failure locks again (for longer), as smart lockout does.
      state.failures = this.options.threshold - 1;
      state.recent = [];
    }
    return this.isLocked(account);
  }

  /** A successful sign-in clears the failures (not the count of past lockouts). */
  recordSuccess(account: string): void {
    const state = this.accounts.get(account);
    if (state) {
      state.failures = 0;
      state.recent = [];
    }
  }

  private fingerprint(password: string): string {
    return createHmac('sha256', this.pepper).update(password).digest('base64');
  }

  private state(account: string): Account {
    let state = this.accounts.get(account);
    if (!state) {
      if (this.accounts.size >= this.options.maxEntries)
        this.accounts.delete(this.accounts.keys().next().value as string);
      state = { failures: 0, pending: 0, lockouts: 0, lockedUntil: 0, recent: [] };
      this.accounts.set(account, state);
    }
    return state;
  }
}
