// Copy-path bench (`npm run bench:copy-path`): time from the simulator writing the leader's fill frame to the LAST
// follower order the simulator receives, side by side in one run, interleaved trade by trade: a bare relay, Mirrordesk
// (real Alpaca adapters, CopyEngine and SQLite journal), and a naive sequential copier; N = 1, 10, 50 followers; with no
// added delay and with a 20 ms broker round trip on REST. Also the relay and Mirrordesk on the ProjectX wire simulator. Prints
// p50/p90/p99/max, the ratios, and the REST requests the simulator received per copy (between the fill frame and the
// last order, and in all). Each contender finishes a trade (answers read, fills processed) before the next one trades.
// The simulators (and the delay proxy) run in a child process, as a broker runs elsewhere (copy-path/sim-host.ts).
// Run: npx tsx test/bench/copy-path.ts [--fills 60] [--n 1,10,50] [--rtt 0,20] [--only relay,mirrordesk,naive] [--no-projectx] [--no-alpaca]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startNaive, startRelay, type Contender, type Keys } from './copy-path/contenders.js';
import { mirrordeskAlpaca, mirrordeskProjectX } from './copy-path/mirrordesk.js';
import { startProjectXRelay } from './copy-path/px-relay.js';
import { SimHost, type TradeResult } from './copy-path/sim-host.js';
import { stealMeter } from './cpu-steal.js';

const { values: opt } = parseArgs({
  options: { fills: { type: 'string', default: '60' }, n: { type: 'string', default: '1,10,50' }, rtt: { type: 'string', default: '0,20' }, only: { type: 'string', default: 'relay,mirrordesk,naive' }, projectx: { type: 'boolean', default: true }, alpaca: { type: 'boolean', default: true } },
  allowNegative: true,
});
const FILLS = Number(opt.fills);
const SIZES = opt.n.split(',').map(Number);
const RTTS = opt.rtt.split(',').map(Number);
const WARMUP = 4;
const CONTENDERS = opt.only.split(',');

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
  /** Requests per copy from its followers' keys, all of them (background included). */
  requests: number;
  /** Requests its followers' keys sent between the leader's fill frame and the last order received (summed). */
  onPath: number;
  /** What those were, besides the order POSTs. */
  readonly extra: Map<string, number>;
  /** CPU ms this process spent per trade while it was this contender's turn (less sensitive to machine load). */
  cpu: number;
  contender?: Contender;
}

const note = (into: Map<string, number>, extra: readonly string[]): void => {
  for (const w of extra) into.set(w, (into.get(w) ?? 0) + 1);
};

/** Trades every runner in turn (the order rotating), WARMUP + fills times; the samples and CPU of each turn. */
async function interleave(runners: Runner[], fills: number, trade: (r: Runner, side: 'buy' | 'sell') => Promise<TradeResult>): Promise<void> {
  for (let i = 0; i < fills + WARMUP; i++) {
    const order = [...runners.slice(i % runners.length), ...runners.slice(0, i % runners.length)];
    for (const r of order) {
      const c0 = process.cpuUsage();
      const t = await trade(r, i % 2 === 0 ? 'buy' : 'sell');
      await r.contender!.idle();
      const c = process.cpuUsage(c0);
      if (i >= WARMUP) {
        r.cpu += (c.user + c.system) / 1000;
        r.samples.push(t.ms);
        r.onPath += t.onPath;
        note(r.extra, t.extra);
      }
      await new Promise((res) => setTimeout(res, 2));
    }
  }
}

const runner = (name: string, leader: Keys, followers: Keys[]): Runner => ({ name, leader, followers, samples: [], requests: 0, onPath: 0, extra: new Map(), cpu: 0 });

/** One table cell set: every contender on its own leader and followers in one simulator, trades interleaved. */
async function alpacaCell(n: number, roundTripMs: number): Promise<Map<string, Runner>> {
  const host = await SimHost.start();
  const { rest, stream } = await host.alpaca(roundTripMs);
  const runners: Runner[] = [];
  for (const name of CONTENDERS) {
    const leader = await host.addAccount();
    const followers: Keys[] = [];
    for (let i = 0; i < n; i++) followers.push(await host.addAccount());
    runners.push(runner(name, leader, followers));
  }
  for (const r of runners) {
    if (r.name === 'relay') r.contender = await startRelay(rest, stream, r.leader, r.followers);
    else if (r.name === 'naive') r.contender = await startNaive(rest, stream, r.leader, r.followers);
    else r.contender = await mirrordeskAlpaca(rest, stream, r.leader, r.followers);
  }
  const before = await Promise.all(runners.map((r) => host.requests(r.followers)));
  const fills = roundTripMs > 0 ? Math.min(FILLS, 20) : FILLS;
  await interleave(runners, fills, (r, side) => host.trade(r.leader, r.followers, side));
  const after = await Promise.all(runners.map((r) => host.requests(r.followers)));
  runners.forEach((r, i) => (r.requests = (after[i]! - before[i]!) / (fills + WARMUP)));
  for (const r of runners) await r.contender?.stop();
  await host.stop();
  return new Map(runners.map((r) => [r.name, r]));
}

