// Market hours (LinkSettings.outsideHours): skip, wait until the next open, extended-hours limit orders; futures and
// adapters without market hours are unaffected; the kill switch is never blocked.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../core/domain/ids.js';
import { judge } from '../../../core/engine/market-sessions.js';
import { MAX_WAIT_MS } from '../../../core/engine/outside-hours.js';
import { createWorld, TapAdapter, type LinkInput, type World } from './harness.js';

const HOUR = 3_600_000;
const F1 = accountId('F1');
const base = { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } };

async function world(link: Omit<LinkInput, 'follower' | 'sizing'>, opts: { extendedHours?: boolean; marketHours?: boolean } = {}) {
  return createWorld({
    links: [{ ...base, ...link }],
    follower: { marketHours: opts.marketHours ?? true, capabilities: { extendedHours: opts.extendedHours ?? false } },
  });
}

/** Scripts the venue: closed now, opening in an hour (regular hours then last 6.5 h). */
function closeMarket(w: World, opensIn = HOUR): number {
  const nextOpen = w.clock.now() + opensIn;
  w.exchange.setMarketSession({ open: false, nextOpen, nextClose: nextOpen + 6.5 * HOUR });
  return nextOpen;
}

/** Scripts the venue: open now, closing in an hour, next open a day later. */
function openMarket(w: World, closesIn = HOUR): { nextClose: number; nextOpen: number } {
  const nextClose = w.clock.now() + closesIn;
  const nextOpen = nextClose + 17.5 * HOUR;
  w.exchange.setMarketSession({ open: true, nextClose, nextOpen });
  return { nextClose, nextOpen };
}

const requestsOf = (w: World) => w.followers.get(F1)!.requests;
const hoursAlerts = (w: World) => w.alerts.filter((a) => a.code === 'market_closed');

describe('outside hours: skip', () => {
  it('sends nothing while closed and raises a warning naming the next open; futures on the same broker still copy', async () => {
    const w = await world({ outsideHours: 'skip' });
    const nextOpen = closeMarket(w);
    w.trade('AAPL', 'buy', 5);
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'AAPL')).toBe('0');
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(requestsOf(w).map((r) => r.symbol)).toEqual(['ES']);
    const alerts = hoursAlerts(w);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.severity).toBe('warning');
    expect(alerts[0]!.message).toContain(new Date(nextOpen).toISOString());
    expect(alerts[0]!.details).toMatchObject({ symbol: 'AAPL', policy: 'skip', nextOpen });
  });

  it('skips reductions too once the cached session passes its close (no broker call needed to notice)', async () => {
    const w = await world({ outsideHours: 'skip' });
    const { nextOpen } = openMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    expect(w.pos('F1', 'AAPL')).toBe('5');
    await w.clock.advanceAsync(HOUR + 1_000);
    w.trade('AAPL', 'sell', 5);
    await w.settle();
    expect(w.pos('F1', 'AAPL')).toBe('5');
    expect(requestsOf(w)).toHaveLength(1);
    expect(hoursAlerts(w).map((a) => a.details?.nextOpen)).toEqual([nextOpen]);
  });

  it('holds repairs back as well: drift is reported as blocked, then repaired after the open', async () => {
    const w = await world({ outsideHours: 'skip', reconcilePolicy: 'repair' });
    const nextOpen = closeMarket(w);
    w.trade('AAPL', 'buy', 4);
    await w.settle();
    const closed = await w.engine.reconcileNow('test');
    expect(closed.drifts).toMatchObject([{ symbol: 'AAPL', action: 'blocked', target: '4', position: '0' }]);
    expect(requestsOf(w)).toHaveLength(0);
    await w.clock.advanceAsync(10 * 60_000);
    await w.engine.reconcileNow('again');
    expect(hoursAlerts(w).filter((a) => a.message.includes('repair not sent'))).toHaveLength(1);
    await w.clock.advanceAsync(nextOpen - w.clock.now());
    await w.engine.reconcileNow('after open');
    await w.settleFully();
    expect(w.pos('F1', 'AAPL')).toBe('4');
    expect(requestsOf(w).map((r) => r.purpose)).toEqual(['repair']);
    expect(w.alertCodes()).toContain('repair_sent');
  });
});

