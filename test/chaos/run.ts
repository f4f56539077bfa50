// One chaos run: plays a seeded scenario against the headless app in a child process and the Alpaca wire simulator
// (leader trades, faults, SIGKILLs and restarts, halts through the bridge), lets everything settle, then judges the
// simulator's books (invariants.ts). Returns the verdict with the seed, timings and the app's last output.
import { rmSync } from 'node:fs';
import { invokeBridge, startApp, type AppProcess } from './app-process.js';
import { converged, judge, type Books, type Verdict } from './invariants.js';
import { makeScenario, type Scenario, type Step } from './scenario.js';
import { createWorld, type ChaosWorld } from './world.js';

export interface RunResult extends Verdict {
  readonly seed: number;
  readonly ms: number;
  readonly kills: number;
  readonly halts: number;
  /** Where the time went: each app start until ready, when the steps were done and when the books had settled. */
  readonly phases: string;
  /** The harness could not play the scenario (the app did not start, a halt was refused, ...). */
  readonly errors: string[];
  readonly failed: boolean;
  /** Scenario and the app's last lines, for a failed run. */
  readonly detail: string;
}

export interface RunOptions {
  /** How long convergence may take after the last step (ms). */
  readonly settleMs?: number;
}

const READY = /workspace running:/;
/** How long settled books must stay unchanged before they are judged. */
const QUIET_MS = 1_000;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class Runner {
  app: AppProcess | undefined;
  readonly output: string[] = [];
  readonly leaderPath = new Map<string, number[]>();
  readonly haltedWith = new Map<string, Set<string>>();
  readonly errors: string[] = [];
  kills = 0;
  halts = 0;
  readonly startMs: number[] = [];

  constructor(
    readonly s: Scenario,
    readonly w: ChaosWorld,
  ) {}

  keyOf = (id: string): string => this.w.keys.get(id)!.keyId;

  books(): Books {
    return { sim: this.w.sim, keyOf: this.keyOf, followers: this.s.followers, leaderPath: this.leaderPath, haltedWith: this.haltedWith };
  }

  async start(): Promise<void> {
    const t = performance.now();
    const app = startApp({ config: this.w.config, dataDir: this.w.dataDir, env: this.w.env, bridge: this.s.bridge });
    this.app = app;
    await app.waitForLine(READY, 60_000);
    if (this.s.bridge) await app.waitForLine(/^Mirrordesk dashboard: /, 10_000);
    this.startMs.push(Math.round(performance.now() - t));
  }

  async kill(): Promise<void> {
    if (!this.app) return;
    await this.app.kill();
    this.output.push(...this.app.lines, `--- SIGKILL #${++this.kills} ---`);
    this.app = undefined;
  }

  async trade(t: Extract<Step, { kind: 'trade' }>): Promise<void> {
    const path = this.leaderPath.get(t.symbol) ?? [];
    this.leaderPath.set(t.symbol, path);
    let pos = path.at(-1) ?? 0;
    await this.w.sim.leaderTrade(this.keyOf('leader'), { symbol: t.symbol, side: t.side, qty: String(t.qty), fills: t.fills.map(String) });
    for (const f of t.fills) path.push((pos += t.side === 'buy' ? f : -f));
  }

  async halt(scope: string, cancelOpenOrders: boolean): Promise<void> {
    const url = this.app?.bridgeUrl();
    if (!url) throw new Error('halt: no bridge URL');
    const r = await invokeBridge(url, 'engine:halt', { scope, cancelOpenOrders, flattenPositions: false });
    if (!r.ok) {
      this.errors.push(`halt ${scope} refused: ${JSON.stringify(r.error)}`);
      return;
    }
    this.halts++;
    for (const f of this.s.followers) {
      if (scope !== 'global' && scope !== f.id) continue;
      if (!this.haltedWith.has(f.id)) this.haltedWith.set(f.id, new Set(this.w.sim.orders(this.keyOf(f.id)).map((o) => o.id)));
    }
  }

  async step(st: Step): Promise<void> {
    const { sim } = this.w;
    switch (st.kind) {
      case 'trade':
        return this.trade(st);
      case 'rest_fault':
        sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: st.fault, when: st.when, keyId: this.keyOf(st.follower), times: st.times });
        return;
      case 'stream_fault':
        sim.injectStream(this.keyOf(st.account), st.fault);
        return;
      case 'fill_delay':
        sim.book.fillDelayMs = st.ms;
        return;
      case 'pause':
        return sleep(st.ms);
      case 'halt':
        return this.halt(st.scope, st.cancelOpenOrders);
      case 'kill':
        await sleep(st.afterMs);
        await this.kill();
        for (const t of st.whileDown) await this.trade(t);
        return this.start();
    }
  }

  /**
   * Waits until the books converge and then stay so, with no new follower order, for a quiet spell (late orders and
   * repairs get their chance to land); gives up at the deadline and leaves the verdict to judge().
   */
  async settle(settleMs: number): Promise<void> {
    this.w.sim.book.fillDelayMs = 2;
    const end = Date.now() + settleMs;
    const orderCount = () => this.s.followers.reduce((n, f) => n + this.w.sim.orders(this.keyOf(f.id)).length, 0);
    while (Date.now() < end) {
      if (!converged(this.books())) {
        await sleep(50);
        continue;
      }
      const before = orderCount();
      await sleep(QUIET_MS);
      if (orderCount() === before && converged(this.books())) return;
    }
  }

  async close(): Promise<void> {
    if (this.app && !this.app.alive()) this.errors.push(`the app exited by itself (${this.app.proc.exitCode ?? this.app.proc.signalCode})`);
    if (this.app) {
      await this.app.terminate();
      this.output.push(...this.app.lines);
      this.app = undefined;
    }
    await this.w.sim.stop();
  }
}

