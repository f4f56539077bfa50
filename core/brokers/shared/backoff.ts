// Reconnect backoff: exponential growth with full jitter, driven by an injected random source.
import type { RandomSource } from './random.js';

export interface BackoffOptions {
  /** Ceiling of the first delay, ms. */
  readonly baseMs?: number;
  /** Largest ceiling any delay may reach, ms. */
  readonly maxMs?: number;
  /** Floats in [0, 1): Math.random in production, mulberry32(seed) in tests. */
  readonly random: RandomSource;
}

/** delay(n) is uniform in [0, min(maxMs, baseMs * 2^n)] ("full jitter"); reset() after a good connection. */
export class Backoff {
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: RandomSource;
  private attempt = 0;

  constructor(opts: BackoffOptions) {
    this.baseMs = opts.baseMs ?? 500;
    this.maxMs = opts.maxMs ?? 30_000;
    if (!(this.baseMs > 0) || !(this.maxMs >= this.baseMs)) throw new RangeError('need 0 < baseMs <= maxMs');
    this.random = opts.random;
  }

  /** Attempts made since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  /** The ceiling for attempt n (0-based) before jitter. */
  ceiling(n: number): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** Math.min(n, 52));
  }

  /** The delay before the next attempt, in whole ms. */
  next(): number {
    const delay = Math.floor(this.random() * (this.ceiling(this.attempt) + 1));
    this.attempt++;
    return delay;
  }

  reset(): void {
    this.attempt = 0;
  }
}
