// Issue 10, ProjectX item 6: REST requests per 60 s per login in steady state, six accounts on one login and one on
// another, idle and while copying one trade per second. Time-compressed: the adapters and the app's pollers run on a
// TestClock (hub events still travel over real sockets); the numbers are printed and the background share asserted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { clientOrderId } from '../../../core/domain/ids.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { startProjectXSim, type ProjectXSim } from '../../sims/projectx/server.js';
import { TestClock } from '../../support/test-clock.js';
import { MES, makeAdapter } from './harness.js';

const A = Array.from({ length: 6 }, (_, i) => 91_000_001 + i);
const B = 92_000_001;
/** The app's pollers today: each account's runtime every 5 s, the engine's reconciler every 30 s. */
const REFRESH_S = 5;
const RECONCILE_S = 30;
const GOAL = 40;

let sim: ProjectXSim;
let clock: TestClock;
let adapters: { login: 'a' | 'b'; px: number; adapter: BrokerAdapter }[] = [];
const log: { user: string; path: string; t: number }[] = [];
let seq = 0;

beforeAll(async () => {
  sim = await startProjectXSim({
    pingIntervalMs: 1_000, rateLimit: { requests: 1_000_000, windowMs: 60_000 },
    logins: [{ userName: 'a', apiKey: 'key-a', accounts: A.map((id) => ({ id })) }, { userName: 'b', apiKey: 'key-b', accounts: [{ id: B }] }],
  });
  clock = new TestClock(Date.now());
  sim.rest.onRequest = (e) => log.push({ user: e.user ?? '', path: e.path, t: clock.now() });
  adapters = [...A.map((px) => ({ login: 'a' as const, px })), { login: 'b' as const, px: B }].map(({ login, px }) => ({
    login, px, adapter: makeAdapter(sim, px, { user: login, apiKey: `key-${login}`, clock, tuning: { serverTimeoutMs: 600_000, keepAliveMs: 5_000 } }),
  }));
  await Promise.all(adapters.map((a) => a.adapter.connect()));
});

afterAll(async () => {
  for (const a of adapters) await a.adapter.disconnect();
  await sim.close();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `seconds` of app time; `copy` trades the leader (first account of login a) once per second. */
async function run(seconds: number, copy: boolean): Promise<void> {
  for (let s = 1; s <= seconds; s++) {
    await clock.advanceAsync(1_000);
    const polls: Promise<unknown>[] = [];
    for (const { adapter } of adapters) {
      if (s % REFRESH_S === 0) polls.push(adapter.account(), adapter.positions());
      if (s % RECONCILE_S === 0) polls.push(adapter.account(), adapter.positions(), adapter.openOrders());
    }
    if (copy) {
      const side = s % 2 === 0 ? 'buy' : 'sell';
      sim.trade(A[0]!, MES, side, 1);
      const followers = [adapters[1 + (s % 5)]!, adapters[6]!];
      for (const f of followers) {
        polls.push(f.adapter.submitOrder({
          accountId: f.adapter.accountId, clientOrderId: clientOrderId(`bud-${seq++}`), symbol: 'MES', side, qty: Decimal.ONE,
          type: 'market', timeInForce: 'day', purpose: 'copy',
        }));
      }
    }
    await Promise.all(polls);
    await pause(5);
  }
}

/** Requests per login in the window [from, to) of app time, split into orders and background. */
function perMinute(from: number, to: number) {
  const rows = log.filter((r) => r.t >= from && r.t < to);
  const minutes = (to - from) / 60_000;
  const count = (user: string, pred: (p: string) => boolean) => rows.filter((r) => r.user === user && pred(r.path)).length / minutes;
  const order = (p: string) => p === '/api/Order/place' || p === '/api/Order/cancel';
  const paths = [...new Set(rows.filter((r) => !order(r.path)).map((r) => r.path))].sort();
  const detail = (u: string) => paths.map((p) => `${p.replace('/api/', '')} ${count(u, (x) => x === p).toFixed(1)}`).join(', ');
  return Object.fromEntries(['a', 'b'].map((u) => [u, { background: count(u, (p) => !order(p)), orders: count(u, order), detail: detail(u) }]));
}

describe('issue 10 ProjectX #6: the REST budget in steady state', () => {
  it('issue 10 ProjectX #6: background REST stays <= 40 per 60 s per login, idle and copying 1 trade/s (prints the numbers)', async () => {
    await run(60, false);
    const idleFrom = clock.now();
    await run(120, false);
    const idle = perMinute(idleFrom, clock.now());
    await run(60, true);
    const copyFrom = clock.now();
    await run(120, true);
    const copying = perMinute(copyFrom, clock.now());
    const line = (name: string, m: typeof idle) =>
      `${name}: login a (6 accounts) background ${m.a!.background.toFixed(1)}/60s, orders ${m.a!.orders.toFixed(1)}/60s; ` +
      `login b (1 account) background ${m.b!.background.toFixed(1)}/60s, orders ${m.b!.orders.toFixed(1)}/60s\n    a: ${m.a!.detail}\n    b: ${m.b!.detail}`;
    console.log(`ProjectX REST per 60 s, steady state (budget 200, goal background <= ${GOAL}):\n  ${line('idle', idle)}\n  ${line('copying 1 trade/s', copying)}`);
    for (const m of [idle, copying]) {
      expect(m.a!.background).toBeLessThanOrEqual(GOAL);
      expect(m.b!.background).toBeLessThanOrEqual(GOAL);
    }
    expect(copying.a!.orders).toBe(60);
  }, 120_000);
});
