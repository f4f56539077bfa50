// Per-follower statistics and the day P&L history on a real journal file (issue 12 item 13).
import { describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../core/domain/decimal.js';
import { accountId, intentId } from '../../../core/domain/ids.js';
import type { Side } from '../../../core/domain/side.js';
import { DayPnlRepo } from '../../../core/store/day-pnl.js';
import { StatsQueries } from '../../../core/store/stats.js';
import { StatsService } from '../../../core/app/stats-commands.js';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import type { AccountSnapshot } from '../../../core/domain/order.js';
import { TestClock } from '../../support/test-clock.js';
import { execution, fileJournalPerTest, intent } from './fixtures.js';

const file = fileJournalPerTest();

const f1 = accountId('f1');
const f2 = accountId('f2');
let seq = 0;

/** A filled copy on `follower`: its intent (with latency and prices) and its one fill. */
function filledCopy(follower: typeof f1, side: Side, qty: string, price: string, leaderPrice: string, at: number, symbol = 'MES'): void {
  const id = `i${++seq}`;
  file.journal().recordExecution(execution(`e${seq}`, { symbol }), at, [
    intent(id, {
      followerAccountId: follower, sourceId: `e${seq}`, symbol, leaderSymbol: symbol, side, qty: dec(qty),
      leaderPrice: dec(leaderPrice), leaderReceivedAt: at, createdAt: at,
    }),
  ]);
  file.journal().updateIntent(intentId(id), { status: 'filled', sentAt: at + 4, ackAt: at + 10, filledAt: at + 12, filledQty: dec(qty), avgFillPrice: dec(price) });
  file.journal().recordFill({ intentId: intentId(id), accountId: follower, symbol, side, qty: dec(qty), price: dec(price), time: at + 12 });
}

function failedCopy(follower: typeof f1, status: 'rejected' | 'not_placed', error: string | undefined, at: number): void {
  const id = `i${++seq}`;
  file.journal().recordExecution(execution(`e${seq}`), at, [intent(id, { followerAccountId: follower, sourceId: `e${seq}`, leaderReceivedAt: at, createdAt: at })]);
  file.journal().updateIntent(intentId(id), { status, ...(error ? { error } : {}) });
}

const five = (_id: unknown, symbol: string) => (symbol === 'MES' ? dec('5') : Decimal.ONE);

describe('per-follower statistics', () => {
  it('issue 12 #13: copies, grouped failure reasons, realized P&L, win rate, latency and slippage per follower', () => {
    // f1: long 2 MES @100 (leader 99.75), out @102 -> +2 x 2 x 5 = +20 (a win); short 1 @105, cover @106 -> -5 (a loss).
    filledCopy(f1, 'buy', '2', '100', '99.75', 1_000);
    filledCopy(f1, 'sell', '2', '102', '102', 2_000);
    filledCopy(f1, 'sell', '1', '105', '105.5', 3_000);
    filledCopy(f1, 'buy', '1', '106', '106', 4_000);
    failedCopy(f1, 'rejected', 'insufficient buying power', 5_000);
    failedCopy(f1, 'rejected', 'insufficient buying power', 6_000);
    failedCopy(f1, 'not_placed', undefined, 7_000);
    filledCopy(f2, 'buy', '3', '50', '50', 1_500, 'AAPL');
    file.journal().flush();

    const [a, b] = new StatsQueries(file.journal().db).followers({}, five, [f1, f2]);
    expect(a).toMatchObject({ accountId: 'f1', copies: 7, filled: 4, failures: 3, unknown: 0, trades: 2, wins: 1, winRate: 0.5 });
    expect(a!.realizedPnl.toString()).toBe('15');
    expect(a!.failureReasons.map((r) => [r.reason, r.count])).toEqual([['insufficient buying power', 2], ['not_placed', 1]]);
    expect(a!.avgSendMs).toBe(4);
    expect(a!.avgAckMs).toBe(10);
    // Slippage per unit, fill-weighted: buy 2 @ +0.25, sell 2 @ 0, sell 1 @ +0.5 (received less), buy 1 @ 0 -> 1/6.
    expect(a!.avgSlippage?.toString()).toBe(dec('1').div(6).toString());
    expect(b).toMatchObject({ accountId: 'f2', copies: 1, failures: 0, trades: 0, wins: 0 });
    expect(b!.winRate).toBeUndefined();
    expect(b!.realizedPnl.toString()).toBe('0');

    // A range counts what closed inside it; earlier fills still set the cost basis.
    const [late] = new StatsQueries(file.journal().db).followers({ from: 1_500, to: 3_500 }, five, [f1]);
    expect(late).toMatchObject({ copies: 2, trades: 1, wins: 1, failures: 0 });
    expect(late!.realizedPnl.toString()).toBe('20');
  });
});

describe('day P&L history', () => {
  it('issue 12 #13: one row per account and trading day, upserted as the day goes on, kept across a reopen', () => {
    const repo = new DayPnlRepo(file.journal().db);
    const day = (date: string, start: number) => ({ accountId: f1, tradingDay: date, dayStart: start, dayEnd: start + 86_400_000, currency: 'USD' });
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('-120.5'), equity: dec('49879.5') }, 10);
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('310'), equity: dec('50310'), startEquity: dec('50000') }, 20);
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('1'), equity: dec('1') }, 15); // older: ignored
    repo.record({ ...day('2026-03-03', 86_400_000), dayPnl: dec('-42'), equity: dec('50268') }, 30);
    repo.record({ ...day('2026-03-03', 86_400_000), accountId: f2, dayPnl: dec('7'), equity: dec('7') }, 30);
    file.reopen();

    const rows = new DayPnlRepo(file.journal().db).history(f1, 30);
    expect(rows.map((r) => [r.tradingDay, r.dayPnl.toString(), r.equity.toString(), r.startEquity?.toString(), r.firstAt, r.updatedAt])).toEqual([
      ['2026-03-02', '310', '50310', '50000', 10, 20],
      ['2026-03-03', '-42', '50268', undefined, 30, 30],
    ]);
    expect(new DayPnlRepo(file.journal().db).history(f1, 1).map((r) => r.tradingDay)).toEqual(['2026-03-03']);
  });
});

