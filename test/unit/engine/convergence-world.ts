// Convergence property world: the sim venue on a TestClock, a journal FILE, and engines that can be crashed (their
// adapters go dead: every call hangs, no event arrives, as if the process had died) and replaced by a new CopyEngine on
// the same journal file, plus the reference model of each follower's target (eligible part, rounded toward zero).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimAdapter, type SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import type { AccountId } from '../../../core/domain/ids.js';
import type { Execution } from '../../../core/domain/order.js';
import { riskSettingsSchema, type LinkConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { flushMicrotasks, type TestClock } from '../../support/test-clock.js';
import { LEADER } from './harness.js';

const hang = () => new Promise<never>(() => undefined);

/** An adapter that can die: afterwards every call hangs and no event reaches the engine that holds it. */
function mortal(inner: SimAdapter): { adapter: BrokerAdapter; kill: () => void } {
  let dead = false;
  const adapter = new Proxy(inner, {
    get(target, prop) {
      const v = Reflect.get(target, prop, target) as unknown;
      if (prop === 'on') {
        return (event: never, listener: (e: unknown) => void) => target.on(event, (e: never) => (dead ? undefined : listener(e)));
      }
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => (dead ? hang() : (v as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as BrokerAdapter;
  return { adapter, kill: () => (dead = true) };
}

export class EngineLife {
  readonly dir = mkdtempSync(join(tmpdir(), 'md-convergence-'));
  readonly journals: SqliteJournal[] = [];
  engine!: CopyEngine;
  private kills: (() => void)[] = [];
  restarts = 0;

  constructor(
    readonly clock: TestClock,
    readonly exchange: SimExchange,
    readonly links: readonly LinkConfig[],
  ) {}

  get journalFile(): string {
    return join(this.dir, 'journal.sqlite');
  }

  /** A new engine with new adapters on the same journal file, started with the clock running. */
  async boot(): Promise<void> {
    const brokers = new Map<AccountId, BrokerAdapter>();
    this.kills = [];
    for (const id of [LEADER, ...new Set(this.links.map((l) => l.follower))]) {
      const m = mortal(new SimAdapter(this.exchange, id, { rateLimit: false }));
      await m.adapter.connect();
      brokers.set(id, m.adapter);
      this.kills.push(m.kill);
    }
    const journal = openJournal(this.journalFile, { now: () => this.clock.now() });
    this.journals.push(journal);
    const risk = riskSettingsSchema.parse({ reconcileIntervalMs: 5_000, settle: { firstDelayMs: 50, maxDelayMs: 200, notFoundGraceMs: 400 } });
    this.engine = new CopyEngine({ clock: this.clock, journal, notifier: { notify: () => undefined }, brokers, links: this.links, risk });
    let started = false;
    const p = this.engine.start().then(() => (started = true));
    for (let i = 0; i < 400 && !started; i++) await this.clock.advanceAsync(50);
    await p;
  }

  /** Crash (adapters die mid-flight, nothing is flushed) or clean stop, then a new engine on the same file. */
  async restart(crash: boolean): Promise<void> {
    this.restarts++;
    if (crash) {
      for (const k of this.kills) k();
      void this.engine.stop();
    } else {
      const p = this.engine.stop();
      let done = false;
      void p.then(() => (done = true));
      for (let i = 0; i < 200 && !done; i++) await this.clock.advanceAsync(50);
    }
    await this.boot();
  }

  async settle(rounds = 12): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await flushMicrotasks();
      await this.engine.idle();
    }
  }

  async run(ms: number, stepMs = 100): Promise<void> {
    for (let t = 0; t < ms; t += stepMs) {
      await this.clock.advanceAsync(stepMs);
      await this.settle(2);
    }
  }

  close(): void {
    for (const j of this.journals) j.close();
  }
}

/** Leader positions after each of its fills (the target path), from the venue's executions. */
export const leaderPath = (execs: readonly Execution[]): Decimal[] => execs.map((e) => e.positionAfter ?? Decimal.ZERO);

export const trunc = (x: Decimal, step: Decimal = Decimal.ONE): Decimal => x.roundTowardZero(step);

/** The least volume a follower needs to follow its targets through the leader's path (from flat). */
export function minimalVolume(targets: readonly Decimal[]): Decimal {
  let prev = Decimal.ZERO;
  let sum = Decimal.ZERO;
  for (const t of targets) {
    sum = sum.add(t.sub(prev).abs());
    prev = t;
  }
  return sum;
}

/**
 * A window link's eligible part E of the leader's current episode. Exact where unambiguous: every exposure-adding
 * execution of the episode was in the window (E = L) or none was (E = 0). Always: E has the leader's sign and
 * |E| <= min(|L|, the eligible quantity added in this episode) (reductions never grow E).
 */
export function windowTarget(execs: readonly Execution[], inWindow: (t: number) => boolean): { exact?: Decimal; max: Decimal } {
  let kinds = new Set<boolean>();
  let eligibleAdds = Decimal.ZERO;
  let before = Decimal.ZERO;
  for (const e of execs) {
    const after = e.positionAfter ?? Decimal.ZERO;
    const crossed = before.sign() !== 0 && after.sign() !== 0 && after.sign() !== before.sign();
    if (before.isZero() || crossed) {
      kinds = new Set();
      eligibleAdds = Decimal.ZERO;
    }
    const added = crossed || before.isZero() ? after.abs() : after.abs().sub(before.abs());
    if (!after.isZero() && added.gt(0)) {
      kinds.add(inWindow(e.time));
      if (inWindow(e.time)) eligibleAdds = eligibleAdds.add(added);
    }
    before = after;
  }
  const max = before.abs().min(eligibleAdds);
  if (before.isZero()) return { exact: Decimal.ZERO, max };
  if (kinds.size !== 1) return { max };
  return { exact: [...kinds][0] ? before : Decimal.ZERO, max };
}
