// TestClock: a manual Clock for deterministic tests; advance() runs due timers in time order.
import type { Clock, TimerHandle } from '../../core/ports/clock.js';

interface Pending {
  readonly id: number;
  readonly due: number;
  readonly fn: () => void;
}

/** Lets pending promise callbacks (including ones queued by timers) run. */
export const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class TestClock implements Clock {
  private time: number;
  private readonly start: number;
  private nextId = 1;
  private timers: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 0, 5, 14, 30)) {
    this.time = startMs;
    this.start = startMs;
  }

  now(): number {
    return this.time;
  }

  monotonic(): number {
    return this.time - this.start;
  }

  setTimer(ms: number, fn: () => void): TimerHandle {
    const handle = { id: this.nextId++ };
    this.timers.push({ id: handle.id, due: this.time + Math.max(0, ms), fn });
    return handle;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle.id);
  }

  /** Number of timers not yet run. */
  pendingTimers(): number {
    return this.timers.length;
  }

  /** Moves time forward by ms, running every timer that falls due in order (ties in creation order). */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const next = this.popDue(target);
      if (!next) break;
      this.time = next.due;
      next.fn();
    }
    this.time = target;
  }

  /** Like advance(), but lets promise callbacks run after each timer and at the end. */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.time + ms;
    await flushMicrotasks();
    for (;;) {
      const next = this.popDue(target);
      if (!next) break;
      this.time = next.due;
      next.fn();
      await flushMicrotasks();
    }
    this.time = target;
    await flushMicrotasks();
  }

  /** Runs timers (with microtask flushes) until none remain; throws if they keep rescheduling forever. */
  async runAll(maxTimers = 10_000): Promise<void> {
    await flushMicrotasks();
    for (let i = 0; i < maxTimers; i++) {
      const next = this.popDue(Number.POSITIVE_INFINITY);
      if (!next) return;
      this.time = Math.max(this.time, next.due);
      next.fn();
      await flushMicrotasks();
    }
    throw new Error(`TestClock.runAll: more than ${maxTimers} timers ran; a timer keeps rescheduling`);
  }

  private popDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const t of this.timers) if (t.due <= limit && (!best || t.due < best.due || (t.due === best.due && t.id < best.id))) best = t;
    if (best) this.timers = this.timers.filter((t) => t !== best);
    return best;
  }
}
