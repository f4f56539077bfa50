// Copy-path bench (`npm run bench:copy-path`): time from the simulator writing the leader's fill frame to the LAST
// follower order the simulator receives, side by side in one run, interleaved trade by trade: a bare relay, Mirrordesk
// (real Alpaca adapters, CopyEngine and SQLite journal), and a naive sequential copier; N = 1, 10, 50 followers; with no
// added delay and with a 20 ms broker round trip on REST. Also Mirrordesk on the ProjectX wire simulator. Prints
// p50/p90/p99/max, the ratios, and the REST requests the simulator received per copy.
// Run: npx tsx test/bench/copy-path.ts [--fills 60] [--n 1,10,50]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SystemClock } from '../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../core/brokers/alpaca/index.js';
import { createProjectXAdapter } from '../../core/brokers/projectx/index.js';
import { accountConfigSchema } from '../../core/domain/account-config.js';
import { accountId, type AccountId } from '../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../core/domain/workspace-config.js';
import { CopyEngine } from '../../core/engine/index.js';
import type { BrokerAdapter } from '../../core/ports/broker-adapter.js';
import { openJournal } from '../../core/store/index.js';
import { seeded } from '../sims/alpaca/book.js';
import { AlpacaSim } from '../sims/alpaca/server.js';
import { startProjectXSim } from '../sims/projectx/server.js';
import { startNaive, startRelay, type Contender, type Keys } from './copy-path/contenders.js';
import { startDelayProxy } from './copy-path/delay-proxy.js';

const { values: opt } = parseArgs({ options: { fills: { type: 'string', default: '60' }, n: { type: 'string', default: '1,10,50' } } });
const FILLS = Number(opt.fills);
const SIZES = opt.n.split(',').map(Number);
const WARMUP = 4;
const RISK = { breaker: { maxOrders: 100_000, windowMs: 1_000, maxConsecutiveRejects: 1_000 }, reconcileIntervalMs: 600_000 };

interface Stats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const stats = (xs: number[]): Stats => {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s[s.length - 1] ?? NaN };
};

interface Runner {
  readonly name: string;
  readonly leader: Keys;
  readonly followers: Keys[];
  readonly samples: number[];
  requests: number;
  contender?: Contender;
  /** Waits until the contender has nothing left to do for the last trade. */
  idle(): Promise<void>;
}

