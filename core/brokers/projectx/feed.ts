// One ProjectX account's state from the hub: idempotent upserts of orders/positions/accounts, executions deduplicated
// by trade id and recognised against the REST snapshot (re-emissions), REST catch-up and periodic correction.
import { Decimal } from '../../domain/decimal.js';
import { errorMessage } from '../../domain/errors.js';
import { isTerminal } from '../../domain/order-fsm.js';
import { brokerOrderId, executionId, type AccountId } from '../../domain/ids.js';
import type { AccountSnapshot, BrokerOrder, Execution, Position } from '../../domain/order.js';
import type { BrokerEvents } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import type { TypedEmitter } from '../shared/index.js';
import type { ContractBook } from './contracts.js';
import {
  accountSchema, orderSchema, parseWith, positionSchema, sideOf, statusRank, tradeMoney, tradeSchema,
  type PxAccount, type PxOrder, type PxPosition, type PxTrade,
} from './parse.js';
import type { ProjectXClient } from './client.js';
import { positionsAfter, readPositions, signedSize, tradeSnapshot } from './snapshot.js';
import { orderReport, readWorkingOrders } from './orders.js';
import { DayPnl, tradingDayStart } from './day-pnl.js';
import type { UserEvent } from './stream.js';

const SEEN_LIMIT = 20_000;
const ORDER_CACHE_LIMIT = 5_000;
/** Trade/search after a reconnect starts this far before the newest trade seen (clock skew, late rows). */
const CATCH_UP_MARGIN_MS = 60_000;

export interface FeedDeps {
  readonly id: AccountId;
  readonly pxAccountId: number;
  readonly client: ProjectXClient;
  readonly contracts: ContractBook;
  readonly clock: Clock;
  readonly events: TypedEmitter<BrokerEvents>;
  readonly log: (line: string) => void;
}

