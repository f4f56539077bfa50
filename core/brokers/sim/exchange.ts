// SimExchange: the in-process simulated venue (accounts, matching, price walk, fault injection, event feed).
import { Decimal, type DecimalInput } from '../../domain/decimal.js';
import { clientOrderId, type BrokerOrderId, type ClientOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, BrokerOrder, Execution, OrderRequest, Position } from '../../domain/order.js';
import { opposite, sideOf } from '../../domain/side.js';
import type { MarketSessionInfo } from '../../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { mulberry32 } from '../shared/random.js';
import { accountSnapshot, newAccount, type SimAccount } from './account.js';
import { validateBracket } from './brackets.js';
import { simErrors } from './errors.js';
import { DEFAULT_SIM_INSTRUMENTS, type SimInstrumentSpec } from './instruments.js';
import { SimFeed, type SimListener } from './feed.js';
import { SimMatcher } from './matcher.js';
import { isOpen, snapshot, validateRequest, washTradeWith } from './orders.js';
import { PriceWalk } from './price-walk.js';

export interface SimExchangeOptions {
  readonly clock: Clock;
  /** Seeds the price walk and the partial-fill decisions (independent streams). */
  readonly seed?: number;
  /** Market fills are this many ticks worse than the last price. */
  readonly slippageTicks?: number;
  /** Chance that an order fills in 2-3 pieces over successive latency ticks. */
  readonly partialFillProbability?: number;
  /** Delay from acceptance to each fill piece; 0 fills on the next microtask. */
  readonly latencyMs?: number;
  readonly instruments?: readonly SimInstrumentSpec[];
  /** Tags execution and order ids (`sim-<account>-<tag>.<n>`): give each venue instance its own (see MatcherDeps). */
  readonly idTag?: string;
}

const ALWAYS_OPEN: MarketSessionInfo = { open: true };

export class SimExchange {
  readonly clock: Clock;
  private readonly specs: readonly SimInstrumentSpec[];
  private readonly walk: PriceWalk;
  private readonly matcher: SimMatcher;
  private readonly accounts = new Map<string, SimAccount>();
  private readonly feed = new SimFeed();
  /** Told after every price change (setPrice, a walk step) with the symbols that may have moved. */
  private readonly priceListeners = new Set<(symbols: readonly string[]) => void>();
  private closeSeq = 0;
  private walkTimer: TimerHandle | undefined;
  private session: MarketSessionInfo = ALWAYS_OPEN;
  /** Futures that rolled: every contract id in listing order, the active one last. */
  private readonly contracts = new Map<string, string[]>();

  constructor(opts: SimExchangeOptions) {
    const seed = opts.seed ?? 1;
    this.clock = opts.clock;
    this.specs = opts.instruments ?? DEFAULT_SIM_INSTRUMENTS;
    this.walk = new PriceWalk(this.specs, seed);
    this.matcher = new SimMatcher({
      clock: this.clock, walk: this.walk, feed: this.feed, fillRandom: mulberry32(seed ^ 0x9e3779b9),
      slippageTicks: opts.slippageTicks ?? 0, partialFillProbability: opts.partialFillProbability ?? 0,
      latencyMs: opts.latencyMs ?? 0, snapshotOf: (acct) => this.account(acct.id),
      ...(opts.idTag ? { idTag: opts.idTag } : {}),
    });
  }

  addAccount(id: string, opts: { cash: DecimalInput }): void {
    if (this.accounts.has(id)) throw new RangeError(`sim: account ${id} already exists`);
    this.accounts.set(id, newAccount(id, Decimal.from(opts.cash)));
    this.feed.addAccount(id);
  }

  hasAccount(id: string): boolean {
    return this.accounts.has(id);
  }

  /** By symbol or by futures contract id (the active one or one rolled from); futures carry their active contract. */
  instrument(symbol: string): Instrument | undefined {
    const spec = this.specs.find(
      (s) => s.instrument.symbol === symbol || s.instrument.contractId === symbol || this.contracts.get(s.instrument.symbol)?.includes(symbol),
    );
    if (!spec) return undefined;
    const active = this.contracts.get(spec.instrument.symbol)?.at(-1);
    return active ? { ...spec.instrument, contractId: active } : spec.instrument;
  }

  instruments(): Instrument[] {
    return this.specs.map((s) => this.instrument(s.instrument.symbol)!);
  }

