import type { Clock } from '../resources/clock.js';

/** What a {@link ControlledClock} is doing, as the admin API reports it. */
export interface ClockState {
  /** `system`: real time; `frozen`: stopped at `now`; `offset`: real time shifted by `offsetSeconds`. */
  mode: 'system' | 'frozen' | 'offset';
  /** The clock's current time, ISO 8601. */
  now: string;
  /** How far ahead of real time the clock runs (`offset` mode), in seconds. */
  offsetSeconds?: number;
}

/**
 * The server's clock, controllable at run time through the admin API: real time (the default),
 * frozen at an instant, or shifted by a number of seconds. Advancing a frozen clock moves the
 * frozen instant; advancing a running clock shifts it. What the server writes and compares
 * (`createdDateTime`, error dates, heartbeat timeouts) follows this clock.
 */
export class ControlledClock implements Clock {
  private frozenAt: number | undefined;
  private offsetMs = 0;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): Date {
    return new Date(this.frozenAt ?? this.realNow() + this.offsetMs);
  }

  /** Stops the clock at `at`. */
  freeze(at: Date): void {
    if (Number.isNaN(at.getTime())) throw new RangeError('invalid date');
    this.frozenAt = at.getTime();
    this.offsetMs = 0;
    this.changed();
  }

  /** Moves the clock forward (or back, with a negative number) by `seconds`. */
  advance(seconds: number): void {
    if (!Number.isFinite(seconds)) throw new RangeError('invalid number of seconds');
    const ms = Math.round(seconds * 1000);
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
    this.changed();
  }

  /** Back to real time. */
  system(): void {
    this.frozenAt = undefined;
    this.offsetMs = 0;
    this.changed();
  }

  state(): ClockState {
    const now = this.now().toISOString();
    if (this.frozenAt !== undefined) return { mode: 'frozen', now };
    if (this.offsetMs !== 0) return { mode: 'offset', now, offsetSeconds: this.offsetMs / 1000 };
    return { mode: 'system', now };
  }

  /** Calls `listener` after every change (the heartbeat sweeper re-checks at once). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
