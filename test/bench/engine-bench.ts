// Engine benchmark: leader executions per second through planner + SQLite journal (WAL, temp file) with 10 followers
// on the sim venue, and per-copy planning latency (leader event received -> order handed to the adapter).
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../core/app/system-clock.js';
import { SimAdapter, SimExchange } from '../../core/brokers/sim/index.js';
import { Decimal } from '../../core/domain/decimal.js';
import { accountId, alertId, executionId, type AccountId } from '../../core/domain/ids.js';
import type { Execution } from '../../core/domain/order.js';
import { riskSettingsSchema } from '../../core/domain/workspace-config.js';
import { CopyEngine } from '../../core/engine/index.js';
import { openJournal, SqliteJournal } from '../../core/store/index.js';
import type { Alert, AlertInput } from '../../core/domain/alert.js';
import type { BreakerState, Scope, TradingState } from '../../core/domain/trading-state.js';
import type { CopyIntent, EpisodeRecord, Journal, LeftAloneRecord, LinkStartRecord, UnplannedRecord, WaitRecord } from '../../core/ports/journal.js';
import { flushMicrotasks } from '../support/test-clock.js';
import { LEADER, makeLink, TapAdapter } from '../unit/engine/harness.js';
import { stealMeter } from './cpu-steal.js';

const FOLLOWERS = 10;
const ratios = ['0.5', '1', '2', '3', '1.5', '0.25', '4', '1', '2', '5'];

type JournalKind = 'sqlite' | 'none';

interface Rig {
  readonly engine: CopyEngine;
  readonly leader: TapAdapter;
  readonly journal: Journal;
  readonly close: () => void;
}

/** A journal that only dedupes, to show how much of the time is the engine's own. */
class DedupeOnlyJournal implements Journal {
  private readonly seen = new Set<string>();
  private alerts = 0;
  batch<T>(fn: () => T): T {
    return fn();
  }
  recordExecution(exec: Execution): boolean {
    if (this.seen.has(exec.id)) return false;
    this.seen.add(exec.id);
    return true;
  }
  hasExecution(id: string): boolean {
    return this.seen.has(id);
  }
  insertIntents(): void {}
  updateIntent(): void {}
  openIntents(): CopyIntent[] {
    return [];
  }
  lastAttempt(): number {
    return -1;
  }
  intentByBrokerOrder(): undefined {
    return undefined;
  }
  recordFill(): void {}
  raiseAlert(a: AlertInput, time: number): Alert {
    return { ...a, id: alertId(`a${++this.alerts}`), time, acknowledged: false };
  }
  saveTradingState(): void {}
  tradingStates(): Map<Scope, TradingState> {
    return new Map();
  }
  saveBreakerState(): void {}
  breakerStates(): Map<Scope, BreakerState> {
    return new Map();
  }
  audit(): void {}
  saveEpisode(): void {}
  episodes(): EpisodeRecord[] {
    return [];
  }
  saveWait(): void {}
  deleteWait(): void {}
  waits(): WaitRecord[] {
    return [];
  }
  saveLinkStart(): void {}
  deleteLinkStart(): void {}
  linkStarts(): LinkStartRecord[] {
    return [];
  }
  saveLeftAlone(): void {}
  deleteLeftAlone(): void {}
  leftAlone(): LeftAloneRecord[] {
    return [];
  }
  saveUnplanned(): void {}
  deleteUnplanned(): void {}
  unplanned(): UnplannedRecord[] {
    return [];
  }
  saveRiskState(): void {}
  riskStates(): [] {
    return [];
  }
  deleteRiskState(): void {}
  recordRiskAction(): void {}
}

function journalOf(kind: JournalKind): { journal: Journal; close: () => void } {
  if (kind === 'none') return { journal: new DedupeOnlyJournal(), close: () => undefined };
  const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-bench-'));
  // As the app opens it: WAL checkpoints in a worker thread (core/store/checkpointer.ts).
  const sqlite = openJournal(join(dir, 'journal.db'), { backgroundCheckpoints: true });
  return {
    journal: sqlite,
    close: () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function rig(dryRun: boolean, kind: JournalKind): Promise<Rig> {
  const clock = new SystemClock();
  const { journal, close } = journalOf(kind);
  const exchange = new SimExchange({ clock, seed: 1 });
  exchange.addAccount(LEADER, { cash: 10_000_000 });
  const leader = new TapAdapter(exchange, LEADER, { rateLimit: false });
  const brokers = new Map<AccountId, SimAdapter>([[LEADER, leader]]);
  const links = [];
  for (let i = 0; i < FOLLOWERS; i++) {
    const id = accountId(`F${i}`);
    exchange.addAccount(id, { cash: 10_000_000 });
    brokers.set(id, new SimAdapter(exchange, id, { rateLimit: false }));
    links.push(makeLink({ follower: id, sizing: { mode: 'multiplier', value: ratios[i]! } }));
  }
  for (const a of brokers.values()) await a.connect();
  const risk = riskSettingsSchema.parse({
    dryRun,
    breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 1_000 },
    reconcileIntervalMs: 3_600_000,
    equityRefreshMs: 3_600_000,
  });
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links, risk });
  await engine.start();
  return { engine, leader, journal, close };
}

/** Leader executions that swing the position between +2 and -2 so every one calls for an order on every follower. */
function execution(seq: number): Execution {
  const buy = seq % 2 === 0;
  return {
    id: executionId(`bench-${seq}`),
    accountId: LEADER,
    symbol: 'ES',
    side: buy ? 'buy' : 'sell',
    qty: Decimal.from(4),
    price: Decimal.from(6000),
    time: Date.now(),
    positionAfter: Decimal.from(buy ? 2 : -2),
  };
}