  /**
   * Rolls a future to a new active contract. Positions stay in the contract they were opened in; orders in an
   * earlier contract are accepted only when they close (part of) the position held there, like a venue that lists
   * expiring contracts for closing only.
   */
  rollContract(symbol: string, contractId: string): void {
    const inst = this.instrument(symbol);
    if (!inst?.contractId) throw new RangeError(`sim: ${symbol} is not a future`);
    this.contracts.set(inst.symbol, [...(this.contracts.get(inst.symbol) ?? [inst.contractId]), contractId]);
  }

  lastPrice(symbol: string): Decimal {
    const p = this.walk.last(this.instrument(symbol)?.symbol ?? symbol);
    if (!p) throw new RangeError(`sim: unknown symbol ${JSON.stringify(symbol)}`);
    return p;
  }

  /** Sets the last price (rounded to tick) and fills resting orders that became marketable. */
  setPrice(symbol: string, price: DecimalInput): void {
    this.walk.set(symbol, price);
    this.matcher.matchResting(this.accounts.values());
    this.pricesMoved([symbol]);
  }

  /** One seeded price-walk step for every instrument, then matching. */
  step(): void {
    this.walk.step();
    this.matcher.matchResting(this.accounts.values());
    this.pricesMoved(this.specs.map((s) => s.instrument.symbol));
  }

  /** Price changes as they happen (the sim's market data); returns an unsubscribe. */
  onPrices(listener: (symbols: readonly string[]) => void): () => void {
    const entry = (symbols: readonly string[]) => listener(symbols);
    this.priceListeners.add(entry);
    return () => {
      this.priceListeners.delete(entry);
    };
  }

  private pricesMoved(symbols: readonly string[]): void {
    for (const l of [...this.priceListeners]) {
      try {
        l(symbols);
      } catch {
        // A subscriber's failure must not stop the venue (market data isolates and reports its own listeners).
      }
    }
  }

  startPriceWalk(intervalMs: number): void {
    this.stopPriceWalk();
    const tick = () => {
      this.walkTimer = this.clock.setTimer(intervalMs, tick);
      this.step();
    };
    this.walkTimer = this.clock.setTimer(intervalMs, tick);
  }

  stopPriceWalk(): void {
    if (this.walkTimer) this.clock.clearTimer(this.walkTimer);
    this.walkTimer = undefined;
  }

  setLatency(ms: number): void {
    this.matcher.setLatency(ms);
  }

  /** Scripts the regular-hours session the equities report (default open); orders are not refused while closed. */
  setMarketSession(session: MarketSessionInfo): void {
    this.session = { ...session };
  }

  /** The scripted session for an equity; futures always trade. */
  marketSession(symbol: string): MarketSessionInfo {
    const inst = this.instrument(symbol);
    if (!inst) throw simErrors.unknownSymbol(symbol);
    return inst.assetClass === 'equity' ? this.session : ALWAYS_OPEN;
  }

  /** Places an order (sync). Throws BrokerError: invalid, duplicate_client_id, injected rejected/timeout. */
  submit(accountId: string, req: OrderRequest): BrokerOrder {
    const acct = this.acct(accountId);
    const inst = validateRequest(this.instrument(req.symbol), req);
    validateBracket(req);
    if (acct.byClientId.has(req.clientOrderId)) throw simErrors.duplicate(req.clientOrderId);
    const opposing = washTradeWith(acct, inst, req);
    if (opposing) throw simErrors.washTrade(opposing.id);
    if (acct.rejects.count > 0) {
      acct.rejects.count--;
      throw simErrors.rejected(acct.rejects.reason);
    }
    const unknown = acct.unknown.count > 0 ? { placed: acct.unknown.placed } : undefined;
    if (unknown) acct.unknown.count--;
    if (unknown && !unknown.placed) throw simErrors.timeout(false);
    const order = this.matcher.place(acct, inst, this.contractFor(acct, inst, req), req);
    if (unknown) throw simErrors.timeout(true);
    return snapshot(order);
  }

  /** The ledger key an order trades: the symbol, or the contract asked for (closing only when not the active one). */
  private contractFor(acct: SimAccount, inst: Instrument, req: OrderRequest): string {
    const asked = req.instrumentId;
    if (!inst.contractId) {
      if (asked !== undefined && asked !== inst.symbol) throw simErrors.invalid(`${inst.symbol} has no contract ${asked}`);
      return inst.symbol;
    }
    if (asked === undefined || asked === inst.contractId) return inst.contractId;
    if (this.instrument(asked)?.symbol !== inst.symbol) throw simErrors.invalid(`${asked} is not a contract of ${inst.symbol}`);
    const held = acct.ledger.position(asked)?.qty ?? Decimal.ZERO;
    const closes = !held.isZero() && sideOf(held) !== req.side && !req.qty.gt(held.abs());
    if (!closes) throw simErrors.rejected(`contract ${asked} is not the active contract; it takes closing orders only`);
    return asked;
  }

