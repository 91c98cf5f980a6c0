import { memoryKiB } from './processes.js';

/**
 * A process's resident memory (VmRSS) sampled once a second through a load run, and whether it
 * stayed stable.
 *
 * "Stable" means no sustained growth once the server is warm. The first quarter of the run is
 * warm-up: V8 grows its heap to what the load needs, SQLite fills its page cache, pools fill (in
 * the traces measured for the mixed load that took about 10,000 requests). After that a server
 * without a leak holds a working set that does not depend on how many requests it has served
 * (the mixed load keeps its data the same size), while a leaked byte stays, so a leak raises the
 * memory left after each garbage collection for the rest of the run.
 *
 * RSS itself is a sawtooth: it climbs while garbage accumulates and drops at a major collection
 * (by up to 25 MiB in those traces). Its troughs are the closest RSS comes to the memory actually
 * kept, so the verdict compares troughs: the lowest sample of the last quarter against the lowest
 * of the second quarter (the first after warm-up). Comparing single samples would compare one
 * random phase of the sawtooth with another.
 *
 * The bound is set by that noise, not by a guess at an acceptable leak: the troughs of a steady
 * run move by a few MiB, and 32 MiB is well above that and above one swing of the sawtooth, so a
 * warm-up that runs a little past the first quarter does not read as a leak. What it can catch
 * depends on the requests served between the two quarters: a leak of about `bound ÷ those
 * requests` bytes per request or more (the bench suite prints that figure for its run).
 */

/** See the module comment. */
export const GROWTH_BOUND_KIB = 32 * 1024;
/** The share of the run treated as warm-up, and the length of the two windows compared. */
export const WARMUP_SHARE = 0.25;

export interface RssSample {
  /** seconds since sampling started */
  seconds: number;
  rssKiB: number;
}

export interface RssSummary {
  startKiB: number;
  /** the sample nearest to 25 % of the run, when warm-up is taken to be over */
  warmKiB: number;
  /** the largest sample */
  peakKiB: number;
  endKiB: number;
  /** the lowest sample of the second quarter, and of the last quarter */
  warmTroughKiB: number;
  endTroughKiB: number;
  /** endTrough − warmTrough: what the verdict bounds */
  growthKiB: number;
  /** least-squares slope over the second half, KiB per second (reported; the sawtooth makes it too noisy to judge by) */
  slopeKiBPerSecond: number;
  stable: boolean;
  samples: number;
}

/** Samples `pid` every `intervalMs` until stopped; one sample at start and one at stop. */
export class RssSampler {
  private readonly samples: RssSample[] = [];
  private readonly started = performance.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 1000,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    const memory = memoryKiB(this.pid);
    if (memory) this.samples.push({ seconds: (performance.now() - this.started) / 1000, rssKiB: memory.rss });
  }

  stop(): RssSample[] {
    clearInterval(this.timer);
    this.sample();
    return this.samples;
  }
}

/** The verdict on a run's samples; undefined with fewer than 8 (no /proc, or a run too short to have samples in each quarter). */
export function summarizeRss(samples: RssSample[]): RssSummary | undefined {
  if (samples.length < 8) return undefined;
  const t0 = samples[0].seconds;
  const end = samples[samples.length - 1];
  const duration = end.seconds - t0;
  const between = (from: number, to: number) =>
    samples.filter((s) => s.seconds >= t0 + from * duration && s.seconds <= t0 + to * duration);
  const lowest = (part: RssSample[]) => Math.min(...part.map((s) => s.rssKiB));
  const nearest = (at: number) =>
    samples.reduce((best, s) => (Math.abs(s.seconds - at) < Math.abs(best.seconds - at) ? s : best));
  const warmTroughKiB = lowest(between(WARMUP_SHARE, 2 * WARMUP_SHARE));
  const endTroughKiB = lowest(between(1 - WARMUP_SHARE, 1));
  const growthKiB = endTroughKiB - warmTroughKiB;
  return {
    startKiB: samples[0].rssKiB,
    warmKiB: nearest(t0 + WARMUP_SHARE * duration).rssKiB,
    peakKiB: Math.max(...samples.map((s) => s.rssKiB)),
    endKiB: end.rssKiB,
    warmTroughKiB,
    endTroughKiB,
    growthKiB,
    slopeKiBPerSecond: slopeOf(between(0.5, 1)),
    stable: growthKiB <= GROWTH_BOUND_KIB,
    samples: samples.length,
  };
}

/** Least-squares slope of RSS over time (0 for fewer than two samples). */
function slopeOf(samples: RssSample[]): number {
  if (samples.length < 2) return 0;
  const n = samples.length;
  const meanT = samples.reduce((a, s) => a + s.seconds, 0) / n;
  const meanR = samples.reduce((a, s) => a + s.rssKiB, 0) / n;
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.seconds - meanT) * (s.rssKiB - meanR);
    den += (s.seconds - meanT) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

/** "123 MiB" */
export function mib(kib: number): string {
  return `${(kib / 1024).toFixed(0)} MiB`;
}
