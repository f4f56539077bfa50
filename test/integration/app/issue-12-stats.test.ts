// Statistics through the contract on a real AppHost (issue 12 item 13): per-follower figures after real copies, and
// the day P&L history recorded from the account snapshots, kept in the journal across a restart.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { tradingDayBoundary, tradingDayOf } from '../../../core/domain/trading-day.js';
import { openHostWorld, until, type HostWorld } from './host-world.js';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.close();
  world = undefined;
});

describe('AppHost statistics', () => {
  it('issue 12 #13: stats:followers counts real copies and failures; stats:day-pnl keeps one row per trading day across a restart', async () => {
    world = await openHostWorld({ accounts: ['lead', 'f1', 'f2'] });
    const w = world;
    const d = createDispatcher(w.host);
    w.exchange.injectRejects('f2', 1, 'insufficient buying power');
    w.trade('AAPL', 'buy', 4);
    await until(() => w.pos('f1', 'AAPL') === '4', 'f1 copies');
    w.trade('AAPL', 'sell', 4);
    await until(() => w.pos('f1', 'AAPL') === '0', 'f1 closes');

    const stats = await d.dispatch('stats:followers', {}, 'test');
    expect(stats.ok).toBe(true);
    const [f1, f2] = (stats as { value: { followers: Record<string, unknown>[] } }).value.followers;
    expect(f1).toMatchObject({ accountId: 'f1', copies: 2, filled: 2, failures: 0, trades: 1 });
    expect(f1!.avgAckMs).toBeTypeOf('number');
    expect(f2).toMatchObject({ accountId: 'f2', failures: 1, failureReasons: [{ reason: expect.stringContaining('insufficient buying power'), count: 1 }] });
    expect(await d.dispatch('stats:followers', { from: 5, to: 1 }, 'test')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    // A sim account keeps the futures trading day (it rolls at 17:00 New York), as the app records it.
    const today = tradingDayOf(Date.now(), tradingDayBoundary('sim')).date;
    const history = async () => (await d.dispatch('stats:day-pnl', { accountId: 'f1', days: 30 }, 'test')) as { ok: boolean; value: { days: { tradingDay: string; equity: string }[] } };
    const before = await history();
    expect(before.ok).toBe(true);
    expect(before.value.days.map((r) => r.tradingDay)).toEqual([today]);
    expect(Number(before.value.days[0]!.equity)).toBeGreaterThan(0);
    expect(await d.dispatch('stats:day-pnl', { accountId: 'nobody', days: 3 }, 'test')).toMatchObject({ ok: false });

    const { dataDir, exchange } = w;
    await w.host.close();
    world = await openHostWorld({ accounts: ['lead', 'f1', 'f2'], dataDir, exchange });
    const after = (await createDispatcher(world.host).dispatch('stats:day-pnl', { accountId: 'f1', days: 30 }, 'test')) as typeof before;
    expect(after.value.days.map((r) => r.tradingDay)).toEqual([today]);
  });
});