/** The ProjectX cell: the bare relay and Mirrordesk, each with its leader and N follower accounts on one login. */
async function projectxCell(n: number): Promise<Map<string, Runner>> {
  const names = CONTENDERS.filter((c) => c !== 'naive');
  const groups = names.map((_, g) => ({ leader: 20_000_000 + g * 1_000, followers: Array.from({ length: n }, (_, i) => 20_000_001 + g * 1_000 + i) }));
  const host = await SimHost.start();
  const { rest, hub } = await host.projectx(groups.flatMap((g) => [g.leader, ...g.followers]));
  const ids = new Map<Runner, { leader: number; followers: number[] }>();
  const runners = names.map((name, g) => {
    const r = runner(name, { keyId: String(groups[g]!.leader), secretKey: '' }, []);
    ids.set(r, groups[g]!);
    return r;
  });
  for (const r of runners) {
    const { leader, followers } = ids.get(r)!;
    r.contender = r.name === 'relay' ? await startProjectXRelay(rest, hub, { userName: 'bench', apiKey: 'bench-key' }, leader, followers) : await mirrordeskProjectX(rest, hub, [leader, ...followers]);
  }
  await interleave(runners, FILLS, (r, side) => host.pxTrade(ids.get(r)!.leader, ids.get(r)!.followers, side));
  for (const r of runners) await r.contender?.stop();
  await host.stop();
  return new Map(runners.map((r) => [r.name, r]));
}

const f = (x: number): string => x.toFixed(2).padStart(7);
const row = (label: string, s: Stats, extra = ''): string => `  ${label.padEnd(12)} p50 ${f(s.p50)}  p90 ${f(s.p90)}  p99 ${f(s.p99)}  max ${f(s.max)} ms${extra}`;

const steal = stealMeter();
console.log(`copy path: leader fill frame written -> last follower order received (ms), ${FILLS} fills per cell (20 with the round trip), ${WARMUP} warm-up fills dropped; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

const printCell = (cell: Map<string, Runner>, withAll: boolean): void => {
  for (const [name, r] of cell) {
    const s = stats(r.samples);
    const extra = [...r.extra].map(([k, v]) => `${k} x${v}`).join(', ');
    const cpu = (r.cpu / r.samples.length).toFixed(2);
    const all = withAll ? `, all ${r.requests.toFixed(1)}` : '';
    console.log(row(name, s, `  cpu/copy ${cpu} ms  requests/copy on path ${(r.onPath / r.samples.length).toFixed(1)}${all}${extra ? ` (on path besides orders: ${extra})` : ''}`));
  }
  const [relay, md, naive] = ['relay', 'mirrordesk', 'naive'].map((name) => stats(cell.get(name)?.samples ?? []));
  const naiveRatio = cell.has('naive') ? `; naive/mirrordesk p50 ${(naive!.p50 / md!.p50).toFixed(2)}x p90 ${(naive!.p90 / md!.p90).toFixed(2)}x` : '';
  console.log(`  ratio mirrordesk/relay p50 ${(md!.p50 / relay!.p50).toFixed(2)}x p90 ${(md!.p90 / relay!.p90).toFixed(2)}x${naiveRatio}`);
};

for (const rtt of opt.alpaca ? RTTS : []) {
  for (const n of SIZES) {
    const cell = await alpacaCell(n, rtt);
    console.log(`alpaca, N=${n}, added broker round trip ${rtt} ms`);
    printCell(cell, true);
  }
}
if (opt.projectx) {
  for (const n of SIZES) {
    const cell = await projectxCell(n);
    console.log(`projectx, N=${n} accounts of one login, no added round trip`);
    printCell(cell, false);
  }
}
console.log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}; ${steal()} during the run`);
