// Issue 13 on the ProjectX wire simulator: a follower whose loss (with open P/L) crosses its daily limit on a price
// tick is flat within 1 s of that tick (venue timestamps) and gets no order while locked, while another follower keeps
// copying; auto-flatten at a set time closes everything and blocks new exposure until the reset.
import { afterEach, describe, expect, it } from 'vitest';
import { accountId } from '../../../core/domain/ids.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES, makeAdapter, startSim } from '../projectx/harness.js';
import { ShiftedClock, wireWorld, type WireWorld } from './wire-world.js';

const F1 = 30_000_001;
const F2 = 30_000_002;
const wait = { timeoutMs: 8_000 };

describe('issue 13 guards on the ProjectX wire simulator', () => {
  let sim: ProjectXSim;
  let world: WireWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
    await sim.close();
  });

  const start = async (guards: Parameters<typeof wireWorld>[0]['guards'], clock?: ShiftedClock) => {
    sim = await startSim({ accounts: [{ id: LEADER }, { id: F1 }, { id: F2 }] });
    const adapters = new Map<string, BrokerAdapter>([
      ['L', makeAdapter(sim, LEADER, { id: 'L' })], ['F1', makeAdapter(sim, F1, { id: 'F1' })], ['F2', makeAdapter(sim, F2, { id: 'F2' })],
    ]);
    world = await wireWorld({ broker: 'projectx', adapters, links: [{ follower: 'F1' }, { follower: 'F2' }], ...(guards ? { guards } : {}), ...(clock ? { clock } : {}) });
    return world;
  };
  const pos = (px: number) => sim.exchange.position(px, MES);
  const ordersOf = (px: number) => [...sim.exchange.orders.values()].filter((o) => o.accountId === px);

  it('issue 13 #wire-1 (ProjectX): open loss crosses the daily limit on a tick: flat within 1 s of it, no order until the reset, F2 copies on', async () => {
    const w = await start({ F1: { dailyLoss: { limit: '100', action: 'flatten_lock' } } });
    sim.trade(LEADER, MES, 'buy', 2); // at 6000
    await waitFor('both followers long 2', () => pos(F1) === 2 && pos(F2) === 2, wait);
    await waitFor('F1 watching MES on the market hub', () => sim.marketHub.subscribed().includes(MES), wait);
    sim.setPrice(MES, '5991'); // -90 open, -0.74 fees: past the 80 % warning, under the limit
    await waitFor('the warning', () => w.state('F1') === 'warning', wait);
    expect(pos(F1)).toBe(2);
    const before = ordersOf(F1).length;
    sim.setPrice(MES, '5989'); // -110 open: the breaching tick
    const tick = sim.marketHub.published.at(-1)!;
    await waitFor('F1 flat', () => pos(F1) === 0 && w.state('F1') === 'locked', wait);
    const flatten = ordersOf(F1).slice(before);
    expect(flatten).toHaveLength(1);
    expect(flatten[0]!.side).toBe(1);
    expect(flatten[0]!.createdMs - tick.at).toBeLessThan(1_000);
    expect(flatten[0]!.createdMs).toBeGreaterThanOrEqual(tick.at);
    const view = w.engine.riskStatus(accountId('F1')).accounts[0]!;
    expect(view.locks[0]?.mode).toBe('lock');
    expect(view.locks[0]?.until).toBeGreaterThan(Date.now()); // the next 17:00 Chicago
    const locked = ordersOf(F1).length;
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('F2 copies the add', () => pos(F2) === 3, wait);
    sim.trade(LEADER, MES, 'sell', 3);
    await waitFor('F2 copies the exit', () => pos(F2) === 0, wait);
    expect(ordersOf(F1)).toHaveLength(locked);
    expect(pos(F1)).toBe(0);
    expect(w.state('F2')).toBe('ok');
  });

  it('issue 13 #wire-2 (ProjectX): auto-flatten at the set time closes every position and blocks new exposure until the reset', async () => {
    // The engine's clock reads 15:07:58 Chicago on a weekday: the 15:08 auto-flatten is 2 s away (timers stay real).
    const target = Date.UTC(2026, 11, 2, 21, 7, 58); // Wed 2 Dec 2026 15:07:58 CST
    const w = await start({ F1: { autoFlatten: { time: '15:08', timeZone: 'America/Chicago', warnMinutes: 0 } } }, new ShiftedClock(target - Date.now()));
    sim.trade(LEADER, MES, 'buy', 2);
    await waitFor('both followers long 2', () => pos(F1) === 2 && pos(F2) === 2, wait);
    await waitFor('F1 flattened at 15:08', () => pos(F1) === 0, wait);
    expect(pos(F2)).toBe(2);
    expect(w.state('F1')).toBe('locked'); // flattened and locked: stricter than blocked, lifts at the reset
    const view = w.engine.riskStatus(accountId('F1')).accounts[0]!;
    expect(view.locks[0]?.until).toBe(Date.UTC(2026, 11, 2, 23, 0)); // 17:00 Chicago, the next trading day
    const before = ordersOf(F1).length;
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('F2 copies the add', () => pos(F2) === 3, wait);
    await new Promise((r) => setTimeout(r, 300));
    expect(ordersOf(F1)).toHaveLength(before);
    expect(pos(F1)).toBe(0);
  });

  it('issue 13 #wire-3 (ProjectX): the follower guard flattens a follower whose copy stayed unfilled (cancel it, close the symbol); no repair back in', async () => {
    sim = await startSim({ accounts: [{ id: LEADER }, { id: F1 }, { id: F2 }] });
    const adapters = new Map<string, BrokerAdapter>([
      ['L', makeAdapter(sim, LEADER, { id: 'L' })], ['F1', makeAdapter(sim, F1, { id: 'F1' })], ['F2', makeAdapter(sim, F2, { id: 'F2' })],
    ]);
    const w = (world = await wireWorld({ broker: 'projectx', adapters, links: [{ follower: 'F1', unfilledGuard: { afterSeconds: 1, action: 'flatten' } }, { follower: 'F2' }] }));
    sim.trade(LEADER, MES, 'buy', 2);
    await waitFor('both followers long 2', () => pos(F1) === 2 && pos(F2) === 2, wait);
    sim.exchange.holdMarket.add(F1); // F1's market orders now rest unfilled
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor("F1's add resting unfilled", () => ordersOf(F1).some((o) => o.status === 1), wait);
    sim.exchange.holdMarket.delete(F1); // the guard's close can fill
    await waitFor('F2 copies the add', () => pos(F2) === 3, wait);
    await waitFor('F1 flattened by the follower guard', () => pos(F1) === 0 && ordersOf(F1).every((o) => o.status !== 1), wait);
    expect(ordersOf(F1).some((o) => o.status === 3)).toBe(true); // the unfilled copy was cancelled
    expect(w.alerts.some((a) => a.code === 'copy_unfilled' && a.accountId === 'F1')).toBe(true);
    const after = ordersOf(F1).length;
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('F2 copies the next add', () => pos(F2) === 4, wait);
    await new Promise((r) => setTimeout(r, 300));
    expect(ordersOf(F1)).toHaveLength(after); // the follower's part of the episode ended: no repair, no re-entry
  });
});
