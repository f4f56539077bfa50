// ProjectX loopback copy latency: simulator writes the leader's GatewayUserTrade -> simulator receives each
// follower's Order/place, through the real adapter, CopyEngine and SQLite journal. Prints p50/p99 for 1 and 10 followers.
// Run: npx tsx test/bench/projectx-latency.ts [roundTrips]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SystemClock } from '../../core/app/system-clock.js';
import { accountConfigSchema } from '../../core/domain/account-config.js';
import { accountId, type AccountId } from '../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../core/domain/workspace-config.js';
import { createProjectXAdapter } from '../../core/brokers/projectx/index.js';
import { CopyEngine } from '../../core/engine/index.js';
import type { BrokerAdapter } from '../../core/ports/broker-adapter.js';
import { openJournal } from '../../core/store/index.js';
import { startProjectXSim } from '../sims/projectx/server.js';

const LEADER = 20_258_288;
const MES = 'CON.F.US.MES.Z26';
const ROUND_TRIPS = Number(process.argv[2] ?? 100);

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function run(followers: number): Promise<number[]> {
  const ids = Array.from({ length: followers }, (_, i) => 70_000_001 + i);
  const sim = await startProjectXSim({
    users: { bench: 'bench-key' },
    accounts: [{ id: LEADER }, ...ids.map((id) => ({ id }))],
    rateLimit: { requests: 1_000_000, windowMs: 60_000 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'md-px-bench-'));
  const clock = new SystemClock();
  const acct = (id: string, px: number) =>
    accountConfigSchema.parse({ id, label: id, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: sim.restUrl, userHub: sim.hubUrl } });
  const ws = parseWorkspaceConfig({
    accounts: [acct('leader', LEADER), ...ids.map((px) => acct(`f${px}`, px))],
    links: ids.map((px) => ({ leader: 'leader', follower: `f${px}`, sizing: { mode: 'multiplier', value: '1' } })),
    risk: { breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 100 } },
  });
  const brokers = new Map<AccountId, BrokerAdapter>();
  for (const a of ws.accounts) {
    brokers.set(accountId(a.id), createProjectXAdapter({
      account: a, credentials: { userName: 'bench', apiKey: 'bench-key' }, clock,
      tuning: { rateLimit: { requests: 1_000_000, windowMs: 60_000 } },
    }));
  }
  for (const b of brokers.values()) await b.connect();
  const journal = openJournal(join(dir, 'journal.sqlite'));
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
  await engine.start();

  let tradeSentAt = 0;
  let pending = 0;
  let done: (() => void) | undefined;
  const samples: number[] = [];
  sim.hub.onFrameSent = (recs, at) => {
    if (recs.some((r) => (r as { target?: string }).target === 'GatewayUserTrade' && JSON.stringify(r).includes(`"accountId":${LEADER}`))) {
      tradeSentAt ||= at;
    }
  };
  sim.rest.onRequest = (e) => {
    if (e.path !== '/api/Order/place' || !tradeSentAt) return;
    samples.push(e.at - tradeSentAt);
    if (--pending === 0) done?.();
  };
  for (let i = 0; i < ROUND_TRIPS * 2; i++) {
    tradeSentAt = 0;
    pending = followers;
    const all = new Promise<void>((resolve) => (done = resolve));
    sim.trade(LEADER, MES, i % 2 === 0 ? 'buy' : 'sell', 1);
    await all;
    await engine.idle();
  }
  await engine.stop();
  for (const b of brokers.values()) await b.disconnect();
  journal.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  return samples.slice(followers * 10);
}

for (const n of [1, 10]) {
  const xs = await run(n);
  console.log(`projectx loopback copy latency, ${n} follower(s), ${xs.length} orders: p50 ${pct(xs, 50).toFixed(2)} ms, p99 ${pct(xs, 99).toFixed(2)} ms, max ${Math.max(...xs).toFixed(2)} ms`);
}
