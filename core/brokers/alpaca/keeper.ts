// Keeps what the copy path reads from memory current on a timer (issue 11): a copy never triggers a REST read of its
// own, it finds the account facts and the market clock already fresh. Each kept fact says when it is due.
import type { Clock, TimerHandle } from '../../ports/clock.js';

export interface KeptFact {
  /** True when the fact should be read again now (unused facts are never due). */
  due(now: number): boolean;
  refresh(): Promise<unknown>;
}

export class Keeper {
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    readonly periodMs: number,
    private readonly facts: readonly KeptFact[],
  ) {}

  start(): void {
    this.stop();
    this.timer = this.clock.setTimer(this.periodMs, () => this.tick());
  }

  stop(): void {
    if (this.timer) this.clock.clearTimer(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = this.clock.now();
    for (const f of this.facts) if (f.due(now)) void f.refresh().catch(() => undefined);
    this.timer = this.clock.setTimer(this.periodMs, () => this.tick());
  }
}
