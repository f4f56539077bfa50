// Copy-path probe (issue 11, a profiling aid, not part of the bench table): Mirrordesk alone on the Alpaca simulator
// (child process), timing inside this process from the leader's fill frame received (WebSocket 'message') to the last
// order POST handed to its socket, with the CPU this process spent in that window. Socket writes are observed by
// wrapping net.Socket's write path (only here). Run: npx tsx test/bench/copy-path/probe.ts [--n 50] [--fills 100]
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { Socket } from 'node:net';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { AlpacaAdapter } from '../../../core/brokers/alpaca/adapter.js';
import { HttpPool } from '../../../core/brokers/shared/http-pool.js';
import { SqliteJournal } from '../../../core/store/journal.js';
import type { Keys } from './contenders.js';
import { mirrordeskAlpaca } from './mirrordesk.js';
import { SimHost } from './sim-host.js';

const { values: opt } = parseArgs({ options: { n: { type: 'string', default: '10,50' }, fills: { type: 'string', default: '100' }, profile: { type: 'string' } } });

let frameAt = 0;
let frameCpu: NodeJS.CpuUsage | undefined;
let lastWrite = 0;
let firstWrite = 0;
let frameUs = 0n;
let lastWriteUs = 0n;
/** [from, to] in µs of the monotonic clock the CPU profile uses: the windows a profile is cut to. */
const windows: [number, number][] = [];
let lastCpu: NodeJS.CpuUsage | undefined;
let posts = 0;
const proto = Socket.prototype as unknown as { _writeGeneric: (writev: boolean, data: unknown, enc: unknown, cb: unknown) => unknown };
const writeGeneric = proto._writeGeneric;
proto._writeGeneric = function (this: Socket, writev: boolean, data: unknown, enc: unknown, cb: unknown) {
  const first = writev ? (data as { chunk: unknown }[])[0]?.chunk : data;
  const head = typeof first === 'string' ? first : Buffer.isBuffer(first) ? first.toString('latin1', 0, 16) : '';
  if (head.startsWith('POST /v2/orders')) {
    if (posts++ === 0) firstWrite = performance.now();
    lastWrite = performance.now();
    lastWriteUs = process.hrtime.bigint() / 1000n;
    lastCpu = process.cpuUsage(frameCpu);
  }
  return writeGeneric.call(this, writev, data, enc, cb);
};
const emit = WebSocket.prototype.emit;
WebSocket.prototype.emit = function (this: WebSocket, event: string | symbol, ...args: unknown[]) {
  if (event === 'message' && frameAt === 0 && String(args[0]).includes('"event":"fill"')) {
    frameAt = performance.now();
    frameUs = process.hrtime.bigint() / 1000n;
    frameCpu = process.cpuUsage();
  }
  return emit.call(this, event, ...args);
} as typeof emit;

/** Stage marks of the current trade (first time each is reached after the leader's frame), ms since the frame. */
const stages = new Map<string, number>();
const mark = (name: string): void => void (frameAt > 0 && !stages.has(name) && stages.set(name, performance.now() - frameAt));
const wrap = <T extends object>(proto: T, method: keyof T, before: string, after?: string): void => {
  const fn = proto[method] as unknown as (...a: unknown[]) => unknown;
  (proto as Record<keyof T, unknown>)[method] = function (this: unknown, ...a: unknown[]) {
    mark(before);
    const out = fn.apply(this, a);
    if (after) mark(after);
    return out;
  };
};
wrap(SqliteJournal.prototype, 'batch', 'journal batch start', 'journal batch end');
wrap(AlpacaAdapter.prototype, 'submitOrder', 'first submitOrder');
wrap(HttpPool.prototype, 'request', 'first pool.request');
const stageTimes = new Map<string, number[]>();

const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
const session = new Session();
if (opt.profile) {
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
}
for (const n of opt.n.split(',').map(Number)) {
  const host = await SimHost.start();
  const { rest, stream } = await host.alpaca(0);
  const leader = await host.addAccount();
  const followers: Keys[] = [];
  for (let i = 0; i < n; i++) followers.push(await host.addAccount());
  const md = await mirrordeskAlpaca(rest, stream, leader, followers);
  const wall: number[] = [];
  const cpu: number[] = [];
  const sim: number[] = [];
  const first: number[] = [];
  const total: number[] = [];
  const fills = Number(opt.fills);
  for (let i = 0; i < fills + 4; i++) {
    frameAt = 0;
    posts = 0;
    stages.clear();
    const c0 = process.cpuUsage();
    const t = await host.trade(leader, followers, i % 2 === 0 ? 'buy' : 'sell');
    await md.idle();
    const c = process.cpuUsage(c0);
    if (i < 4) continue;
    if (posts !== n) throw new Error(`saw ${posts} order writes, expected ${n}`);
    windows.push([Number(frameUs), Number(lastWriteUs)]);
    stages.set('first POST written', firstWrite - frameAt);
    stages.set('last POST written', lastWrite - frameAt);
    for (const [k, v] of stages) stageTimes.set(k, [...(stageTimes.get(k) ?? []), v]);
    wall.push(lastWrite - frameAt);
    first.push(firstWrite - frameAt);
    cpu.push((lastCpu!.user + lastCpu!.system) / 1000);
    sim.push(t.ms);
    total.push((c.user + c.system) / 1000);
    await new Promise((r) => setTimeout(r, 2));
  }
  const f = (xs: number[]): string => `p50 ${pct(xs, 0.5).toFixed(2)} p90 ${pct(xs, 0.9).toFixed(2)}`;
  console.log(`N=${n}: frame in -> first POST written ${f(first)}, last ${f(wall)} ms; cpu in that window ${f(cpu)} ms; sim-timed ${f(sim)} ms; cpu per trade ${f(total)} ms`);
  for (const [k, v] of [...stageTimes].sort((a, b) => pct(a[1], 0.5) - pct(b[1], 0.5))) console.log(`  ${k.padEnd(22)} ${f(v)} ms after the frame`);
  stageTimes.clear();
  await md.stop();
  await host.stop();
}
if (opt.profile) {
  const { profile } = await session.post('Profiler.stop');
  // Keep only the samples inside the windows (frame in -> last POST written): the path's own CPU.
  let t = profile.startTime;
  const keep = new Set<number>();
  profile.timeDeltas!.forEach((d, i) => {
    t += d;
    if (windows.some(([a, b]) => t >= a && t <= b)) keep.add(i);
  });
  const samples: number[] = [];
  const deltas: number[] = [];
  profile.samples!.forEach((s, i) => {
    if (!keep.has(i)) return;
    samples.push(s);
    deltas.push(50);
  });
  writeFileSync(opt.profile, JSON.stringify({ ...profile, samples, timeDeltas: deltas }));
  console.log(`profile of the windows (${samples.length} samples of 50 us) in ${opt.profile}`);
}