describe('outside hours: wait', () => {
  it('keeps one pending re-plan per link+symbol and sends the whole delta at the next open', async () => {
    const w = await world({ outsideHours: 'wait', reconcilePolicy: 'repair' });
    const nextOpen = closeMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    w.trade('AAPL', 'buy', 3);
    await w.settle();
    expect(w.engine.waitingCopies()).toEqual([{ linkId: w.links[0]!.id, symbol: 'AAPL', due: nextOpen }]);
    const alerts = hoursAlerts(w);
    expect(alerts.map((a) => a.severity)).toEqual(['info']);
    expect(alerts[0]!.message).toContain(new Date(nextOpen).toISOString());
    const report = await w.engine.reconcileNow('while waiting');
    expect(report.drifts).toEqual([]);
    await w.clock.advanceAsync(nextOpen - w.clock.now() - 1);
    expect(requestsOf(w)).toHaveLength(0);
    openMarket(w, 6.5 * HOUR + 1);
    await w.clock.advanceAsync(1);
    await w.settleFully();
    expect(requestsOf(w)).toMatchObject([{ symbol: 'AAPL', side: 'buy', type: 'market', purpose: 'copy' }]);
    expect(requestsOf(w)[0]!.qty.toString()).toBe('8');
    expect(requestsOf(w)[0]!.extendedHours).toBeUndefined();
    expect(w.pos('F1', 'AAPL')).toBe('8');
    expect(w.engine.waitingCopies()).toEqual([]);
    expect(hoursAlerts(w)).toHaveLength(1);
  });

  it('drops the wait when a later leader execution leaves nothing to do', async () => {
    const w = await world({ outsideHours: 'wait' });
    const nextOpen = closeMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    expect(w.engine.waitingCopies()).toHaveLength(1);
    w.trade('AAPL', 'sell', 5);
    await w.settle();
    expect(w.engine.waitingCopies()).toEqual([]);
    await w.clock.advanceAsync(nextOpen - w.clock.now() + 1);
    await w.settleFully();
    expect(requestsOf(w)).toHaveLength(0);
  });

  it('sends nothing when the wait fires after the leader went flat unplanned (follower paused meanwhile)', async () => {
    const w = await world({ outsideHours: 'wait' });
    const nextOpen = closeMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    w.engine.setTradingState(F1, 'paused', 'test');
    w.trade('AAPL', 'sell', 5);
    await w.settle();
    w.engine.setTradingState(F1, 'active', 'test');
    await w.settle();
    expect(w.engine.waitingCopies()).toHaveLength(1);
    await w.clock.advanceAsync(nextOpen - w.clock.now() + 1);
    await w.settleFully();
    expect(requestsOf(w)).toHaveLength(0);
    expect(w.pos('F1', 'AAPL')).toBe('0');
    expect(w.engine.waitingCopies()).toEqual([]);
  });

  it('a reduction waits too and closes the follower at the open', async () => {
    const w = await world({ outsideHours: 'wait' });
    const { nextOpen } = openMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    await w.clock.advanceAsync(HOUR + 1);
    w.trade('AAPL', 'sell', 5);
    await w.settle();
    // 18.5 h to the open: the wait re-plans every MAX_WAIT_MS and, still closed, waits again without a new alert.
    expect(w.engine.waitingCopies().map((x) => x.due)).toEqual([w.clock.now() + MAX_WAIT_MS]);
    expect(w.pos('F1', 'AAPL')).toBe('5');
    await w.clock.advanceAsync(nextOpen - w.clock.now() - 1);
    expect(w.engine.waitingCopies().map((x) => x.due)).toEqual([nextOpen]);
    expect(requestsOf(w)).toHaveLength(1);
    await w.clock.advanceAsync(1);
    await w.settleFully();
    expect(w.pos('F1', 'AAPL')).toBe('0');
    expect(requestsOf(w).map((r) => `${r.side} ${r.qty}`)).toEqual(['buy 5', 'sell 5']);
    expect(hoursAlerts(w)).toHaveLength(1);
  });

  it('the kill switch cancels the wait and still flattens while the market is closed', async () => {
    const w = await world({ outsideHours: 'wait' });
    openMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    await w.clock.advanceAsync(HOUR + 1);
    w.trade('AAPL', 'buy', 1);
    await w.settle();
    expect(w.engine.waitingCopies()).toHaveLength(1);
    const report = await w.engine.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: true, actor: 'test' });
    await w.settleFully();
    expect(report.ok).toBe(true);
    expect(w.engine.waitingCopies()).toEqual([]);
    expect(w.pos('F1', 'AAPL')).toBe('0');
    await w.clock.advanceAsync(24 * HOUR);
    await w.settleFully();
    // The kill switch closes through a journaled flatten order; the held copy is never sent.
    expect(requestsOf(w).map((r) => r.purpose)).toEqual(['copy', 'flatten']);
    expect(w.pos('F1', 'AAPL')).toBe('0');
  });

  it('stop() drops pending waits with their timers', async () => {
    const w = await world({ outsideHours: 'wait' });
    closeMarket(w);
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    expect(w.engine.waitingCopies()).toHaveLength(1);
    await w.engine.stop();
    expect(w.engine.waitingCopies()).toEqual([]);
    expect(w.clock.pendingTimers()).toBe(0);
  });
});