describe('day P&L recorded from account snapshots', () => {
  it('issue 12 #13: keyed by the account trading day (the same rule as the risk guards): 17:00 Chicago for ProjectX and sim, midnight New York for Alpaca, or the guards setting', () => {
    // 2026-01-05 23:30 UTC = 17:30 Chicago (the futures day of Jan 6 has begun) = 18:30 New York (still Jan 5).
    const clock = new TestClock(Date.UTC(2026, 0, 5, 23, 30));
    const accounts = [
      accountConfigSchema.parse({ id: 'px', label: 'PX', broker: 'projectx', brokerAccountId: '1' }),
      accountConfigSchema.parse({ id: 'sim1', label: 'Sim', broker: 'sim' }),
      accountConfigSchema.parse({ id: 'alp', label: 'Alpaca', broker: 'alpaca' }),
      accountConfigSchema.parse({ id: 'tokyo', label: 'T', broker: 'sim', guards: { tradingDay: { time: '08:00', timeZone: 'Asia/Tokyo' } } }),
    ];
    const service = new StatsService({
      journal: file.journal(), clock, account: (id) => accounts.find((a) => a.id === id), followerIds: () => [], adapter: () => undefined,
    });
    const snap = (id: string, pnl: string): AccountSnapshot =>
      ({ accountId: accountId(id), equity: dec('1000').add(pnl), dayPnl: dec(pnl), currency: 'USD', canTrade: true });
    for (const a of accounts) service.observe(a.id, snap(a.id, '5'));
    const same = snap('px', '9');
    service.observe('px', same);
    clock.advance(60_000);
    service.observe('px', same); // the same snapshot again (a position change): not rewritten
    const day = (id: string) => service.dayPnl(id, 5).days as { tradingDay: string; dayPnl: string; updatedAt: number }[];
    expect(day('px').map((d) => [d.tradingDay, d.dayPnl, d.updatedAt])).toEqual([['2026-01-06', '9', Date.UTC(2026, 0, 5, 23, 30)]]);
    expect(day('sim1').map((d) => d.tradingDay)).toEqual(['2026-01-06']);
    expect(day('alp').map((d) => d.tradingDay)).toEqual(['2026-01-05']);
    // 08:30 Tokyo on Jan 6 is past that account's 08:00 boundary: the day that ends Jan 7 08:00 (named by its end).
    expect(day('tokyo').map((d) => d.tradingDay)).toEqual(['2026-01-07']);
  });
});
