// Alpaca loopback copy latency: simulator writes the leader's fill frame -> simulator receives each follower's
// POST /v2/orders, through the real Alpaca adapter, CopyEngine and SQLite journal. Prints p50/p99 for 1 and 10 followers.
// Run: npx tsx test/bench/alpaca-latency.ts [roundTrips]   (round trips per run; each is a buy and a sell; <= 60 keeps
// every follower key under Alpaca's 200 requests/min client bucket)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../core/brokers/alpaca/index.js';
import { accountConfigSchema } from '../../core/domain/account-config.js';
import { accountId, type AccountId } from '../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../core/domain/workspace-config.js';
import { CopyEngine } from '../../core/engine/index.js';
import type { BrokerAdapter } from '../../core/ports/broker-adapter.js';
import { openJournal } from '../../core/store/index.js';
import { seeded } from '../sims/alpaca/book.js';
import { AlpacaSim } from '../sims/alpaca/server.js';

const ROUND_TRIPS = Math.min(60, Number(process.argv[2] ?? 40));
const WARMUP = 4;

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function run(followers: number): Promise<number[]> {
  const sim = await new AlpacaSim({ seed: 4, partialFillRate: 0, rateLimit: 100_000 }).start();
  const dir = mkdtempSync(join(tmpdir(), 'md-alpaca-bench-'));
  const clock = new SystemClock();
  const ids = ['leader', ...Array.from({ length: followers }, (_, i) => `f${i + 1}`)];
  const keys = new Map(ids.map((id) => [id, sim.addAccount({ cash: '10000000' })]));
  const acct = (id: string) =>
    accountConfigSchema.parse({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } });
  const ws = parseWorkspaceConfig({
    accounts: ids.map(acct),
    links: ids.slice(1).map((id) => ({ leader: 'leader', follower: id, sizing: { mode: 'multiplier', value: '1' } })),
    risk: { breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 100 }, reconcileIntervalMs: 600_000 },
  });
  const brokers = new Map<AccountId, BrokerAdapter>();
  for (const a of ws.accounts) {
    const k = keys.get(a.id)!;
    brokers.set(accountId(a.id), createAlpacaAdapter({ account: a, credentials: k, clock, random: seeded(1), tuning: { pollMs: 0 } }));
  }
  for (const b of brokers.values()) await b.connect();
  const journal = openJournal(join(dir, 'journal.sqlite'));
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
  await engine.start();

  const leaderKey = keys.get('leader')!.keyId;
  const followerKeys = new Set(ids.slice(1).map((id) => keys.get(id)!.keyId));
  let fillAt = 0;
  let pending = 0;
  let done: (() => void) | undefined;
  const samples: number[] = [];
  sim.stream.onFillWritten = (keyId, _e, at) => {
    if (keyId === leaderKey) fillAt = at;
  };
  const rest = sim as unknown as { rest: { onOrderPost: (k: string, c: string | undefined, at: number) => void } };
  rest.rest.onOrderPost = (keyId, _cid, at) => {
    if (!followerKeys.has(keyId) || !fillAt) return;
    samples.push(at - fillAt);
    if (--pending === 0) done?.();
  };
  for (let i = 0; i < ROUND_TRIPS * 2; i++) {
    fillAt = 0;
    pending = followers;
    const all = new Promise<void>((resolve) => (done = resolve));
    await sim.leaderTrade(leaderKey, { symbol: 'AAPL', side: i % 2 === 0 ? 'buy' : 'sell', qty: '1' });
    await all;
    await engine.idle();
    await new Promise((r) => setTimeout(r, 5));
  }
  await engine.stop();
  for (const b of brokers.values()) await b.disconnect();
  journal.close();
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
  return samples.slice(followers * WARMUP);
}

for (const n of [1, 10]) {
  const xs = await run(n);
  console.log(
    `alpaca loopback copy latency, ${n} follower(s), ${xs.length} orders: p50 ${pct(xs, 50).toFixed(2)} ms, ` +
      `p99 ${pct(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`,
  );
}
