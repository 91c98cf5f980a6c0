/**
 * The memory verdict of the mixed load (bench/lib/rss-trace.ts) on made-up traces: warm-up growth,
 * noise and a garbage-collection sawtooth pass; memory that stays, growing after warm-up, fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GROWTH_BOUND_KIB, summarizeRss, type RssSample } from './rss-trace.js';

const MiB = 1024;

/** One sample a second for `seconds`, RSS from `rss(t)` in MiB. */
function trace(seconds: number, rss: (t: number) => number): RssSample[] {
  return Array.from({ length: seconds + 1 }, (_, t) => ({ seconds: t, rssKiB: Math.round(rss(t) * MiB) }));
}

/** A ramp from 100 MiB to 145 MiB over the first 8 s, then flat. */
const warmThenFlat = (t: number) => (t < 8 ? 100 + (45 * t) / 8 : 145);
/** ±4 MiB of noise, the same every run. */
const noise = (t: number) => 4 * Math.sin(t * 1.7);
/** Garbage piling up by 3 MiB a second, collected every 8 s. */
const sawtooth = (t: number) => 3 * (t % 8);

describe('summarizeRss', () => {
  it('passes growth during warm-up followed by a flat, noisy working set', () => {
    const summary = summarizeRss(trace(60, (t) => warmThenFlat(t) + noise(t)))!;
    assert.equal(summary.stable, true, JSON.stringify(summary));
    assert.equal(summary.startKiB, 100 * MiB);
    assert.ok(summary.peakKiB >= 145 * MiB && summary.peakKiB <= 149 * MiB);
  });

  it('passes a sawtooth whose peaks are far above the troughs, and judges by the troughs', () => {
    const summary = summarizeRss(trace(60, (t) => warmThenFlat(t) + sawtooth(t)))!;
    assert.equal(summary.stable, true, JSON.stringify(summary));
    assert.equal(summary.warmTroughKiB, 145 * MiB);
    assert.equal(summary.endTroughKiB, 145 * MiB);
    assert.ok(summary.peakKiB - summary.endTroughKiB >= 21 * MiB);
  });

  it('fails memory that stays: troughs climbing by 1.5 MiB a second after warm-up', () => {
    const summary = summarizeRss(trace(60, (t) => warmThenFlat(t) + sawtooth(t) + 1.5 * Math.max(0, t - 15)))!;
    assert.ok(summary.growthKiB > GROWTH_BOUND_KIB, JSON.stringify(summary));
    assert.equal(summary.stable, false);
    assert.ok(summary.slopeKiBPerSecond > 0);
  });

  it('gives no verdict on too few samples', () => {
    assert.equal(summarizeRss(trace(6, () => 100)), undefined);
  });
});
