// ProjectX BrokerAdapter for one trading account (leader or follower) on a shared login session.
import { Decimal } from '../../domain/decimal.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AccountId, BrokerOrderId, ClientOrderId } from '../../domain/ids.js';
import type { AlertInput } from '../../domain/alert.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, BrokerOrder, OrderRequest, Position } from '../../domain/order.js';
import type {
  BrokerAdapter, BrokerCapabilities, BrokerEvents, ConnectionHealth, FlattenResult, SendGate, StatusEvent, Unsubscribe,
} from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import { isTerminal } from '../../domain/order-fsm.js';
import { TypedEmitter, priorityFor } from '../shared/index.js';
import { isBracketModeRejection, isCannotCancel } from './errors.js';
import { AccountFeed } from './feed.js';
import { ProjectXMarketData } from './market-hub-feed.js';
import { BoundedMap, bracketFields } from './orders.js';
import { orderSchema, parseWith, rootOf, wireSide, type PxContract } from './parse.js';
import type { AccountSink, ProjectXSession } from './session.js';
import type { UserEvent } from './stream.js';

/** Where an order goes on the wire. */
interface OrderTarget {
  readonly contractId: string;
  readonly tickSize: Decimal;
  readonly symbol: string;
}

/** Order/search looks back this far when settling an unknown outcome by customTag. */
const TAG_LOOKBACK_MS = 3 * 24 * 3_600_000;
/** Order/place errorCode 6: the order is pending, its outcome unknown. */
const PLACE_PENDING = 6;
/** While the hub is down, REST reads are reused for this long (the app's pollers must not eat the budget). */
const HUB_DOWN_MAX_AGE_MS = 10_000;
/** Place answers remembered for lookups (customTag -> order id). */
const PLACED_LIMIT = 5_000;

export const PROJECTX_CAPABILITIES: BrokerCapabilities = {
  fractionalQty: false, shortSelling: true, extendedHours: true, brackets: true, reversalInOneOrder: true,
  cancelAll: true, closeAll: true, maxClientIdLength: 48, rateLimit: { requests: 200, windowMs: 60_000 },
};

export class ProjectXAdapter implements BrokerAdapter, AccountSink {
  readonly broker = 'projectx' as const;
  readonly capabilities = PROJECTX_CAPABILITIES;
  private readonly events: TypedEmitter<BrokerEvents>;
  private readonly feed: AccountFeed;
  private state: ConnectionHealth = { status: 'disconnected' };
  private canTrade = true;
  private attached = false;
  private readonly placed = new BoundedMap<ClientOrderId, string>(PLACED_LIMIT);
  /** Orders placed here that the hub has not reported yet (openOrders reads REST until it has). */
  private readonly unreported = new BoundedMap<string, true>(PLACED_LIMIT);
  private prices: ProjectXMarketData | undefined;

