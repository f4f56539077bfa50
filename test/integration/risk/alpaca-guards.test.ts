// Issue 13 on the Alpaca wire simulator: a daily-loss breach on a data-stream tick flattens within 1 s of that tick
// (venue timestamps) and locks while another follower copies on; auto-flatten at a set time; the follower guard
// flattens a follower whose copy stayed (partly) unfilled.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { parseTime } from '../../../core/brokers/alpaca/parse.js';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import { accountId } from '../../../core/domain/ids.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { waitFor } from '../../contract/event-recorder.js';
import { seeded } from '../../sims/alpaca/book.js';
import { FAST_TUNING } from '../../sims/alpaca/harness.js';
import { AlpacaSim, type SimKeys } from '../../sims/alpaca/server.js';
import { ShiftedClock, wireWorld, type WireWorld } from './wire-world.js';

const wait = { timeoutMs: 8_000 };
const TUNING = { ...FAST_TUNING, requestTimeoutMs: 3_000 };

describe('issue 13 guards on the Alpaca wire simulator', () => {
  let sim: AlpacaSim;
  let keys: Map<string, SimKeys>;
  let world: WireWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
    await sim.stop();
  });

  const start = async (opts: { guards?: Parameters<typeof wireWorld>[0]['guards']; clock?: ShiftedClock; links?: Record<string, unknown>[] }) => {
    sim = await new AlpacaSim({ seed: 4, partialFillRate: 0 }).start();
    sim.setPrice('AAPL', '200');
    keys = new Map(['L', 'F1', 'F2'].map((id) => [id, sim.addAccount()]));
    const adapters = new Map<string, BrokerAdapter>();
    for (const [id, k] of keys) {
      const account = accountConfigSchema.parse({
        id, label: id, broker: 'alpaca', environment: 'paper', endpoints: { rest: sim.restUrl, stream: sim.streamUrl, marketData: sim.dataUrl('iex') },
      });
      adapters.set(id, createAlpacaAdapter({ account, credentials: k, clock: new SystemClock(), random: seeded(3), tuning: TUNING }));
    }
    world = await wireWorld({
      broker: 'alpaca', adapters, links: opts.links ?? [{ follower: 'F1' }, { follower: 'F2' }],
      ...(opts.guards ? { guards: opts.guards } : {}), ...(opts.clock ? { clock: opts.clock } : {}),
    });
    return world;
  };
  const key = (id: string) => keys.get(id)!.keyId;
  const pos = (id: string) => sim.position(key(id), 'AAPL').toString();
  const ordersOf = (id: string) => sim.orders(key(id));
  const buy = (qty: string) => sim.leaderTrade(key('L'), { symbol: 'AAPL', side: 'buy', qty });
  const sell = (qty: string) => sim.leaderTrade(key('L'), { symbol: 'AAPL', side: 'sell', qty });

  it('issue 13 #wire-1 (Alpaca): open loss crosses the daily limit on a tick: flat within 1 s of it, no order until the reset, F2 copies on', async () => {
    const w = await start({ guards: { F1: { dailyLoss: { limit: '100', action: 'flatten_lock' } } } });
    await buy('10'); // at the 200.01 ask
    await waitFor('both followers long 10', () => pos('F1') === '10' && pos('F2') === '10', wait);
    await waitFor('F1 watching AAPL on the data stream', () => sim.data.subscribed(key('F1')).includes('AAPL'), wait);
    sim.setPrice('AAPL', '191'); // about -90 open: past the 80 % warning
    await waitFor('the warning', () => w.state('F1') === 'warning', wait);
    const before = ordersOf('F1').length;
    sim.setPrice('AAPL', '189.9'); // about -101: the breaching tick
    const tick = sim.data.published.at(-1)!;
    await waitFor('F1 flat and locked', () => pos('F1') === '0' && w.state('F1') === 'locked', wait);
    const flatten = ordersOf('F1').slice(before);
    expect(flatten).toHaveLength(1);
    expect(flatten[0]!.side).toBe('sell');
    const sentAt = parseTime(flatten[0]!.createdAt)!;
    expect(sentAt - tick.at).toBeLessThan(1_000);
    expect(sentAt).toBeGreaterThanOrEqual(tick.at - 1); // the venue stamps whole ms
    expect(w.engine.riskStatus(accountId('F1')).accounts[0]!.locks[0]?.until).toBeGreaterThan(Date.now()); // next 00:00 New York
    const locked = ordersOf('F1').length;
    await buy('5');
    await waitFor('F2 copies the add', () => pos('F2') === '15', wait);
    await sell('15');
    await waitFor('F2 copies the exit', () => pos('F2') === '0', wait);
    expect(ordersOf('F1')).toHaveLength(locked);
    expect(pos('F1')).toBe('0');
  });

  it('issue 13 #wire-2 (Alpaca): auto-flatten at the set time closes every position and blocks new exposure until the reset', async () => {
    const target = Date.UTC(2026, 11, 2, 20, 54, 58); // Wed 2 Dec 2026 15:54:58 New York
    const w = await start({ guards: { F1: { autoFlatten: { time: '15:55', timeZone: 'America/New_York', warnMinutes: 0 } } }, clock: new ShiftedClock(target - Date.now()) });
    await buy('10');
    await waitFor('both followers long 10', () => pos('F1') === '10' && pos('F2') === '10', wait);
    await waitFor('F1 flattened at 15:55', () => pos('F1') === '0', wait);
    expect(pos('F2')).toBe('10');
    expect(w.state('F1')).toBe('locked');
    expect(w.engine.riskStatus(accountId('F1')).accounts[0]!.locks[0]?.until).toBe(Date.UTC(2026, 11, 3, 5, 0)); // 00:00 New York
    const before = ordersOf('F1').length;
    await buy('2');
    await waitFor('F2 copies the add', () => pos('F2') === '12', wait);
    await new Promise((r) => setTimeout(r, 300));
    expect(ordersOf('F1')).toHaveLength(before);
  });

  it('issue 13 #wire-3 (Alpaca): the follower guard flattens a follower whose copy stayed partly unfilled; no repair back in', async () => {
    const w = await start({ links: [{ follower: 'F1', unfilledGuard: { afterSeconds: 1, action: 'flatten' } }, { follower: 'F2' }] });
    sim.book.partialFillRate = 1; // every copy fills in part and its remainder rests (an illiquid book)
    sim.book.holdAfterPartial = true;
    await buy('10');
    await waitFor('F1 partly filled', () => Number(pos('F1')) > 0 && Number(pos('F1')) < 10, wait);
    sim.book.partialFillRate = 0; // the guard's own close fills at once
    await waitFor('F1 flattened by the follower guard', () => pos('F1') === '0' && ordersOf('F1').every((o) => ['filled', 'canceled'].includes(o.status)), wait);
    expect(ordersOf('F1').some((o) => o.status === 'canceled')).toBe(true);
    expect(w.alerts.some((a) => a.code === 'copy_unfilled' && a.accountId === 'F1')).toBe(true);
    const after = ordersOf('F1').length;
    await new Promise((r) => setTimeout(r, 500));
    expect(ordersOf('F1')).toHaveLength(after); // the follower's part of the episode ended: no repair
    expect(Number(pos('F2'))).toBeGreaterThan(0);
  });
});