async function mirrordeskAlpaca(rest: string, stream: string, leader: Keys, followers: Keys[]): Promise<Contender & { idle(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'md-copy-path-'));
  const clock = new SystemClock();
  const all = [leader, ...followers];
  const ids = all.map((_, i) => (i === 0 ? 'leader' : `f${i}`));
  const ws = parseWorkspaceConfig({
    accounts: ids.map((id) => accountConfigSchema.parse({ id, label: id, broker: 'alpaca', endpoints: { rest, stream } })),
    links: ids.slice(1).map((id) => ({ leader: 'leader', follower: id, sizing: { mode: 'multiplier', value: '1' } })),
    risk: RISK,
  });
  const brokers = new Map<AccountId, BrokerAdapter>();
  ws.accounts.forEach((a, i) => {
    brokers.set(accountId(a.id), createAlpacaAdapter({ account: a, credentials: all[i]!, clock, random: seeded(1), tuning: { pollMs: 0 } }));
  });
  for (const b of brokers.values()) await b.connect();
  const journal = openJournal(join(dir, 'journal.sqlite'));
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
  await engine.start();
  return {
    idle: () => engine.idle(),
    stop: async () => {
      await engine.stop();
      for (const b of brokers.values()) await b.disconnect();
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One table cell set: every contender on its own leader and followers in one simulator, trades interleaved. */
async function alpacaCell(n: number, roundTripMs: number): Promise<Map<string, Runner>> {
  const sim = await new AlpacaSim({ seed: 4, partialFillRate: 0, rateLimit: 1_000_000_000 }).start();
  const proxy = roundTripMs > 0 ? await startDelayProxy(sim.restUrl, roundTripMs) : undefined;
  const rest = proxy?.url ?? sim.restUrl;
  const keys = (): Keys[] => Array.from({ length: n }, () => sim.addAccount({ cash: '100000000' }));
  const runners: Runner[] = ['relay', 'mirrordesk', 'naive'].map((name) => ({
    name,
    leader: sim.addAccount({ cash: '100000000' }),
    followers: keys(),
    samples: [],
    requests: 0,
    idle: async () => undefined,
  }));
  for (const r of runners) {
    if (r.name === 'relay') r.contender = await startRelay(rest, sim.streamUrl, r.leader, r.followers);
    else if (r.name === 'naive') r.contender = await startNaive(rest, sim.streamUrl, r.leader, r.followers);
    else {
      const md = await mirrordeskAlpaca(rest, sim.streamUrl, r.leader, r.followers);
      r.contender = md;
      r.idle = () => md.idle();
    }
  }
  const owner = new Map<string, Runner>();
  for (const r of runners) for (const k of r.followers) owner.set(k.keyId, r);
  let current: Runner | undefined;
  let fillAt = 0;
  let pending = 0;
  let done: () => void = () => undefined;
  sim.stream.onFillWritten = (keyId, _e, at) => {
    if (current && keyId === current.leader.keyId) fillAt = at;
  };
  const hooks = sim as unknown as { rest: { onOrderPost: (k: string, c: string | undefined, at: number) => void } };
  hooks.rest.onOrderPost = (keyId, _cid, at) => {
    if (!current || owner.get(keyId) !== current || !fillAt) return;
    if (--pending === 0) {
      current.samples.push(at - fillAt);
      done();
    }
  };
  const requestsBefore = sim.requests.length;
  const fills = roundTripMs > 0 ? Math.min(FILLS, 20) : FILLS;
  for (let i = 0; i < fills + WARMUP; i++) {
    const order = [...runners.slice(i % 3), ...runners.slice(0, i % 3)];
    for (const r of order) {
      current = r;
      fillAt = 0;
      pending = n;
      const all = new Promise<void>((resolve) => (done = resolve));
      await sim.leaderTrade(r.leader.keyId, { symbol: 'AAPL', side: i % 2 === 0 ? 'buy' : 'sell', qty: '1' });
      await all;
      await r.idle();
      if (i === WARMUP - 1) r.samples.length = 0;
      await new Promise((res) => setTimeout(res, 2));
    }
  }
  current = undefined;
  for (const q of sim.requests.slice(requestsBefore)) {
    const r = q.keyId ? owner.get(q.keyId) : undefined;
    if (r) r.requests++;
  }
  for (const r of runners) r.requests /= fills + WARMUP;
  for (const r of runners) await r.contender?.stop();
  await proxy?.close();
  await sim.stop();
  return new Map(runners.map((r) => [r.name, r]));
}

async function projectxCell(n: number): Promise<number[]> {
  const LEADER = 20_258_288;
  const MES = 'CON.F.US.MES.Z26';
  const ids = Array.from({ length: n }, (_, i) => 70_000_001 + i);
  const sim = await startProjectXSim({
    users: { bench: 'bench-key' },
    accounts: [{ id: LEADER }, ...ids.map((id) => ({ id }))],
    rateLimit: { requests: 1_000_000, windowMs: 60_000 },
  });
  const dir = mkdtempSync(join(tmpdir(), 'md-copy-path-px-'));
  const clock = new SystemClock();
  const acct = (id: string, px: number) =>
    accountConfigSchema.parse({ id, label: id, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: sim.restUrl, userHub: sim.hubUrl } });
  const ws = parseWorkspaceConfig({
    accounts: [acct('leader', LEADER), ...ids.map((px) => acct(`f${px}`, px))],
    links: ids.map((px) => ({ leader: 'leader', follower: `f${px}`, sizing: { mode: 'multiplier', value: '1' } })),
    risk: RISK,
  });
  const brokers = new Map<AccountId, BrokerAdapter>();
  for (const a of ws.accounts) {
    brokers.set(accountId(a.id), createProjectXAdapter({ account: a, credentials: { userName: 'bench', apiKey: 'bench-key' }, clock, tuning: { rateLimit: { requests: 1_000_000, windowMs: 60_000 } } }));
  }
  for (const b of brokers.values()) await b.connect();
  const journal = openJournal(join(dir, 'journal.sqlite'));
  const engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
  await engine.start();
  let sentAt = 0;
  let pending = 0;
  let done: () => void = () => undefined;
  const samples: number[] = [];
  sim.hub.onFrameSent = (recs, at) => {
    if (recs.some((r) => (r as { target?: string }).target === 'GatewayUserTrade' && JSON.stringify(r).includes(`"accountId":${LEADER}`))) sentAt ||= at;
  };
  sim.rest.onRequest = (e) => {
    if (e.path !== '/api/Order/place' || !sentAt) return;
    if (--pending === 0) {
      samples.push(e.at - sentAt);
      done();
    }
  };
  for (let i = 0; i < FILLS + WARMUP; i++) {
    sentAt = 0;
    pending = n;
    const all = new Promise<void>((resolve) => (done = resolve));
    sim.trade(LEADER, MES, i % 2 === 0 ? 'buy' : 'sell', 1);
    await all;
    await engine.idle();
    if (i === WARMUP - 1) samples.length = 0;
  }
  await engine.stop();
  for (const b of brokers.values()) await b.disconnect();
  journal.close();
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
  return samples;
}

const f = (x: number): string => x.toFixed(2).padStart(7);
const row = (label: string, s: Stats, extra = ''): string => `  ${label.padEnd(12)} p50 ${f(s.p50)}  p90 ${f(s.p90)}  p99 ${f(s.p99)}  max ${f(s.max)} ms${extra}`;

console.log(`copy path: leader fill frame written -> last follower order received (ms), ${FILLS} fills per cell (20 with the round trip), ${WARMUP} warm-up fills dropped`);
for (const rtt of [0, 20]) {
  for (const n of SIZES) {
    const cell = await alpacaCell(n, rtt);
    const relay = stats(cell.get('relay')!.samples);
    const md = stats(cell.get('mirrordesk')!.samples);
    const naive = stats(cell.get('naive')!.samples);
    console.log(`alpaca, N=${n}, added broker round trip ${rtt} ms`);
    for (const [name, s] of [['relay', relay], ['mirrordesk', md], ['naive', naive]] as const) {
      console.log(row(name, s, `  requests/copy ${cell.get(name)!.requests.toFixed(1)}`));
    }
    console.log(
      `  ratio mirrordesk/relay p50 ${(md.p50 / relay.p50).toFixed(2)}x p90 ${(md.p90 / relay.p90).toFixed(2)}x; ` +
        `naive/mirrordesk p50 ${(naive.p50 / md.p50).toFixed(2)}x p90 ${(naive.p90 / md.p90).toFixed(2)}x`,
    );
  }
}
for (const n of SIZES) console.log(row(`projectx N=${n}`, stats(await projectxCell(n)), '  (mirrordesk on the ProjectX simulator)'));