  constructor(
    readonly accountId: AccountId,
    readonly pxAccountId: number,
    private readonly session: ProjectXSession,
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {
    this.events = new TypedEmitter<BrokerEvents>((err, event) => log(`listener for ${event} threw: ${errorMessage(err)}`));
    this.feed = new AccountFeed({
      id: accountId, pxAccountId, client: session.client, contracts: session.contracts, clock, events: this.events, log,
    });
  }

  on<K extends keyof BrokerEvents>(event: K, listener: (e: BrokerEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  health(): ConnectionHealth {
    return this.state;
  }

  async connect(): Promise<void> {
    if (this.attached) return;
    this.setStatus({ status: 'connecting' });
    try {
      await this.checkAccount();
      this.attached = true;
      await this.session.attach(this);
    } catch (err) {
      this.attached = false;
      await this.session.releaseIfIdle();
      this.setStatus({ status: 'failed', reason: errorMessage(err) });
      throw err instanceof BrokerError ? err : new BrokerError('network', `ProjectX connect failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  async disconnect(): Promise<void> {
    await this.prices?.disconnect();
    if (this.attached) {
      this.attached = false;
      await this.session.detach(this);
    }
    this.setStatus({ status: 'disconnected' });
  }

  /** Quotes for the watched contracts over the login's one market hub connection (opened on the first watch). */
  marketData(): ProjectXMarketData {
    this.prices ??= new ProjectXMarketData(this.accountId, this.session.market, this.log);
    return this.prices;
  }

  instrument(symbol: string): Promise<Instrument> {
    return this.session.contracts.instrument(symbol);
  }

  async submitOrder(req: OrderRequest, gate?: SendGate): Promise<BrokerOrder> {
    if (!req.qty.gt(0) || !req.qty.isMultipleOf(1)) {
      throw new BrokerError('invalid', `ProjectX orders need a whole, positive number of contracts (got ${req.qty.toString()})`);
    }
    if (!this.canTrade) throw new BrokerError('forbidden', `ProjectX account ${this.pxAccountId} cannot trade (canTrade=false)`);
    const target = this.contractFor(req); // known contract: no await, the order is written in this call
    const { contractId, tickSize, symbol } = target instanceof Promise ? await target : target;
    if (req.type === 'limit' && (!req.limitPrice || !req.limitPrice.isMultipleOf(tickSize))) {
      throw new BrokerError('invalid', `ProjectX limit price must be a multiple of the tick size ${tickSize.toString()}`);
    }
    const body: Record<string, unknown> = {
      accountId: this.pxAccountId, contractId, type: req.type === 'limit' ? 1 : 2, side: wireSide(req.side),
      size: Number(req.qty.toString()), limitPrice: req.type === 'limit' ? req.limitPrice!.toNumber() : null, stopPrice: null,
      trailPrice: null, customTag: req.clientOrderId, ...bracketFields(req),
    };
    try {
      const res = await this.session.client.call<{ orderId?: number | string | null }>('Order/place', body, {
        priority: priorityFor(req.purpose), mutation: true, ...(gate ? { gate } : {}),
      });
      if (res.orderId === null || res.orderId === undefined) throw new BrokerError('protocol', 'ProjectX Order/place succeeded without an orderId');
      this.placed.set(req.clientOrderId, String(res.orderId));
      this.unreported.set(String(res.orderId), true);
      return {
        accountId: this.accountId, brokerOrderId: String(res.orderId) as BrokerOrderId, clientOrderId: req.clientOrderId, symbol,
        instrumentId: contractId, side: req.side, qty: req.qty, filledQty: Decimal.ZERO, type: req.type, status: 'accepted',
        updatedAt: this.clock.now(), ...(req.limitPrice ? { limitPrice: req.limitPrice } : {}), raw: res,
      };
    } catch (err) {
      if (err instanceof BrokerError && isBracketModeRejection(err)) {
        this.notice('error', 'order_rejected', `ProjectX account ${this.pxAccountId} uses Position Brackets: per-order brackets need Auto-OCO brackets enabled on the account`);
      }
      throw this.withOrderId(req, symbol, contractId, err);
    }
  }

  /**
   * A failure answer that still names an order id: the broker created the order record and refused it, a definite
   * rejection (only code 6, OrderPending, stays unknown). The id is kept so a lookup finds the record.
   */
  private withOrderId(req: OrderRequest, symbol: string, contractId: string, err: unknown): unknown {
    const raw = err instanceof BrokerError ? (err.raw as { orderId?: unknown; errorCode?: unknown } | undefined) : undefined;
    const id = raw?.orderId;
    if (!(err instanceof BrokerError) || (typeof id !== 'number' && typeof id !== 'string')) return err;
    this.placed.set(req.clientOrderId, String(id));
    if (raw?.errorCode === PLACE_PENDING) return err;
    this.feed.noteRefused({
      accountId: this.accountId, brokerOrderId: String(id) as BrokerOrderId, clientOrderId: req.clientOrderId, symbol, instrumentId: contractId,
      side: req.side, qty: req.qty, filledQty: Decimal.ZERO, type: req.type, status: 'rejected', rejectReason: err.message, updatedAt: this.clock.now(),
    });
    if (err.code === 'rejected') return err;
    return new BrokerError('rejected', `${err.message} (ProjectX order ${String(id)} was created and refused)`, { raw, cause: err });
  }

  /**
   * The contract to trade: the one asked for (a close in the contract held), else the root's active contract; at once
   * when the contract is known, else after reading it.
   */
  private contractFor(req: OrderRequest): OrderTarget | Promise<OrderTarget> {
    const symbol = req.symbol.trim().toUpperCase();
    if (!req.instrumentId) {
      return this.instrument(symbol).then((inst) => ({ contractId: inst.contractId!, tickSize: inst.tickSize, symbol: inst.symbol }));
    }
    const id = req.instrumentId;
    const target = (c: PxContract): OrderTarget => {
      if (rootOf(c.name) !== symbol) throw new BrokerError('invalid', `ProjectX contract ${id} is not a ${symbol} contract`);
      return { contractId: c.id, tickSize: c.tickSize, symbol };
    };
    const known = this.session.contracts.known(id);
    return known ? target(known) : this.session.contracts.contract(id).then(target);
  }

  async cancelOrder(id: BrokerOrderId): Promise<void> {
    try {
      await this.session.client.call('Order/cancel', { accountId: this.pxAccountId, orderId: Number(id) }, { priority: 'flatten', mutation: true });
    } catch (err) {
      if (err instanceof BrokerError && isCannotCancel(err)) {
        this.notice('error', 'broker_notice', `ProjectX account ${this.pxAccountId} may not cancel orders through the API (${err.message}): copier followers and live accounts cannot`);
      }
      throw err;
    }
  }

  /** The hub's order events first, then the order id a place answer named, then Order/search by customTag. */
  async findOrderByClientId(id: ClientOrderId): Promise<BrokerOrder | null> {
    const cached = this.feed.orderByTag(id);
    if (cached && isTerminal(cached.status)) return cached;
    const known = this.placed.get(id);
    if (known) {
      const px = await this.feed.lookupOrder(known);
      if (px) return { ...(await this.feed.toOrder(px)), clientOrderId: id };
    }
    if (cached) return cached;
    const start = new Date(this.clock.now() - TAG_LOOKBACK_MS).toISOString();
    const body = await this.session.client.call<{ orders?: unknown[] }>('Order/search', { accountId: this.pxAccountId, startTimestamp: start }, { priority: 'copy' });
    for (const row of body.orders ?? []) {
      const o = parseWith(orderSchema, row);
      if (o.ok && o.value.customTag === id) return this.feed.toOrder(o.value);
    }
    return null;
  }

  /**
   * Every working order including Suspended bracket children; an order with children has the role 'entry'. Served
   * from the hub-fed state; REST when the last read is older than snapshotMaxAgeMs (10 s while the hub is down) or
   * while an order this adapter placed has not been reported by the hub yet.
   */
  async openOrders(): Promise<BrokerOrder[]> {
    for (const id of [...this.unreported.keys()]) if (this.feed.knowsOrder(id)) this.unreported.delete(id);
    if (!this.fresh(this.feed.ordersReadAt) || this.unreported.size > 0) {
      await this.feed.refreshOrders();
      this.unreported.clear();
    }
    const orders = this.feed.workingList();
    const parents = new Set(orders.map((o) => o.parentOrderId).filter((id) => id !== undefined));
    return orders.map((o) => (parents.has(o.brokerOrderId) && !o.role ? { ...o, role: 'entry' as const } : o));
  }

  /** Open positions keyed by contract id, from the hub-fed state (REST as for openOrders). */
  async positions(): Promise<Position[]> {
    if (!this.fresh(this.feed.positionsReadAt)) await this.feed.refreshPositions();
    return this.feed.positionList();
  }

  async account(): Promise<AccountSnapshot> {
    const a = await this.findAccount(this.maxAge());
    return { accountId: this.accountId, equity: a.balance, cash: a.balance, dayPnl: this.feed.dayPnl(), currency: 'USD', canTrade: a.canTrade, raw: a };
  }

  /** True when the last REST read is recent enough to trust the hub-fed state (shorter while the hub is down). */
  private fresh(readAt: number): boolean {
    return this.clock.now() - readAt < this.maxAge();
  }

  private maxAge(): number {
    const age = this.session.snapshotMaxAgeMs;
    return this.state.status === 'connected' ? age : Math.min(age, HUB_DOWN_MAX_AGE_MS);
  }

  async cancelAllOrders(): Promise<FlattenResult[]> {
    const orders = await this.openOrders();
    return Promise.all(orders.map(async (o) => {
      try {
        await this.cancelOrder(o.brokerOrderId);
        return { symbol: o.symbol, ok: true };
      } catch (err) {
        return { symbol: o.symbol, ok: false, error: errorMessage(err) };
      }
    }));
  }

  async closePosition(symbol: string): Promise<FlattenResult> {
    try {
      const want = symbol.trim().toUpperCase();
      const open = (await this.positions()).filter((p) => p.symbol === want || p.instrumentId?.toUpperCase() === want);
      for (const p of open) {
        const contractId = p.instrumentId!;
        try {
          await this.session.client.call('Position/closeContract', { accountId: this.pxAccountId, contractId }, { priority: 'flatten', mutation: true });
        } catch (err) {
          if (!(err instanceof BrokerError && err.code === 'not_found' && /position not found/.test(err.message))) throw err;
        }
      }
      return { symbol, ok: true };
    } catch (err) {
      return { symbol, ok: false, error: errorMessage(err) };
    }
  }

  // AccountSink: called by the shared session.
  event(target: UserEvent, entity: unknown): void {
    this.state = { ...this.state, lastHeartbeatAt: this.clock.now() };
    this.feed.push(target, entity);
  }

  async caughtUp(reconnected: boolean): Promise<void> {
    try {
      await this.feed.catchUp(reconnected);
    } catch (err) {
      this.notice('warning', 'drift', `ProjectX catch-up after ${reconnected ? 'reconnect' : 'connect'} failed: ${errorMessage(err)}`);
    }
  }

  announce(reconnected: boolean): void {
    if (!this.attached) return;
    if (reconnected) this.notice('info', 'reconnected', `ProjectX account ${this.pxAccountId} reconnected and caught up through REST`);
    this.setStatus({ status: 'connected', lastHeartbeatAt: this.clock.now() }, reconnected);
  }

  lost(reason: string): void {
    if (!this.attached) return;
    this.notice('warning', 'disconnected', `ProjectX user hub connection lost: ${reason}`);
    this.setStatus({ status: 'reconnecting', reason });
  }

  alert(a: AlertInput): void {
    this.events.emit('alert', { ...a, accountId: this.accountId });
  }

  private notice(severity: AlertInput['severity'], code: AlertInput['code'], message: string): void {
    this.alert({ severity, code, message });
  }

  /** This account's row of the login's Account/search (shared, at most `maxAgeMs` old, hub-updated). */
  private async findAccount(maxAgeMs: number) {
    const row = await this.session.accountRow(this.pxAccountId, maxAgeMs);
    if (!row) throw new BrokerError('not_found', `ProjectX login has no account ${this.pxAccountId}`);
    return row;
  }

  private async checkAccount(): Promise<void> {
    const a = await this.findAccount(this.session.snapshotMaxAgeMs);
    this.canTrade = a.canTrade;
    if (!a.canTrade) this.notice('warning', 'broker_notice', `ProjectX account ${a.name} cannot trade (canTrade=false): copies to it will be refused`);
    if (a.simulated === false) {
      this.notice('warning', 'broker_notice', `ProjectX account ${a.name} is a live account: the API refuses cancels and partial closes on it`);
    }
  }

  private setStatus(h: ConnectionHealth, reconnected = false): void {
    this.state = h;
    const e: StatusEvent = reconnected ? { ...h, reconnected: true } : h;
    this.events.emit('status', e);
  }
}
