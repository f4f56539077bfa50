// The risk feed: keeps the risk book current for every guarded account from the engine's adapters: account snapshots,
// positions (with the instrument's multiplier), fills (realized P&L and fees where the broker reports them) and the
// price stream of the instruments each account holds (MarketData.watch), plus a periodic re-read of the account.
import { Decimal } from '../../domain/decimal.js';
import { errorMessage } from '../../domain/errors.js';
import type { AccountId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, Execution, Position } from '../../domain/order.js';
import { signed } from '../../domain/side.js';
import type { BrokerAdapter, Unsubscribe } from '../../ports/broker-adapter.js';
import type { TimerHandle } from '../../ports/clock.js';
import type { MarketData, WatchedInstrument } from '../../ports/market-data.js';
import type { EngineContext } from '../context.js';
import type { RiskAccountFacts, RiskBookPort } from './types.js';

/**
 * How often a guarded account without a price stream has its balance and positions re-read (its open P&L then comes
 * from the broker's equity). With a price stream, the engine's equity refresh interval applies (REST budget is for
 * orders first).
 */
export const ACCOUNT_REFRESH_MS = 5_000;
/** After a fill, the account's positions are re-read this soon (once per burst) for brokers that stream no positions. */
export const FILL_REFRESH_MS = 250;

interface Feed {
  readonly adapter: BrokerAdapter;
  readonly offs: Unsubscribe[];
  readonly market?: MarketData;
  /** Instruments held: instrumentId -> what the price stream watches. */
  readonly held: Map<string, WatchedInstrument>;
  /** Events waiting for an instrument lookup, in arrival order. */
  chain?: Promise<void>;
  /** Next periodic re-read (ms since epoch). */
  due: number;
  /** A re-read after fills is scheduled. */
  soon?: TimerHandle;
}

export const factsOf = (a: AccountSnapshot): RiskAccountFacts => ({
  equity: a.equity,
  currency: a.currency,
  brokerDayPnl: a.dayPnl,
  ...(a.cash ? { cash: a.cash } : {}),
  ...(a.buyingPower ? { buyingPower: a.buyingPower } : {}),
  ...(a.startEquity ? { startEquity: a.startEquity } : {}),
});

export class RiskFeed {
  private readonly feeds = new Map<AccountId, Feed>();
  private readonly instruments = new Map<string, Instrument>();
  private refreshTimer: TimerHandle | undefined;

  constructor(
    private readonly ctx: EngineContext,
    private readonly book: RiskBookPort,
    /** Called after the book learned something about the account (a fact or a price). */
    private readonly changed: (id: AccountId) => void,
  ) {}

  /** Subscribes exactly the accounts given (those with guards, connected), re-subscribing a replaced adapter. */
  sync(ids: ReadonlySet<AccountId>): void {
    for (const [id, f] of [...this.feeds]) if (!ids.has(id) || this.ctx.brokers.get(id) !== f.adapter) this.drop(id);
    for (const id of ids) if (!this.feeds.has(id) && this.ctx.brokers.has(id)) this.subscribe(id, this.ctx.brokers.get(id)!);
    if (this.feeds.size > 0 && !this.refreshTimer) this.scheduleRefresh();
  }

