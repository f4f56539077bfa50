// PriorityTokenBucket: a client-side rate limit per broker connection, served flatten > copy > query, FIFO within.
import type { OrderPurpose } from '../../domain/order.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';

export type RequestPriority = 'flatten' | 'copy' | 'query';

const RANK: Record<RequestPriority, number> = { flatten: 0, copy: 1, query: 2 };

/** Flatten orders (and cancels) go first, copies and repairs next, queries last. */
export const priorityFor = (purpose: OrderPurpose): RequestPriority => (purpose === 'flatten' ? 'flatten' : 'copy');

export interface TokenBucketOptions {
  /** Requests allowed per window (also the burst size). */
  readonly capacity: number;
  readonly windowMs: number;
  readonly clock: Clock;
}

interface Waiter {
  readonly rank: number;
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (err: Error) => void;
}

/**
 * Tokens refill continuously (capacity per windowMs). Credit is kept as an integer where one token is
 * `windowMs` units and every elapsed millisecond adds `capacity` units, so the arithmetic is exact.
 */
export class PriorityTokenBucket {
  private readonly capacity: number;
  private readonly windowMs: number;
  private readonly clock: Clock;
  private credit: number;
  private lastRefill: number;
  private pausedUntil = 0;
  private seq = 0;
  private queue: Waiter[] = [];
  private timer: TimerHandle | undefined;

  constructor(opts: TokenBucketOptions) {
    if (!Number.isInteger(opts.capacity) || opts.capacity < 1) throw new RangeError('capacity must be a positive integer');
    if (!Number.isInteger(opts.windowMs) || opts.windowMs < 1) throw new RangeError('windowMs must be a positive integer');
    this.capacity = opts.capacity;
    this.windowMs = opts.windowMs;
    this.clock = opts.clock;
    this.credit = opts.capacity * opts.windowMs;
    this.lastRefill = opts.clock.now();
  }

  /** Takes a token at once when one is free and nobody waits (no promise, no tick); false otherwise. */
  tryTake(): boolean {
    this.refill();
    if (this.queue.length > 0 || this.isPaused() || this.credit < this.windowMs) return false;
    this.credit -= this.windowMs;
    return true;
  }

  /** Resolves when a token is granted to this request. */
  take(priority: RequestPriority): Promise<void> {
    if (this.tryTake()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ rank: RANK[priority], seq: this.seq++, resolve, reject });
      this.drain();
    });
  }

  /** Stops granting tokens for ms (a 429, honouring Retry-After); pauses never shorten an earlier one. */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.clock.now() + Math.max(0, ms));
    this.drain();
  }

  /** Whole tokens available right now. */
  available(): number {
    this.refill();
    return Math.floor(this.credit / this.windowMs);
  }

  /** Requests waiting for a token. */
  pending(): number {
    return this.queue.length;
  }

  /** Rejects every waiting request (e.g. on disconnect) and stops the refill timer. */
  rejectAll(err: Error): void {
    const waiting = this.queue;
    this.queue = [];
    this.clearTimer();
    for (const w of waiting) w.reject(err);
  }

  private isPaused(): boolean {
    return this.clock.now() < this.pausedUntil;
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.lastRefill);
    this.lastRefill = now;
    this.credit = Math.min(this.capacity * this.windowMs, this.credit + elapsed * this.capacity);
  }

  private drain(): void {
    this.clearTimer();
    this.refill();
    while (this.queue.length > 0 && !this.isPaused() && this.credit >= this.windowMs) {
      this.credit -= this.windowMs;
      this.next().resolve();
    }
    if (this.queue.length === 0) return;
    const wait = this.isPaused()
      ? this.pausedUntil - this.clock.now()
      : Math.ceil((this.windowMs - this.credit) / this.capacity);
    this.timer = this.clock.setTimer(Math.max(1, wait), () => {
      this.timer = undefined;
      this.drain();
    });
  }

  private next(): Waiter {
    let best = 0;
    for (let i = 1; i < this.queue.length; i++) {
      const w = this.queue[i]!;
      const b = this.queue[best]!;
      if (w.rank < b.rank || (w.rank === b.rank && w.seq < b.seq)) best = i;
    }
    return this.queue.splice(best, 1)[0]!;
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