export function describeScenario(s: Scenario): string {
  const steps = s.steps.map((st) => {
    if (st.kind === 'trade') return `trade ${st.side} ${st.qty} ${st.symbol} fills ${st.fills.join('+')} (${st.label})`;
    if (st.kind === 'kill') return `SIGKILL after ${st.afterMs} ms${st.whileDown.length ? `; while down: ${st.whileDown.map((t) => `${t.side} ${t.qty} ${t.symbol}`).join(', ')}` : ''}; restart`;
    return JSON.stringify(st);
  });
  return [`seed ${s.seed}; followers ${s.followers.map((f) => `${f.id} x${f.multiplier}`).join(', ')}`, ...steps.map((x, i) => `  ${i + 1}. ${x}`)].join('\n');
}

export async function runChaos(seed: number, opts: RunOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const s = makeScenario(seed);
  const w = await createWorld(s);
  const r = new Runner(s, w);
  let verdict: Verdict = { duplicates: [], unconverged: [], ordersAfterHalt: [] };
  const marks: number[] = [];
  const mark = () => marks.push(Math.round(performance.now() - t0));
  try {
    await r.start();
    for (const st of s.steps) await r.step(st);
    mark();
    await r.settle(opts.settleMs ?? 8_000);
    mark();
    verdict = judge(r.books());
  } catch (err) {
    r.errors.push(err instanceof Error ? err.message : String(err));
  } finally {
    await r.close();
  }
  const phases = `starts ${r.startMs.join('+')} ms; steps done at ${marks[0] ?? '-'} ms, settled at ${marks[1] ?? '-'} ms`;
  const failed = r.errors.length + verdict.duplicates.length + verdict.unconverged.length + verdict.ordersAfterHalt.length > 0;
  // A failed run keeps its data dir (journal, log) for inspection.
  if (!failed) rmSync(w.dir, { recursive: true, force: true });
  const detail = failed ? `${describeScenario(s)}\ndata dir: ${w.dir}\n--- app output (tail) ---\n${r.output.slice(-40).join('\n')}` : '';
  return { seed, ms: Math.round(performance.now() - t0), kills: r.kills, halts: r.halts, phases, errors: r.errors, failed, detail, ...verdict };
}