async function drain(engine: CopyEngine): Promise<void> {
  for (let i = 0; i < 10_000; i++) {
    await engine.idle();
    await flushMicrotasks();
    if (engine.snapshot().openIntents === 0) return;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function close(r: Rig): Promise<void> {
  await r.engine.stop();
  r.close();
}

const KIND_LABEL: Record<JournalKind, string> = {
  sqlite: 'SQLite WAL, executions that arrive together share a commit',
  none: 'no journal (dedupe only: engine cost alone)',
};

/**
 * Executions delivered and drained before the measured run: the first few thousand run on unoptimised code and a
 * growing heap (in rounds of 2,000 executions, the first ran at a fifth of the rate of the later ones), so a short
 * warm-up measured start-up rather than throughput.
 */
const WARM_UP = 5_000;

async function throughput(label: string, dryRun: boolean, kind: JournalKind, n: number, warmUp = WARM_UP): Promise<void> {
  const r = await rig(dryRun, kind);
  const steal = stealMeter();
  // Warm-up executions are delivered in bursts like the measured ones, so the same code paths get optimised.
  for (let done = 0; done < warmUp; done += 500) {
    for (let i = done; i < Math.min(warmUp, done + 500); i++) r.leader.deliver('execution', execution(-1 - i));
    await drain(r.engine);
  }
  const warmed = r.engine.snapshot().counters;
  const warmCopies = dryRun ? warmed.dryRuns : warmed.copies;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) r.leader.deliver('execution', execution(i));
  await r.engine.idle();
  const planned = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await drain(r.engine);
  if (r.journal instanceof SqliteJournal) r.journal.flush();
  const total = performance.now() - t0;
  const c = r.engine.snapshot().counters;
  const copies = dryRun ? c.dryRuns : c.copies;
  console.log(
    `${label} [${KIND_LABEL[kind]}]: ${n} leader executions x ${FOLLOWERS} followers (after ${warmUp} warm-up) -> ${copies - warmCopies} intents; ` +
      `planned+journaled in ${planned.toFixed(0)} ms = ${Math.round((n / planned) * 1000)} executions/s (target >= 20000), ` +
      `CPU user ${(cpu.user / 1000).toFixed(0)} ms + system ${(cpu.system / 1000).toFixed(0)} ms = ` +
      `${Math.round((n / (cpu.user + cpu.system)) * 1e6)} executions per CPU-second` +
      (dryRun ? '' : `; all orders filled and journaled in ${total.toFixed(0)} ms = ${Math.round((n / total) * 1000)} executions/s`) +
      `; ${steal()}`,
  );
  await close(r);
}

/**
 * Per-copy planning latency, one execution at a time: back to back (gapMs 0), or apart as a trader's are (the process
 * idles in between, caches go cold, and a commit can be the first after a checkpoint copied the whole WAL back, which
 * makes SQLite sync the WAL header inside it).
 */
async function latency(n: number, gapMs = 0): Promise<void> {
  const r = await rig(false, 'sqlite');
  const steal = stealMeter();
  const first = execution(0).id;
  const ms: number[] = [];
  const cold: number[] = [];
  r.engine.on('intent', (i) => {
    if (i.status !== 'planned' || i.sentAt === undefined || i.planLatencyMs === undefined) return;
    (i.executionId === first ? cold : ms).push(i.planLatencyMs);
  });
  for (let i = 0; i < n; i++) {
    r.leader.deliver('execution', execution(i));
    await drain(r.engine);
    if (gapMs > 0) await new Promise((resolve) => setTimeout(resolve, gapMs));
  }
  ms.sort((a, b) => a - b);
  const us = (v: number) => `${(v * 1000).toFixed(0)} us`;
  const per = (p: number) => us(percentile(ms, p));
  const how = gapMs > 0 ? `${n} executions ${gapMs} ms apart` : 'one execution at a time';
  // The first execution after start runs on cold code (interpreted, statements not yet prepared): a trader's first
  // copy of the session pays it once. Shown apart: its copies alone would be the p99 of a short run.
  console.log(
    `per-copy planning latency (received -> handed to adapter, ${ms.length} copies, ${how}, after the first): ` +
      `p50 ${per(50)}, p90 ${per(90)}, p99 ${per(99)}, max ${per(100)} (target p99 < 1000 us); ` +
      `the first execution's ${cold.length} copies (cold start): up to ${us(Math.max(...cold))}; ${steal()}`,
  );
  await close(r);
}

console.log(
  `engine benchmark (node ${process.version}, SQLite WAL on a temp file, sim broker, ${FOLLOWERS} followers, ` +
    `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores)`,
);
const DRY = 'planner + journal (dry run: intents journaled, not sent)';
// Usage: npm run bench:engine [-- sections], sections a comma list of engine,journal,orders,latency,sparse (default all).
const only = process.argv[2]?.split(',');
const want = (s: string) => !only || only.includes(s);
if (want('engine')) await throughput(DRY, true, 'none', 20_000);
if (want('journal')) await throughput(DRY, true, 'sqlite', 10_000);
if (want('orders')) await throughput('planner + journal + sim orders', false, 'sqlite', 5_000, 1_000);
if (want('latency')) await latency(2_000);
if (want('sparse')) await latency(100, 300);
