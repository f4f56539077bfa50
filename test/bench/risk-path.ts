// Risk-path bench (`npm run bench:risk-path`): the time from the price tick that breaches followers' daily loss limits
// to their flatten orders leaving (the adapter's send gate passed, the order goes to the sim venue), through the real
// CopyEngine, risk book, SQLite journal file, sim adapters and the sim's market data on the system clock. Each round is
// a fresh workspace: N followers long 2 MES copied from the leader, one tick breaches them all. Prints p50/p99/max of
// the first and the last flatten order leaving, per N.
// Run: npx tsx test/bench/risk-path.ts [--rounds 40] [--n 1,10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SystemClock } from '../../core/app/system-clock.js';
import { SimAdapter, SimExchange } from '../../core/brokers/sim/index.js';
import { Decimal } from '../../core/domain/decimal.js';
import { guardSettingsSchema } from '../../core/domain/guard-settings.js';
import { accountId, clientOrderId, type AccountId } from '../../core/domain/ids.js';
import { defaultLinkId, linkConfigSchema, riskSettingsSchema } from '../../core/domain/workspace-config.js';
import { CopyEngine } from '../../core/engine/index.js';
import { openJournal } from '../../core/store/index.js';

const { values: opt } = parseArgs({ options: { rounds: { type: 'string', default: '40' }, n: { type: 'string', default: '1,10' } } });
const ROUNDS = Number(opt.rounds);
const SIZES = opt.n.split(',').map(Number);
const WARMUP = 3;
const LEADER = accountId('L');

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** One round: returns [first, last] flatten order leaving, ms after the breaching tick. */
async function round(n: number): Promise<[number, number]> {
  const dir = mkdtempSync(join(tmpdir(), 'md-risk-path-'));
  const clock = new SystemClock();
  const exchange = new SimExchange({ clock, seed: 11 });
  const followers: AccountId[] = Array.from({ length: n }, (_, i) => accountId(`F${i + 1}`));
  const brokers = new Map<AccountId, SimAdapter>();
  for (const id of [LEADER, ...followers]) {
    exchange.addAccount(id, { cash: 1_000_000 });
    const a = new SimAdapter(exchange, id, { rateLimit: false });
    await a.connect();
    brokers.set(id, a);
  }
  const links = followers.map((f) => {
    const l = linkConfigSchema.parse({ leader: LEADER, follower: f, sizing: { mode: 'multiplier', value: '1' } });
    return { ...l, id: defaultLinkId(l.leader, l.follower) };
  });
  const journal = openJournal(join(dir, 'journal.db'), { now: () => clock.now() });
  const risk = riskSettingsSchema.parse({ breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 1_000 }, reconcileIntervalMs: 600_000 });
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links, risk });
  const guards = guardSettingsSchema.parse({ dailyLoss: { limit: '1000', action: 'flatten_lock' } });
  engine.setAccounts([{ id: LEADER, broker: 'sim' }, ...followers.map((id) => ({ id, broker: 'sim' as const, guards }))]);
  const left: number[] = [];
  let t0 = 0;
  for (const id of followers) {
    const a = brokers.get(id)!;
    const submit = a.submitOrder.bind(a);
    a.submitOrder = (req, gate) =>
      submit(req, () => {
        const refused = gate?.();
        if (refused === undefined && req.purpose === 'flatten' && t0 > 0) left.push(performance.now() - t0);
        return refused;
      });
  }
  try {
    await engine.start();
    await until(() => engine.snapshot().armed, 'arming');
    exchange.submit(LEADER, { accountId: LEADER, clientOrderId: clientOrderId('lead-1'), symbol: 'MES', side: 'buy', qty: Decimal.from(2), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await until(() => followers.every((f) => exchange.position(f, 'MES').eq(2)), 'the copies');
    await until(() => followers.every((f) => engine.riskStatus(f).accounts[0]?.marked === true), 'marked positions');
    t0 = performance.now();
    exchange.setPrice('MES', '5890');
    await until(() => left.length >= n, 'the flatten orders');
    return [Math.min(...left), Math.max(...left)];
  } finally {
    await engine.stop();
    for (const a of brokers.values()) await a.disconnect();
    journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(`risk path: breaching tick -> flatten orders leaving (sim venue, SQLite file, ${ROUNDS} rounds after ${WARMUP} warm-up)`);
  for (const n of SIZES) {
    const first: number[] = [];
    const last: number[] = [];
    for (let i = 0; i < WARMUP + ROUNDS; i++) {
      const [a, b] = await round(n);
      if (i < WARMUP) continue;
      first.push(a);
      last.push(b);
    }
    const f = (xs: number[]) => `p50 ${pct(xs, 0.5).toFixed(2)} ms  p99 ${pct(xs, 0.99).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms`;
    console.log(`  ${String(n).padStart(3)} follower(s) breaching on one tick: first flatten ${f(first)}`);
    console.log(`  ${''.padStart(3)}                               last flatten  ${f(last)}`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
