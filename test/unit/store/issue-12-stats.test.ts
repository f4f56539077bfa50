// Per-follower statistics and the day P&L history on a real journal file (issue 12 item 13).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../core/domain/decimal.js';
import { accountId, intentId } from '../../../core/domain/ids.js';
import type { Side } from '../../../core/domain/side.js';
import { DayPnlRepo } from '../../../core/store/day-pnl.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { StatsQueries } from '../../../core/store/stats.js';
import { execution, intent, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let journal: SqliteJournal;
beforeEach(() => {
  tmp = tempDir();
  journal = openJournal(tmp.path());
});
afterEach(() => {
  journal.close();
  tmp.cleanup();
});

const f1 = accountId('f1');
const f2 = accountId('f2');
let seq = 0;

/** A filled copy on `follower`: its intent (with latency and prices) and its one fill. */
function filledCopy(follower: typeof f1, side: Side, qty: string, price: string, leaderPrice: string, at: number, symbol = 'MES'): void {
  const id = `i${++seq}`;
  journal.recordExecution(execution(`e${seq}`, { symbol }), at, [
    intent(id, {
      followerAccountId: follower, sourceId: `e${seq}`, symbol, leaderSymbol: symbol, side, qty: dec(qty),
      leaderPrice: dec(leaderPrice), leaderReceivedAt: at, createdAt: at,
    }),
  ]);
  journal.updateIntent(intentId(id), { status: 'filled', sentAt: at + 4, ackAt: at + 10, filledAt: at + 12, filledQty: dec(qty), avgFillPrice: dec(price) });
  journal.recordFill({ intentId: intentId(id), accountId: follower, symbol, side, qty: dec(qty), price: dec(price), time: at + 12 });
}

function failedCopy(follower: typeof f1, status: 'rejected' | 'not_placed', error: string | undefined, at: number): void {
  const id = `i${++seq}`;
  journal.recordExecution(execution(`e${seq}`), at, [intent(id, { followerAccountId: follower, sourceId: `e${seq}`, leaderReceivedAt: at, createdAt: at })]);
  journal.updateIntent(intentId(id), { status, ...(error ? { error } : {}) });
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
    journal.flush();

    const [a, b] = new StatsQueries(journal.db).followers({}, five, [f1, f2]);
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
    const [late] = new StatsQueries(journal.db).followers({ from: 1_500, to: 3_500 }, five, [f1]);
    expect(late).toMatchObject({ copies: 2, trades: 1, wins: 1, failures: 0 });
    expect(late!.realizedPnl.toString()).toBe('20');
  });
});

describe('day P&L history', () => {
  it('issue 12 #13: one row per account and trading day, upserted as the day goes on, kept across a reopen', () => {
    const repo = new DayPnlRepo(journal.db);
    const day = (date: string, start: number) => ({ accountId: f1, tradingDay: date, dayStart: start, dayEnd: start + 86_400_000, currency: 'USD' });
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('-120.5'), equity: dec('49879.5') }, 10);
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('310'), equity: dec('50310'), startEquity: dec('50000') }, 20);
    repo.record({ ...day('2026-03-02', 0), dayPnl: dec('1'), equity: dec('1') }, 15); // older: ignored
    repo.record({ ...day('2026-03-03', 86_400_000), dayPnl: dec('-42'), equity: dec('50268') }, 30);
    repo.record({ ...day('2026-03-03', 86_400_000), accountId: f2, dayPnl: dec('7'), equity: dec('7') }, 30);
    journal.close();
    journal = openJournal(tmp.path());

    const rows = new DayPnlRepo(journal.db).history(f1, 30);
    expect(rows.map((r) => [r.tradingDay, r.dayPnl.toString(), r.equity.toString(), r.startEquity?.toString(), r.firstAt, r.updatedAt])).toEqual([
      ['2026-03-02', '310', '50310', '50000', 10, 20],
      ['2026-03-03', '-42', '50268', undefined, 30, 30],
    ]);
    expect(new DayPnlRepo(journal.db).history(f1, 1).map((r) => r.tradingDay)).toEqual(['2026-03-03']);
  });
});
