import { createHash, randomUUID } from 'node:crypto';
import type { IdGenerator } from '../resources/id-generator.js';

/**
 * Deterministic GUIDs from a seed: the n-th id is a SHA-256 of `seed` and `n`, shaped as a version 4
 * GUID, so two runs that make the same requests in the same order get the same ids. Without a
 * seed (the default) ids are random. Setting a seed (again) starts its sequence from the beginning.
 */
export class SeededIds implements IdGenerator {
  private seed: string | undefined;
  private counter = 0;
  private readonly listeners = new Set<(seed: string | undefined) => void>();

  constructor(seed?: string) {
    this.seed = seed;
  }

  newId(): string {
    if (this.seed === undefined) return randomUUID();
    return seededGuid(this.seed, this.counter++);
  }

  /** A seed makes ids deterministic from the start of its sequence; `undefined` makes them random again. */
  setSeed(seed: string | undefined): void {
    this.seed = seed;
    this.counter = 0;
    for (const listener of this.listeners) listener(seed);
  }

  get currentSeed(): string | undefined {
    return this.seed;
  }

  /** How many ids the current seed has given. */
  get issued(): number {
    return this.counter;
  }

  /** Calls `listener` whenever the seed changes (the fault injector reseeds its random numbers). */
  onSeed(listener: (seed: string | undefined) => void): void {
    this.listeners.add(listener);
  }
}

/** The `n`-th GUID of a seed, formatted as a version 4, variant 1 GUID (lower case). */
export function seededGuid(seed: string, n: number): string {
  const hex = createHash('sha256').update(`${seed}\u0000${n}`).digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * A small seeded pseudo-random number generator (mulberry32) giving numbers in [0, 1): the same
 * seed gives the same sequence. For fault injection, not for anything secret.
 */
export function seededRandom(seed: string): () => number {
  let state = createHash('sha256').update(seed).digest().readUInt32LE(0);
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