describe('outside hours: extended_limit', () => {
  it('sends a whole-share day limit at the leader price plus the buffer, flagged extended hours', async () => {
    const w = await world({ outsideHours: 'extended_limit', limitBufferTicks: 4 }, { extendedHours: true });
    closeMarket(w);
    w.trade('AAPL', 'buy', '2.5');
    await w.settleFully();
    const [req] = requestsOf(w);
    expect(req).toMatchObject({ symbol: 'AAPL', side: 'buy', type: 'limit', timeInForce: 'day', extendedHours: true, purpose: 'copy' });
    expect(req!.qty.toString()).toBe('2');
    expect(req!.limitPrice!.toString()).toBe('230.04');
    expect(w.pos('F1', 'AAPL')).toBe('2');
    expect(hoursAlerts(w)).toHaveLength(0);
  });

  it('sells a fractional position down to whole shares and leaves the rest for regular hours', async () => {
    const w = await world({ outsideHours: 'extended_limit' }, { extendedHours: true });
    openMarket(w);
    w.trade('AAPL', 'buy', '2.5');
    await w.settleFully();
    expect(requestsOf(w)[0]).toMatchObject({ type: 'market' });
    expect(w.pos('F1', 'AAPL')).toBe('2.5');
    await w.clock.advanceAsync(HOUR + 1);
    w.trade('AAPL', 'sell', '2.5');
    await w.settleFully();
    const close = requestsOf(w)[1]!;
    expect(close).toMatchObject({ side: 'sell', type: 'limit', extendedHours: true, timeInForce: 'day' });
    expect([close.qty.toString(), close.limitPrice!.toString()]).toEqual(['2', '229.96']);
    expect(w.pos('F1', 'AAPL')).toBe('0.5');
    expect(w.alerts.some((a) => a.code === 'rounds_to_zero' && a.message.includes('whole lots'))).toBe(true);
  });

  it('skips with a warning when the follower broker takes no extended-hours orders', async () => {
    const w = await world({ outsideHours: 'extended_limit' }, { extendedHours: false });
    closeMarket(w);
    w.trade('AAPL', 'buy', 3);
    await w.settle();
    expect(requestsOf(w)).toHaveLength(0);
    expect(hoursAlerts(w)[0]!.message).toContain('no extended-hours orders');
  });
});

describe('brokers without market hours', () => {
  it('an adapter without marketSession (futures broker) copies as usual whatever the venue says', async () => {
    const w = await world({ outsideHours: 'skip' }, { marketHours: false });
    expect(w.followers.get(F1)!.marketSession).toBeUndefined();
    closeMarket(w);
    w.trade('AAPL', 'buy', 3);
    w.trade('MES', 'sell', 2);
    await w.settleFully();
    expect([w.pos('F1', 'AAPL'), w.pos('F1', 'MES')]).toEqual(['3', '-2']);
    expect(hoursAlerts(w)).toHaveLength(0);
  });

  it('a malformed session answer is reported and the copy goes (the broker decides)', async () => {
    const w = await world({ outsideHours: 'skip' });
    closeMarket(w);
    const odd = new TapAdapter(w.exchange, 'F1', { rateLimit: false });
    Object.assign(odd, { marketSession: () => Promise.resolve({ open: 'maybe' }) });
    await odd.connect();
    w.engine.setBroker(F1, odd);
    w.trade('AAPL', 'buy', 3);
    await w.settleFully();
    expect(w.pos('F1', 'AAPL')).toBe('3');
    expect(w.alerts.some((a) => a.code === 'broker_notice' && a.message.includes('malformed market session'))).toBe(true);
  });
});

describe('judge (cached session against the clock)', () => {
  const s = { open: true, nextClose: 1_000, nextOpen: 5_000 };
  it('crosses one boundary without asking the broker', () => {
    expect(judge(s, 999)).toEqual({ open: true });
    expect(judge(s, 1_000)).toEqual({ open: false, nextOpen: 5_000 });
    expect(judge({ open: false, nextOpen: 5_000, nextClose: 9_000 }, 4_999)).toEqual({ open: false, nextOpen: 5_000 });
    expect(judge({ open: false, nextOpen: 5_000, nextClose: 9_000 }, 5_000)).toEqual({ open: true });
  });

  it('past both boundaries: open again after close-then-open, closed with no known open after open-then-close', () => {
    expect(judge(s, 6_000)).toEqual({ open: true });
    expect(judge({ open: false, nextOpen: 5_000, nextClose: 9_000 }, 9_000)).toEqual({ open: false });
    expect(judge({ open: true }, 1e15)).toEqual({ open: true });
    expect(judge({ open: false }, 0)).toEqual({ open: false });
  });
});