export class AccountFeed {
  private readonly orders = new Map<string, BrokerOrder>();
  private readonly orderSize = new Map<string, number>();
  private readonly tradeQty = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly positions = new Map<string, Decimal>();
  private readonly avgPrices = new Map<string, Decimal>();
  private readonly positionReports = new Map<string, Position>();
  /** When positions / working orders were last read through REST (catch-up or refresh), ms. */
  positionsReadAt = 0;
  ordersReadAt = 0;
  private positionsRead: Promise<void> | undefined;
  private ordersRead: Promise<void> | undefined;
  private readonly pnl = new DayPnl();
  /** Every trade before this time is already part of the positions read from REST at the last catch-up. */
  private baseline = 0;
  /** Net per contract from trades: the last REST snapshot plus every trade after it (positionAfter). */
  private net = new Map<string, Decimal>();
  private lastAccount = '';
  private lastTradeAt = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly d: FeedDeps) {}

  /** Queues one hub entity; handling is serial so a slow symbol lookup cannot reorder events. */
  push(target: UserEvent, entity: unknown): void {
    this.chain = this.chain.then(() => this.handle(target, entity)).catch((err: unknown) => {
      this.alert('warning', 'malformed_message', `ProjectX ${target} could not be handled: ${errorMessage(err)}`);
    });
  }

  async toOrder(px: PxOrder): Promise<BrokerOrder> {
    return orderReport(px, this.d.id, await this.d.contracts.symbolOf(px.contractId));
  }

  /** REST catch-up after a (re)connect: positions, working orders (incl. suspended children), orders that
   * finished during the gap, missed trades. */
  catchUp(reconnected: boolean): Promise<void> {
    return this.inChain(() => this.runCatchUp(reconnected));
  }

  /** Periodic correction of the hub-fed positions through REST, inside the event chain (later events apply after). */
  refreshPositions(): Promise<void> {
    this.positionsRead ??= this.inChain(async () => {
      const read = await readPositions(this.d.client, this.d.pxAccountId);
      await this.applyPositions(read.rows, true);
    }).finally(() => {
      this.positionsRead = undefined;
    });
    return this.positionsRead;
  }

  /** Periodic correction of the hub-fed working orders through REST (orders that left the list are looked up). */
  refreshOrders(): Promise<void> {
    this.ordersRead ??= this.inChain(async () => this.applyWorking(await this.workingOrders())).finally(() => {
      this.ordersRead = undefined;
    });
    return this.ordersRead;
  }

  /** Open positions as the hub and the last REST read left them (no request). */
  positionList(): Position[] {
    return [...this.positionReports.values()].filter((p) => !p.qty.isZero());
  }

  /** Working orders as the hub and the last REST read left them (no request). */
  workingList(): BrokerOrder[] {
    return [...this.orders.values()].filter((o) => !isTerminal(o.status));
  }

  knowsOrder(id: string): boolean {
    return this.orders.has(id);
  }

  private inChain(job: () => Promise<void>): Promise<void> {
    const run = this.chain.then(job);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async applyPositions(rows: readonly PxPosition[], quiet: boolean): Promise<void> {
    const open = new Set(rows.map((p) => p.contractId));
    for (const p of rows) await this.onPosition(p, quiet);
    for (const [contractId, qty] of this.positions) {
      if (!open.has(contractId) && !qty.isZero()) await this.onPosition({ id: '0', accountId: String(this.d.pxAccountId), contractId, type: 0, size: 0, averagePrice: undefined, contractDisplayName: undefined });
    }
    this.positionsReadAt = this.d.clock.now();
  }

  private async applyWorking(working: readonly PxOrder[]): Promise<void> {
    for (const o of working) await this.onOrder(o);
    const live = new Set(working.map((o) => o.id));
    for (const [id, o] of [...this.orders]) if (!isTerminal(o.status) && !live.has(id)) await this.lookupOrder(id);
    this.ordersReadAt = this.d.clock.now();
  }

  /** Runs inside the event chain: hub events that arrive meanwhile wait and are then deduplicated. */
  private async runCatchUp(reconnected: boolean): Promise<void> {
    const now = this.d.clock.now();
    const since = reconnected ? this.lastTradeAt - CATCH_UP_MARGIN_MS : Math.min(tradingDayStart(now), now - CATCH_UP_MARGIN_MS);
    const snap = await tradeSnapshot(this.d.client, this.d.pxAccountId, since);
    this.baseline = Math.max(this.baseline, since);
    for (const s of snap.skipped) this.alert('warning', 'malformed_message', `ProjectX ${s} ignored`);
    if (!snap.consistent) this.d.log('ProjectX catch-up: positions kept changing during the snapshot; using the latest read');
    await this.applyPositions(snap.positions, false);
    await this.applyWorking(await this.workingOrders());
    this.net = new Map(snap.net);
    if (!reconnected) {
      for (const t of snap.trades) this.count(t);
      this.lastTradeAt = Math.max(this.lastTradeAt, this.d.clock.now());
      return;
    }
    const after = positionsAfter(snap.trades, snap.net);
    for (const t of snap.trades) await this.onTrade(t, after.get(t.id));
  }

  /** Working orders through REST, Suspended bracket children included. */
  workingOrders(): Promise<PxOrder[]> {
    return readWorkingOrders(this.d.client, this.d.pxAccountId, this.d.clock.now());
  }

  /** The newest report of the order with this customTag from hub events (tags are unique per account). */
  orderByTag(tag: string): BrokerOrder | undefined {
    for (const o of this.orders.values()) if (o.clientOrderId === tag) return o;
    return undefined;
  }

  private async handle(target: UserEvent, entity: unknown): Promise<void> {
    const schema = { GatewayUserOrder: orderSchema, GatewayUserTrade: tradeSchema, GatewayUserPosition: positionSchema, GatewayUserAccount: accountSchema }[target];
    const r = parseWith(schema as typeof orderSchema, entity);
    if (!r.ok) {
      this.alert('warning', 'malformed_message', `ProjectX ${target} ignored: ${r.error}`);
      return;
    }
    const v: unknown = r.value;
    if (target === 'GatewayUserOrder') await this.onOrder(v as PxOrder);
    else if (target === 'GatewayUserTrade') await this.onTrade(v as PxTrade);
    else if (target === 'GatewayUserPosition') await this.onPosition(v as PxPosition);
    else this.onAccount(v as PxAccount);
  }

  /**
   * An order the Order/place answer already reported refused (code 2 with its id): the hub then still sends Pending
   * and Rejected for it (protocol notes, "Market order rejected"), old news that must not read as the order working.
   */
  noteRefused(order: BrokerOrder): void {
    if (!this.orders.has(order.brokerOrderId)) this.orders.set(order.brokerOrderId, order);
  }

  /** Upsert by order id; a status that ranks below the known one is a reordered, stale update. */
  async onOrder(px: PxOrder): Promise<BrokerOrder | undefined> {
    this.orderSize.set(px.id, px.size);
    const prev = this.orders.get(px.id);
    const fresh = await this.toOrder(px);
    const next = !fresh.clientOrderId && prev?.clientOrderId ? { ...fresh, clientOrderId: prev.clientOrderId } : fresh;
    if (prev && (statusRank(next.status) < statusRank(prev.status) || next.filledQty.lt(prev.filledQty))) return prev;
    if (prev && prev.status === next.status && prev.filledQty.eq(next.filledQty)) return prev;
    this.orders.set(px.id, next);
    this.prune();
    this.d.events.emit('order', next);
    return next;
  }

  /** Emits an execution once per trade id; drops re-emissions that would overfill their order. */
  /**
   * Emits an execution once per trade id, with the net position after it: from the catch-up walk when given,
   * else the tracked net (REST snapshot plus every later trade) advanced by this trade.
   */
  private async onTrade(px: PxTrade, positionAfter?: Decimal): Promise<void> {
    if (this.seen.has(px.id)) return;
    if (px.creationTimestamp < this.baseline) {
      this.remember(px.id);
      this.d.log(`ProjectX trade ${px.id} predates the position snapshot that already includes it: a re-emission, not copied`);
      return;
    }
    if (px.voided) {
      this.alert('warning', 'broker_notice', `ProjectX reported trade ${px.id} as voided: not copied`);
      this.remember(px.id);
      return;
    }
    const size = this.orderSize.get(px.orderId) ?? (await this.lookupOrder(px.orderId))?.size;
    const order0 = this.orders.get(px.orderId);
    if (order0?.status === 'filled' && order0.updatedAt < this.baseline) {
      this.remember(px.id);
      this.d.log(`ProjectX trade ${px.id} belongs to order ${px.orderId}, filled before the position snapshot: a re-emission, not copied`);
      return;
    }
    const sum = (this.tradeQty.get(px.orderId) ?? 0) + px.size;
    if (size !== undefined && sum > size) {
      this.remember(px.id);
      this.alert('info', 'broker_notice', `ProjectX trade ${px.id} would overfill order ${px.orderId} (${sum} > ${size}): treated as a re-emission`);
      return;
    }
    this.tradeQty.set(px.orderId, sum);
    this.count(px);
    this.lastTradeAt = Math.max(this.lastTradeAt, px.creationTimestamp);
    const net = positionAfter ?? (this.net.get(px.contractId) ?? Decimal.ZERO).add(px.side === 0 ? px.size : -px.size);
    this.net.set(px.contractId, net);
    const order = this.orders.get(px.orderId);
    const exec: Execution = {
      id: executionId(px.id), accountId: this.d.id, symbol: await this.d.contracts.symbolOf(px.contractId), instrumentId: px.contractId, side: sideOf(px.side),
      qty: Decimal.from(px.size), price: px.price, time: px.creationTimestamp, brokerOrderId: brokerOrderId(px.orderId), raw: px,
      ...(order?.clientOrderId ? { orderTag: order.clientOrderId } : {}),
      positionAfter: net, ...tradeMoney(px),
    };
    this.d.events.emit('execution', exec);
  }

  /** Order/searchById; the answer also updates the order cache (and emits when it is news). */
  async lookupOrder(orderId: string): Promise<PxOrder | undefined> {
    try {
      const body = await this.d.client.call<{ order?: unknown }>('Order/searchById', { accountId: this.d.pxAccountId, orderId: Number(orderId) }, { priority: 'query' });
      const r = parseWith(orderSchema, body.order);
      if (!r.ok) return undefined;
      await this.onOrder(r.value);
      return r.value;
    } catch (err) {
      this.d.log(`ProjectX order ${orderId} lookup failed: ${errorMessage(err)}`);
      return undefined;
    }
  }

  /** A trade that belongs to the account state: remembered by id, priced, counted in the day's P&L. */
  private count(px: PxTrade): void {
    this.remember(px.id);
    if (px.voided) return;
    this.d.contracts.notePrice(px.contractId, px.price);
    this.pnl.add(px);
  }

  /** Realized P&L of the trading day net of fees, plus unrealized where the login has seen a price. */
  dayPnl(): Decimal {
    const open = [...this.positions].map(([contractId, qty]) => ({ contractId, qty, avgPrice: this.avgPrices.get(contractId) }));
    return this.pnl.value(this.d.clock.now(), open, (id) => this.d.contracts.lastPrice(id), (id) => this.d.contracts.known(id));
  }

  /** `quiet`: a REST correction that changes nothing emits nothing. */
  private async onPosition(px: PxPosition, quiet = false): Promise<void> {
    const qty = signedSize(px);
    const known = this.positionReports.get(px.contractId);
    if (quiet && known && known.qty.eq(qty) && (known.avgPrice?.toString() ?? '') === (qty.isZero() ? '' : px.averagePrice?.toString() ?? '')) return;
    this.positions.set(px.contractId, qty);
    if (px.averagePrice && !qty.isZero()) this.avgPrices.set(px.contractId, px.averagePrice);
    else this.avgPrices.delete(px.contractId);
    const p: Position = {
      accountId: this.d.id, symbol: await this.d.contracts.symbolOf(px.contractId), instrumentId: px.contractId, qty, raw: px,
      ...(px.averagePrice && !qty.isZero() ? { avgPrice: px.averagePrice } : {}),
    };
    this.positionReports.set(px.contractId, p);
    this.d.events.emit('position', p);
  }

  private onAccount(px: PxAccount): void {
    const key = `${px.balance.toString()}|${px.canTrade}`;
    if (key === this.lastAccount) return;
    this.lastAccount = key;
    const snap: AccountSnapshot = { accountId: this.d.id, equity: px.balance, cash: px.balance, dayPnl: this.dayPnl(), currency: 'USD', canTrade: px.canTrade, raw: px };
    this.d.events.emit('account', snap);
  }

  /** Forgets the oldest finished orders once the cache is large (long sessions). */
  private prune(): void {
    if (this.orders.size <= ORDER_CACHE_LIMIT) return;
    for (const [id, o] of this.orders) {
      if (this.orders.size <= ORDER_CACHE_LIMIT / 2) break;
      if (!isTerminal(o.status)) continue;
      this.orders.delete(id);
      this.orderSize.delete(id);
      this.tradeQty.delete(id);
    }
  }

  private remember(id: string): void {
    this.seen.add(id);
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value!);
  }

  private alert(severity: 'info' | 'warning' | 'error', code: 'malformed_message' | 'broker_notice', message: string): void {
    this.d.events.emit('alert', { severity, code, message, accountId: this.d.id });
  }
}
