/**
 * Throttling of the token endpoint's failed credential checks, per client id and per source
 * address: past `maxFailures` wrong client secrets or passwords in a window, further checks that
 * would need hashing are refused with 429 and `Retry-After` until the window ends, as Entra ID
 * throttles clients that call it too often. A secret already known to be right (see
 * SecretChecker) costs no hashing and is never throttled, so a working client keeps working while
 * someone else floods its client id with wrong secrets.
 */
export interface TokenThrottleOptions {
  /** Failed checks allowed per key in one window. */
  maxFailures: number;
  windowSeconds: number;
  /** Keys tracked; the oldest go first. */
  maxEntries: number;
}

export const DEFAULT_TOKEN_THROTTLE: TokenThrottleOptions = { maxFailures: 20, windowSeconds: 60, maxEntries: 10_000 };

interface Window {
  startedAt: number;
  failures: number;
  /** Checks under way: counted as failures until they end, so a burst cannot outrun the limit. */
  pending: number;
}

/** A check allowed by {@link TokenThrottle.begin}: end it with `failed` or `passed`, once. */
export interface ThrottleTicket {
  failed(): void;
  passed(): void;
}

export class TokenThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly options: TokenThrottleOptions = DEFAULT_TOKEN_THROTTLE,
  ) {}

  /**
   * Starts a check for these keys, synchronously: refused (the seconds to wait) when any key's
   * failures plus checks under way reach the limit; otherwise a ticket, counted as pending.
   */
  begin(keys: string[]): ThrottleTicket | { retryAfter: number } {
    const windows = keys.map((key) => this.window(key));
    const full = windows.filter((w) => w.failures + w.pending >= this.options.maxFailures);
    if (full.length > 0) {
      // At least a second: a check under way that fails or passes decides sooner, but not by much.
      const ends = full.map((w) => Math.ceil((w.startedAt + this.options.windowSeconds * 1000 - this.now()) / 1000));
      return { retryAfter: Math.max(1, ...ends) };
    }
    for (const w of windows) w.pending += 1;
    let ended = false;
    const end = (failed: boolean) => {
      if (ended) return;
      ended = true;
      for (const w of windows) {
        w.pending -= 1;
        if (failed) w.failures += 1;
      }
    };
    return { failed: () => end(true), passed: () => end(false) };
  }

  /** Counts a failed check against each key (one that needed no hashing: a known wrong secret). */
  recordFailure(keys: string[]): void {
    for (const key of keys) this.window(key).failures += 1;
  }

  /** The key's current window, a fresh one when its last has ended (checks under way carry over). */
  private window(key: string): Window {
    let window = this.windows.get(key);
    if (window && this.now() - window.startedAt >= this.options.windowSeconds * 1000) {
      window.startedAt = this.now();
      window.failures = 0;
      if (window.pending === 0) {
        this.windows.delete(key);
        window = undefined;
      }
    }
    if (!window) {
      if (this.windows.size >= this.options.maxEntries) this.windows.delete(this.windows.keys().next().value as string);
      window = { startedAt: this.now(), failures: 0, pending: 0 };
      this.windows.set(key, window);
    }
    return window;
  }
}