  cancel(accountId: string, id: BrokerOrderId): BrokerOrder {
    const acct = this.acct(accountId);
    const order = acct.orders.get(id);
    if (!order) throw simErrors.orderNotFound(id);
    if (!isOpen(order)) throw simErrors.notCancelable(id, order.status);
    this.matcher.cancel(acct, order);
    return snapshot(order);
  }

  /** Sends a market order for the whole position in each contract held (client id close-<n>); null when already flat. */
  closePosition(accountId: string, symbol: string): BrokerOrder | null {
    const inst = this.instrument(symbol);
    if (!inst) throw simErrors.unknownSymbol(symbol);
    let last: BrokerOrder | null = null;
    for (const [key, p] of this.acct(accountId).ledger.positions()) {
      if (p.symbol !== inst.symbol || p.qty.isZero()) continue;
      last = this.submit(accountId, {
        accountId: accountId as OrderRequest['accountId'],
        clientOrderId: clientOrderId(`close-${++this.closeSeq}`),
        symbol: inst.symbol, ...(key !== inst.symbol ? { instrumentId: key } : {}), side: opposite(sideOf(p.qty)), qty: p.qty.abs(),
        type: 'market', timeInForce: 'day', purpose: 'flatten',
      });
    }
    return last;
  }

  order(accountId: string, id: BrokerOrderId): BrokerOrder | undefined {
    const o = this.acct(accountId).orders.get(id);
    return o && snapshot(o);
  }

  findByClientId(accountId: string, id: ClientOrderId): BrokerOrder | null {
    const o = this.acct(accountId).byClientId.get(id);
    return o ? snapshot(o) : null;
  }

  orders(accountId: string): BrokerOrder[] {
    return [...this.acct(accountId).orders.values()].map(snapshot);
  }

  openOrders(accountId: string): BrokerOrder[] {
    return [...this.acct(accountId).open.values()].map(snapshot);
  }

  /** Fills on the account, oldest first (the latest 10,000). */
  executions(accountId: string): Execution[] {
    return [...this.acct(accountId).executions];
  }

  positions(accountId: string): Position[] {
    const acct = this.acct(accountId);
    return acct.ledger.positions().map(([key, p]) => ({
      accountId: acct.id as Position['accountId'], symbol: p.symbol, ...(key !== p.symbol ? { instrumentId: key } : {}),
      qty: p.qty, avgPrice: p.avgPrice,
    }));
  }

  /** Signed position qty (zero when flat): a symbol's net across its contracts, or one contract's by its id. */
  position(accountId: string, symbolOrContract: string): Decimal {
    const ledger = this.acct(accountId).ledger;
    if (this.instrument(symbolOrContract)?.symbol === symbolOrContract) return ledger.net(symbolOrContract);
    return ledger.position(symbolOrContract)?.qty ?? Decimal.ZERO;
  }

  account(accountId: string): AccountSnapshot {
    return accountSnapshot(this.acct(accountId), (s) => this.instrument(s)!, (s) => this.lastPrice(s));
  }

  /** The next `count` valid submits on the account are rejected (definite) with `reason`. */
  injectRejects(accountId: string, count: number, reason = 'injected reject'): void {
    this.acct(accountId).rejects = { count, reason };
  }

  /** The next `count` valid submits throw BrokerError 'timeout'; with placed:true the order exists anyway. */
  injectUnknownOutcome(accountId: string, opts: { placed: boolean; count?: number }): void {
    this.acct(accountId).unknown = { count: opts.count ?? 1, placed: opts.placed };
  }

  /** Drops the account's connection: queued events go out first, later ones are lost until reconnect. */
  disconnect(accountId: string): void {
    this.acct(accountId);
    this.feed.setConnected(accountId, false);
  }

  reconnect(accountId: string): void {
    this.acct(accountId);
    this.feed.setConnected(accountId, true);
  }

  isConnected(accountId: string): boolean {
    return this.feed.isConnected(accountId);
  }

  subscribe(accountId: string, listener: SimListener): () => void {
    this.acct(accountId);
    return this.feed.subscribe(accountId, listener);
  }

  private acct(id: string): SimAccount {
    const a = this.accounts.get(id);
    if (!a) throw simErrors.unknownAccount(id);
    return a;
  }
}

