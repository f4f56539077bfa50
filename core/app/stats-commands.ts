// Statistics for the dashboard: per-follower figures (stats:followers) and the day P&L history kept in the journal,
// recorded from the account snapshots the app receives, keyed by each account's trading day (stats:day-pnl).
import type { AccountConfig } from '../domain/account-config.js';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import type { AccountSnapshot } from '../domain/order.js';
import { tradingDayBoundary, tradingDayOf, type TradingDayBoundary } from '../domain/trading-day.js';
import type { BrokerAdapter } from '../ports/broker-adapter.js';
import type { Clock } from '../ports/clock.js';
import type { SqliteJournal } from '../store/index.js';
import { DayPnlRepo, type DayPnlRecord } from '../store/day-pnl.js';
import { type FollowerStats, StatsQueries, type StatsRange } from '../store/stats.js';

export interface StatsDeps {
  readonly journal: SqliteJournal;
  readonly clock: Clock;
  account(id: string): AccountConfig | undefined;
  /** The followers of the workspace (listed even without a copy yet). */
  followerIds(): string[];
  adapter(id: string): BrokerAdapter | undefined;
}

/** Where an account's trading day starts: the same rule the risk guards use. */
const accountTradingDay = (account: AccountConfig): TradingDayBoundary => tradingDayBoundary(account.broker, account.guards?.tradingDay);

const wire = (d: Decimal | undefined): string | undefined => d?.toString();

export class StatsService {
  private readonly repo: DayPnlRepo;
  private readonly queries: StatsQueries;
  /** The last snapshot recorded per account (the same object arrives with every position change). */
  private readonly seen = new Map<string, AccountSnapshot>();

  constructor(private readonly deps: StatsDeps) {
    this.repo = new DayPnlRepo(deps.journal.db);
    this.queries = new StatsQueries(deps.journal.db);
  }

  /** Upserts the account's day P&L row for the trading day it is now (a snapshot already recorded is skipped). */
  observe(id: string, snap: AccountSnapshot | undefined): void {
    if (!snap || this.seen.get(id) === snap) return;
    const account = this.deps.account(id);
    if (!account) return;
    this.seen.set(id, snap);
    const now = this.deps.clock.now();
    const day = tradingDayOf(now, accountTradingDay(account));
    this.repo.record(
      {
        accountId: id as AccountId, tradingDay: day.date, dayStart: day.startMs, dayEnd: day.endMs,
        dayPnl: snap.dayPnl, equity: snap.equity, currency: snap.currency,
        ...(snap.startEquity ? { startEquity: snap.startEquity } : {}),
      },
      now,
    );
  }

  async followers(range: StatsRange): Promise<{ from?: number; to?: number; followers: object[] }> {
    this.deps.journal.flush();
    const ids = [...new Set([...this.deps.followerIds()])].sort() as AccountId[];
    const multipliers = new Map<string, Decimal>();
    await Promise.all(
      ids.flatMap((id) =>
        this.queries.fillSymbols(id).map(async (symbol) => {
          multipliers.set(`${id}|${symbol}`, await this.multiplier(id, symbol));
        }),
      ),
    );
    const stats = this.queries.followers(range, (id, s) => multipliers.get(`${id}|${s}`) ?? Decimal.ONE, ids);
    return { ...range, followers: stats.map(toWire) };
  }

  dayPnl(accountId: string, days: number): { accountId: string; days: object[] } {
    return { accountId, days: this.repo.history(accountId as AccountId, days).map(dayToWire) };
  }

  private async multiplier(id: string, symbol: string): Promise<Decimal> {
    try {
      return (await this.deps.adapter(id)?.instrument(symbol))?.multiplier ?? Decimal.ONE;
    } catch {
      return Decimal.ONE;
    }
  }
}

function toWire(s: FollowerStats): object {
  return { ...s, realizedPnl: s.realizedPnl.toString(), avgSlippage: wire(s.avgSlippage) };
}

function dayToWire(r: DayPnlRecord): object {
  const { accountId: _a, firstAt: _f, ...rest } = r;
  return { ...rest, dayPnl: r.dayPnl.toString(), equity: r.equity.toString(), startEquity: wire(r.startEquity) };
}
