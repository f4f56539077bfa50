// AlpacaAdapter: the BrokerAdapter for Alpaca leader and follower accounts (REST + trade_updates + catch-up).
import { Decimal } from '../../domain/decimal.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AlertInput } from '../../domain/alert.js';
import type { AccountId, BrokerOrderId, ClientOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import { isTerminal } from '../../domain/order-fsm.js';
import type { AccountSnapshot, BrokerOrder, OrderRequest, Position } from '../../domain/order.js';
import type { BrokerAdapter, BrokerEvents, ConnectionHealth, FlattenResult, SendGate, Unsubscribe } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import { AlertThrottle, registerSecret, TypedEmitter } from '../shared/index.js';
import { AssetCache, instrumentOf } from './assets.js';
import { catchUp } from './catch-up.js';
import { AlpacaRestClient, type AlpacaCredentials } from './client.js';
import { ExecutionTracker, type Derived } from './executions.js';
import { FactChecker } from './fact-check.js';
import { Keeper } from './keeper.js';
import { checkExposure, checkQuantity, findByClientId, submitOnce, type AccountFacts, type FollowerContext } from './follower.js';
import { cancelAll, closeAll, closeOne } from './kill-switch.js';
import { MarketCalendar, type CalendarDay, type MarketSession } from './market-clock.js';
import { ALPACA_DATA_URL, AlpacaMarketData } from './market-data.js';
import { parseAccount, parseOrder, parsePosition, parseTime, type TradeUpdate } from './parse.js';
import { PRIORITY } from './rate-limit.js';
import { TradeUpdatesStream } from './stream.js';
import { ALPACA_CAPABILITIES, DEFAULT_ALPACA_TUNING, type AlpacaTuning } from './tuning.js';

/** Fills younger than this are left to the live stream by periodic catch-ups (it is probably still delivering them). */
const LIVE_GRACE_MS = 2_000;


export class AlpacaAdapter implements BrokerAdapter {
  readonly broker = 'alpaca' as const;
  readonly capabilities = ALPACA_CAPABILITIES;
  readonly rest: AlpacaRestClient;
  private readonly stream: TradeUpdatesStream;
  private readonly tracker: ExecutionTracker;
  private readonly calendar: MarketCalendar;
  private readonly events: TypedEmitter<BrokerEvents>;
  private healthState: ConnectionHealth = { status: 'disconnected' };
  private readonly assets: AssetCache;
  private lastAccount: { at: number; value: AccountFacts } | undefined;
  private factsPending: Promise<AccountFacts> | undefined;
  private readonly open = new Map<string, BrokerOrder>();
  private readonly closed = new Set<string>();
  private readonly prices = new Map<string, Decimal>();
  private connectedAt = 0;
  /** Set by disconnect(): background work (catch-up retries, checks) stops reporting. */
  private stopped = false;
  private readyAt = 0;
  private pollTimer: ReturnType<Clock['setTimer']> | undefined;
  private catchingUp: Promise<void> | undefined;
  private readonly ctx: FollowerContext;
  private readonly checker: FactChecker;
  private readonly throttle: AlertThrottle;
  private readonly dataFeed: AlpacaMarketData;
  /** Account facts and the market clock kept fresh off the copy path; only what copies read (followers). */
  private readonly keeper: Keeper;
  private factsUsed = false;
  private orderedSinceRead = false;

  constructor(
    readonly accountId: AccountId,
    urls: { rest: string; stream: string; marketData?: string },
    creds: AlpacaCredentials,
    private readonly clock: Clock,
    random: () => number,
    private readonly tuning: AlpacaTuning = DEFAULT_ALPACA_TUNING,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    registerSecret(creds.keyId);
    registerSecret(creds.secretKey);
    this.throttle = new AlertThrottle(() => clock.now());
    this.rest = new AlpacaRestClient(urls.rest, creds, clock, tuning.requestTimeoutMs);
    this.rest.onRateLimited = (ms) => this.alert({ severity: 'warning', code: 'rate_limited', message: `Alpaca rate limit hit (HTTP 429); pausing requests for ${ms} ms` });
    this.tracker = new ExecutionTracker(accountId);
    this.events = new TypedEmitter<BrokerEvents>((err, event) => log(`alpaca ${accountId}: ${event} listener failed: ${errorMessage(err)}`));
    this.assets = new AssetCache(this.rest, clock, tuning.assetTtlMs, (a) => this.alert(a));
    this.calendar = new MarketCalendar(this.rest, clock);
    this.dataFeed = new AlpacaMarketData(urls.marketData ?? ALPACA_DATA_URL, creds, accountId, clock, random, tuning, log);
    this.stream = new TradeUpdatesStream(urls.stream, creds, clock, random, tuning, {
      update: (u) => this.onUpdate(u),
      ready: (reconnected) => this.onReady(reconnected),
      status: (status, reason) => {
        this.healthState = { ...this.healthState, status, ...(reason !== undefined ? { reason } : {}) };
        if (status !== 'connected') this.emit('status', { ...this.healthState });
      },
      alert: (a) => this.alert(a),
      heard: (at, rtt) => {
        this.healthState = { ...this.healthState, lastHeartbeatAt: at, ...(rtt !== undefined ? { roundTripMs: rtt } : {}) };
      },
    });
    this.checker = new FactChecker(this.rest, this.tracker, accountId, {
      derived: (d, recheck) => this.onDerived(d, recheck),
      position: (p) => this.emit('position', p),
      order: (o) => this.remember(o, true),
      alert: (a) => this.alert(a),
    });
    this.ctx = {
      rest: this.rest,
      accountId,
      clock,
      asset: (s) => this.assets.get(s),
      position: (s) => this.tracker.position(s) ?? this.readPosition(s),
      accountFacts: () => this.accountFacts(),
      lastPrice: (s) => this.prices.get(s),
      remember: (o) => this.remember(o),
      alert: (a) => this.alert(a),
    };
    this.keeper = new Keeper(clock, tuning.keepMs, [
      { due: (now) => this.accountDue(now), refresh: () => ((this.orderedSinceRead = false), this.refreshFacts()) },
      { due: (now) => this.calendar.asked && this.calendar.staleWithin(now, tuning.keepMs), refresh: () => this.calendar.refresh() },
    ]);
  }

  on<K extends keyof BrokerEvents>(event: K, listener: (e: BrokerEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  private emit<K extends keyof BrokerEvents>(event: K, e: BrokerEvents[K]): void {
    this.events.emit(event, e);
  }

  /** Alerts and their log lines, throttled at the source (a flood of junk frames is a few lines, not thousands). */
  private alert(input: Omit<AlertInput, 'accountId'>): void {
    const a = this.stopped ? undefined : this.throttle.admit(input); // nothing is reported once disconnected
    if (!a) return;
    this.log(`alpaca ${this.accountId}: ${a.code}: ${a.message}`);
    this.emit('alert', { ...a, accountId: this.accountId });
  }

  health(): ConnectionHealth {
    return { ...this.healthState };
  }

  async connect(): Promise<void> {
    this.stopped = false;
    try {
      await this.account();
    } catch (err) {
      if (err instanceof BrokerError && err.code === 'auth') {
        this.alert({ severity: 'critical', code: 'auth_failed', message: `Alpaca rejected the credentials for ${this.accountId}: ${err.message}` });
        this.healthState = { status: 'failed', reason: err.message };
      }
      throw err;
    }
    this.connectedAt = this.clock.now();
    await this.assets.preload();
    // Every later fill is checked against a known position (absent symbols are flat); the clock is read at once so the
    // first copy does not wait for GET /v2/clock, and the two reads in parallel leave two connections open.
    await Promise.all([this.positions(), this.calendar.read().catch(() => undefined)]);
    await this.stream.start();
    this.schedulePoll();
    this.keeper.start();
  }

  async disconnect(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) this.clock.clearTimer(this.pollTimer);
    this.pollTimer = undefined;
    this.keeper.stop();
    this.stream.stop();
    await this.dataFeed.disconnect();
    this.rest.pool.closeIdle();
    this.healthState = { status: 'disconnected' };
  }

  /** Trades and quotes for the watched symbols on the key's one market data connection (opened on the first watch). */
  marketData(): AlpacaMarketData {
    return this.dataFeed;
  }

  private onReady(reconnected: boolean): void {
    this.readyAt = this.clock.now();
    if (!reconnected) this.emit('status', { status: 'connected', ...this.extra() });
    void this.runCatchUp(reconnected);
  }

  private extra(): Partial<ConnectionHealth> {
    const { lastHeartbeatAt, roundTripMs } = this.healthState;
    return { ...(lastHeartbeatAt !== undefined ? { lastHeartbeatAt } : {}), ...(roundTripMs !== undefined ? { roundTripMs } : {}) };
  }

  /**
   * Reads missed fills, orders and positions; after a reconnect, emits status connected+reconnected when done so
   * the engine reconciles. Fills newer than the stream's readiness (or than a few seconds, on periodic runs) are
   * left to the stream, so both never race to report one fill.
   */
  private runCatchUp(reconnected: boolean): Promise<void> {
    if (this.catchingUp) return this.catchingUp.then(() => this.runCatchUp(reconnected));
    const run = (async () => {
      for (let attempt = 1; attempt <= 5 && !this.stopped; attempt++) {
        try {
          const window = { sinceMs: this.connectedAt, cutoffMs: Math.max(this.readyAt, this.clock.now() - LIVE_GRACE_MS) };
          await catchUp(this.rest, this.tracker, this.accountId, window, {
            execution: (d) => this.onDerived(d),
            order: (o) => this.remember(o, true),
            position: (p) => this.emit('position', p),
          });
          if (reconnected) this.emit('status', { status: 'connected', reconnected: true, ...this.extra() });
          return;
        } catch (err) {
          this.alert({ severity: 'warning', code: 'broker_notice', message: `Alpaca catch-up failed (attempt ${attempt}): ${errorMessage(err)}` });
          await new Promise<void>((r) => this.clock.setTimer(500 * attempt, () => r()));
        }
      }
    })();
    this.catchingUp = run.finally(() => {
      this.catchingUp = undefined;
    });
    return this.catchingUp;
  }

  private schedulePoll(): void {
    if (this.tuning.pollMs <= 0) return;
    this.pollTimer = this.clock.setTimer(this.tuning.pollMs, () => {
      if (this.healthState.status === 'connected') void this.runCatchUp(false);
      this.schedulePoll();
    });
  }

  private onUpdate(u: TradeUpdate): void {
    let order: BrokerOrder;
    try {
      order = parseOrder(u.order, this.accountId);
    } catch (err) {
      this.alert({ severity: 'warning', code: 'malformed_message', message: `Alpaca trade update ${u.event} with an unreadable order: ${errorMessage(err)}` });
      return;
    }
    if (u.event === 'fill' || u.event === 'partial_fill') this.onDerived(this.tracker.fromUpdate(u));
    else if (!this.tracker.knowsOrder(order.brokerOrderId) && (parseTime(u.order.created_at) ?? 0) < this.connectedAt) {
      this.tracker.seedOrder(order.brokerOrderId, order.filledQty);
    } else this.onDerived(this.tracker.fromOrder(u.order, 'stream')); // more filled than known: a fill the gap hid
    this.remember(order, true);
  }

  private onDerived(d: Derived, recheck = true): void {
    this.checker.review(d, recheck);
    if (!d.execution) return;
    this.prices.set(d.execution.symbol, d.execution.price);
    this.emit('execution', d.execution);
    if (d.execution.positionAfter !== undefined) {
      this.emit('position', { accountId: this.accountId, symbol: d.execution.symbol, qty: d.execution.positionAfter });
    }
  }

  /** Tracks open orders; stale updates (less filled, or working again after a final state: replays) are dropped. */
  private remember(o: BrokerOrder, emit = false): void {
    const prev = this.open.get(o.brokerOrderId);
    if (prev && prev.filledQty.gt(o.filledQty)) return;
    if (this.closed.has(o.brokerOrderId) && !isTerminal(o.status)) return;
    if (isTerminal(o.status)) {
      this.open.delete(o.brokerOrderId);
      this.closed.add(o.brokerOrderId);
      if (this.closed.size > 20_000) this.closed.delete(this.closed.values().next().value!);
    } else this.open.set(o.brokerOrderId, o);
    if (emit) this.emit('order', o);
  }

  async instrument(symbol: string): Promise<Instrument> {
    return instrumentOf(await this.assets.get(symbol));
  }

  /** A position the stream and reads have not told us yet: REST, only before the first position list was read. */
  private async readPosition(symbol: string): Promise<Decimal> {
    const { status, body } = await this.rest.get(`/v2/positions/${encodeURIComponent(symbol)}`, { allow: [404], priority: PRIORITY.copy });
    const qty = status === 404 ? Decimal.ZERO : parsePosition(body, this.accountId).qty;
    this.tracker.setPosition(symbol, qty);
    return qty;
  }

  /**
   * Buying power and shorting for exposure checks: the last account read (connect, every account() call), refreshed in
   * the background when older than accountTtlMs. Awaited only before the first read ever.
   */
  private accountFacts(): AccountFacts | Promise<AccountFacts> {
    this.factsUsed = true;
    return this.lastAccount ? this.lastAccount.value : this.refreshFacts();
  }

  private refreshFacts(): Promise<AccountFacts> {
    this.factsPending ??= this.account()
      .then(() => this.lastAccount!.value)
      .finally(() => (this.factsPending = undefined));
    return this.factsPending;
  }

  /** Due when copies read the facts and they are older than accountTtlMs with orders since (or 4x that without). */
  private accountDue(now: number): boolean {
    if (!this.factsUsed || this.factsPending || !this.lastAccount) return false;
    const age = now - this.lastAccount.at;
    return age >= this.tuning.accountTtlMs && (this.orderedSinceRead || age >= 4 * this.tuning.accountTtlMs);
  }

  /**
   * Submits exactly the order asked (no cancels of its own); `gate` is asked after the rate-budget wait, last. Nothing
   * but the order is sent: account facts are refreshed by the keeper's timer, never because of a copy.
   */
  async submitOrder(req: OrderRequest, gate?: SendGate): Promise<BrokerOrder> {
    // Awaits only what is not known yet: with the asset, position and facts in memory the order is written in this call.
    const asset = this.assets.peek(req.symbol) ?? (await this.assets.get(req.symbol));
    checkQuantity(req, asset);
    const checking = req.purpose !== 'flatten' ? checkExposure(this.ctx, req, asset) : undefined;
    if (checking) await checking;
    this.orderedSinceRead = true;
    return submitOnce(this.ctx, req, gate);
  }

  async cancelOrder(id: BrokerOrderId): Promise<void> {
    await this.rest.request('DELETE', `/v2/orders/${encodeURIComponent(id)}`, { priority: PRIORITY.flatten });
  }

  findOrderByClientId(id: ClientOrderId): Promise<BrokerOrder | null> {
    return findByClientId(this.ctx, id);
  }

  async openOrders(): Promise<BrokerOrder[]> {
    const { body } = await this.rest.get('/v2/orders', { query: { status: 'open', limit: 500 } });
    if (!Array.isArray(body)) throw new BrokerError('protocol', 'Alpaca order list is not an array');
    const orders = body.map((o) => parseOrder(o, this.accountId));
    for (const o of orders) this.remember(o);
    return orders;
  }

  async positions(): Promise<Position[]> {
    const { body } = await this.rest.get('/v2/positions');
    if (!Array.isArray(body)) throw new BrokerError('protocol', 'Alpaca position list is not an array');
    const list = body.map((p) => parsePosition(p, this.accountId));
    this.tracker.resetPositions(new Map(list.map((p) => [p.symbol, p.qty])));
    return list;
  }

  async account(): Promise<AccountSnapshot> {
    const { body } = await this.rest.get('/v2/account');
    const { shortingEnabled, ...snap } = parseAccount(body, this.accountId);
    const facts = { ...(snap.buyingPower !== undefined ? { buyingPower: snap.buyingPower } : {}), shortingEnabled };
    this.lastAccount = { at: this.clock.now(), value: facts };
    return snap;
  }

  cancelAllOrders(): Promise<FlattenResult[]> {
    return cancelAll(this.rest, (id) => this.open.get(id)?.symbol);
  }

  closePosition(symbol: string): Promise<FlattenResult> {
    return closeOne(this.rest, symbol);
  }

  /** Kill switch: DELETE /v2/positions?cancel_orders=true, one result per symbol from the 207 answer. */
  closeAllPositions(): Promise<FlattenResult[]> {
    return closeAll(this.rest);
  }

  /** Regular-hours state from GET /v2/clock, the same for every US equity (cached 30 s, never past the next open/close). */
  marketSession(_symbol?: string): Promise<MarketSession> {
    return this.calendar.session();
  }

  /** Trading days between two YYYY-MM-DD dates (GET /v2/calendar). */
  marketCalendar(start: string, end: string): Promise<CalendarDay[]> {
    return this.calendar.days(start, end);
  }
}
