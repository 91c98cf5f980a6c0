/**
 * What a load run saw, per kind of operation: how many requests, their latencies, and the
 * requests that went wrong (an unexpected status, a network error or timeout, or a body that
 * contradicts what the client knows). Only the first few failures are kept in full: under load
 * one root cause tends to repeat, and the first occurrence is the one worth reading.
 */

/** How many failures are kept word for word. */
const KEPT_FAILURES = 10;

export interface OpSummary {
  op: string;
  requests: number;
  failures: number;
  /** milliseconds, nearest rank */
  p50: number;
  p99: number;
}

export class OpStats {
  private readonly latencies = new Map<string, number[]>();
  private readonly failed = new Map<string, number>();
  readonly firstFailures: string[] = [];
  failures = 0;

  /** One request of `op` that took `ms` (whatever its outcome). */
  request(op: string, ms: number): void {
    let list = this.latencies.get(op);
    if (!list) this.latencies.set(op, (list = []));
    list.push(ms);
  }

  /** Something went wrong in `op`; `detail` says what (request, status, body). */
  fail(op: string, detail: string): void {
    this.failures++;
    this.failed.set(op, (this.failed.get(op) ?? 0) + 1);
    if (this.firstFailures.length < KEPT_FAILURES) this.firstFailures.push(`${op}: ${detail}`);
  }

  get requests(): number {
    let total = 0;
    for (const list of this.latencies.values()) total += list.length;
    return total;
  }

  /** One line per operation, most frequent first. */
  summary(): OpSummary[] {
    return [...this.latencies.entries()]
      .map(([op, list]) => {
        const sorted = Float64Array.from(list).sort();
        return {
          op,
          requests: list.length,
          failures: this.failed.get(op) ?? 0,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
        };
      })
      .sort((a, b) => b.requests - a.requests || a.op.localeCompare(b.op));
  }
}

/** Nearest-rank percentile of ascending values (0 for none). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
