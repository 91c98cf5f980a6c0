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

export const DEFAULT_TOKEN_THROTTLE: TokenThrottleOptions = { maxFailures: 50, windowSeconds: 60, maxEntries: 10_000 };

interface Window {
  startedAt: number;
  failures: number;
}

export class TokenThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly options: TokenThrottleOptions = DEFAULT_TOKEN_THROTTLE,
  ) {}

  /** Seconds to wait before checking a credential for any of these keys again; 0 when allowed. */
  retryAfter(keys: string[]): number {
    let seconds = 0;
    for (const key of keys) {
      const window = this.current(key);
      if (window && window.failures >= this.options.maxFailures) {
        seconds = Math.max(seconds, Math.ceil((window.startedAt + this.options.windowSeconds * 1000 - this.now()) / 1000));
      }
    }
    return seconds;
  }

  /** Counts a failed check against each key. */
  recordFailure(keys: string[]): void {
    for (const key of keys) {
      let window = this.current(key);
      if (!window) {
        if (this.windows.size >= this.options.maxEntries) this.windows.delete(this.windows.keys().next().value as string);
        window = { startedAt: this.now(), failures: 0 };
        this.windows.set(key, window);
      }
      window.failures += 1;
    }
  }

  private current(key: string): Window | undefined {
    const window = this.windows.get(key);
    if (window && this.now() - window.startedAt >= this.options.windowSeconds * 1000) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}