  stop(): void {
    for (const id of [...this.feeds.keys()]) this.drop(id);
    if (this.refreshTimer) this.ctx.clearTimer(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  /** Re-reads one account's balance and positions (positions the broker no longer lists become flat). */
  async refresh(id: AccountId): Promise<void> {
    const f = this.feeds.get(id);
    if (!f) return;
    try {
      const snap = await f.adapter.account();
      const positions = await f.adapter.positions();
      if (this.feeds.get(id) !== f) return;
      this.book.onAccount(id, factsOf(snap));
      const listed = new Set(positions.map((p) => p.instrumentId ?? p.symbol));
      for (const [instrumentId, w] of [...f.held]) {
        if (!listed.has(instrumentId)) this.onPosition(id, f, { accountId: id, symbol: w.symbol, instrumentId, qty: Decimal.ZERO });
      }
      for (const p of positions) this.onPosition(id, f, p);
      this.changed(id);
    } catch (err) {
      this.ctx.raise({ severity: 'warning', code: 'engine_error', message: `risk guards: ${id} could not be read: ${errorMessage(err)}`, accountId: id }, `risk-read:${id}`);
    }
  }

  private subscribe(id: AccountId, adapter: BrokerAdapter): void {
    const market = adapter.marketData?.();
    const f: Feed = { adapter, offs: [], held: new Map(), due: this.ctx.clock.now() + this.every(market), ...(market ? { market } : {}) };
    this.feeds.set(id, f);
    f.offs.push(
      adapter.on('account', (a) => {
        this.book.onAccount(id, factsOf(a));
        this.changed(id);
      }),
      adapter.on('position', (p) => this.onPosition(id, f, p)),
      adapter.on('execution', (e) => {
        this.onFill(id, f, e);
        this.refreshSoon(id, f);
      }),
    );
    if (market) {
      f.offs.push(
        market.on('quote', (q) => {
          this.book.onQuote(q.instrumentId, q.price, q.at);
          this.changed(id);
        }),
        market.on('alert', (a) => this.ctx.raise({ ...a, accountId: id }, `md:${id}:${a.code}`)),
      );
      market.connect().catch((err: unknown) => {
        this.ctx.raise({ severity: 'warning', code: 'disconnected', message: `price stream of ${id} not connected: ${errorMessage(err)}; open P&L follows the account snapshots`, accountId: id }, `md-connect:${id}`);
      });
    } else {
      this.ctx.raise({ severity: 'info', code: 'broker_notice', message: `${id} has no price stream: its guards use the broker's account snapshots (every ${ACCOUNT_REFRESH_MS / 1000} s)`, accountId: id }, `md-none:${id}`);
    }
    void this.refresh(id);
  }

  /** The position a fill moved, read back soon (Alpaca's stream reports fills, not positions). */
  private refreshSoon(id: AccountId, f: Feed): void {
    if (f.soon || !this.ctx.running) return;
    f.soon = this.ctx.setTimer(FILL_REFRESH_MS, () => {
      delete f.soon;
      void this.refresh(id);
    });
  }

  private drop(id: AccountId): void {
    const f = this.feeds.get(id);
    if (!f) return;
    if (f.soon) this.ctx.clearTimer(f.soon);
    for (const off of f.offs) off();
    f.market?.watch([]);
    this.feeds.delete(id);
  }

  private onPosition(id: AccountId, f: Feed, p: Position): void {
    this.withInstrument(id, f, p.symbol, (inst) => {
      const instrumentId = p.instrumentId ?? p.symbol;
      this.book.onPosition(id, { instrumentId, symbol: p.symbol, qty: p.qty, multiplier: inst.multiplier, ...(p.avgPrice ? { avgPrice: p.avgPrice } : {}) });
      const had = f.held.has(instrumentId);
      if (p.qty.isZero()) f.held.delete(instrumentId);
      else f.held.set(instrumentId, { symbol: p.symbol, instrumentId });
      if (had !== f.held.has(instrumentId)) f.market?.watch([...f.held.values()]);
    });
  }

  private onFill(id: AccountId, f: Feed, e: Execution): void {
    this.withInstrument(id, f, e.symbol, (inst) =>
      this.book.onFill(id, {
        instrumentId: e.instrumentId ?? e.symbol,
        time: e.time,
        qty: signed(e.side, e.qty),
        price: e.price,
        multiplier: inst.multiplier,
        ...(e.realizedPnl ? { realizedPnl: e.realizedPnl } : {}),
        ...(e.fees ? { fees: e.fees } : {}),
      }),
    );
  }

  /** Runs fn with the symbol's instrument: at once when known, else after a lookup (events keep their order). */
  private withInstrument(id: AccountId, f: Feed, symbol: string, fn: (inst: Instrument) => void): void {
    const key = this.ctx.instrumentKey(id, symbol);
    const known = this.instruments.get(key) ?? this.ctx.instruments.get(key);
    if (known && !f.chain) {
      fn(known);
      this.changed(id);
      return;
    }
    const run = async (): Promise<void> => {
      let inst = this.instruments.get(key) ?? this.ctx.instruments.get(key);
      try {
        inst ??= await f.adapter.instrument(symbol);
      } catch (err) {
        this.ctx.raise({ severity: 'warning', code: 'instrument_unavailable', message: `risk guards: ${symbol} on ${id}: ${errorMessage(err)}`, accountId: id }, `risk-inst:${key}`);
        return;
      }
      this.instruments.set(key, inst);
      if (this.feeds.get(id) !== f) return;
      fn(inst);
      this.changed(id);
    };
    const chain = (f.chain ?? Promise.resolve()).then(run);
    f.chain = chain;
    void chain.finally(() => {
      if (f.chain === chain) delete f.chain;
    });
  }

  private every(market: MarketData | undefined): number {
    return market ? Math.max(ACCOUNT_REFRESH_MS, this.ctx.risk.equityRefreshMs) : ACCOUNT_REFRESH_MS;
  }

  private scheduleRefresh(): void {
    this.refreshTimer = this.ctx.setTimer(ACCOUNT_REFRESH_MS, () => {
      this.refreshTimer = undefined;
      if (!this.ctx.running || this.feeds.size === 0) return;
      const now = this.ctx.clock.now();
      for (const [id, f] of this.feeds) {
        if (now < f.due) continue;
        f.due = now + this.every(f.market);
        void this.refresh(id);
      }
      this.scheduleRefresh();
    });
  }
}
