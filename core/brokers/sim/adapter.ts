// SimAdapter: the BrokerAdapter port over one SimExchange account (rate limited, status and event mapping).
import type { AlertInput } from '../../domain/alert.js';
import { MAX_CLIENT_ID_LENGTH } from '../../domain/client-id.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AccountId, BrokerOrderId, ClientOrderId } from '../../domain/ids.js';
import type { Instrument } from '../../domain/instrument.js';
import type { AccountSnapshot, BrokerOrder, OrderRequest, Position } from '../../domain/order.js';
import type {
  BrokerAdapter,
  BrokerCapabilities,
  BrokerEvents,
  ConnectionHealth,
  ConnectionStatus,
  FlattenResult,
  MarketSessionInfo,
  SendGate,
  StatusEvent,
  Unsubscribe,
} from '../../ports/broker-adapter.js';
import { PriorityTokenBucket, priorityFor, type RequestPriority } from '../shared/token-bucket.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import { simErrors } from './errors.js';
import type { SimExchange } from './exchange.js';
import type { SimEvent } from './feed.js';
import { SimMarketData } from './market-data.js';

export interface SimAdapterOptions {
  /** The id this adapter reports on every record (the engine's account id); defaults to the venue account id. */
  readonly accountId?: AccountId;
  /** Client-side rate limit through PriorityTokenBucket (default 200 per 60 s); false turns it off. */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number } | false;
  /** Overrides what the adapter advertises (e.g. reversalInOneOrder: false); the venue itself does not enforce it. */
  readonly capabilities?: Partial<Omit<BrokerCapabilities, 'rateLimit'>>;
  /** False: the adapter has no marketSession, like a futures broker where the venue decides (default true). */
  readonly marketHours?: boolean;
}

export const SIM_RATE_LIMIT = { requests: 200, windowMs: 60_000 } as const;

export class SimAdapter implements BrokerAdapter {
  readonly accountId: AccountId;
  readonly broker = 'sim' as const;
  readonly capabilities: BrokerCapabilities;
  private readonly exchange: SimExchange;
  private readonly venueId: string;
  private readonly bucket: PriorityTokenBucket | undefined;
  private readonly events: TypedEmitter<BrokerEvents>;
  private status: ConnectionStatus = 'disconnected';
  private reason: string | undefined;
  private lastHeartbeatAt: number | undefined;
  private unsubscribe: (() => void) | undefined;
  private prices: SimMarketData | undefined;
  /** The venue's scripted session (SimExchange.setMarketSession); absent with marketHours: false. */
  readonly marketSession?: (symbol: string) => Promise<MarketSessionInfo>;

  constructor(exchange: SimExchange, venueAccountId: string, opts: SimAdapterOptions = {}) {
    this.exchange = exchange;
    this.venueId = venueAccountId;
    this.accountId = opts.accountId ?? (venueAccountId as AccountId);
    const rate = opts.rateLimit === false ? undefined : (opts.rateLimit ?? SIM_RATE_LIMIT);
    this.bucket = rate && new PriorityTokenBucket({ capacity: rate.requests, windowMs: rate.windowMs, clock: exchange.clock });
    this.capabilities = {
      fractionalQty: true, shortSelling: true, extendedHours: false, brackets: false, reversalInOneOrder: true,
      cancelAll: true, closeAll: true, maxClientIdLength: MAX_CLIENT_ID_LENGTH,
      rateLimit: rate ? { requests: rate.requests, windowMs: rate.windowMs } : SIM_RATE_LIMIT,
      ...opts.capabilities,
    };
    if (opts.marketHours !== false) this.marketSession = (symbol) => this.call('query', () => this.exchange.marketSession(symbol));
    this.events = new TypedEmitter<BrokerEvents>((err, event) => {
      if (event !== 'alert') this.alert('error', `a listener for '${event}' failed: ${errorMessage(err)}`);
    });
  }

  async connect(): Promise<void> {
    if (this.status === 'connected') return;
    this.setStatus({ status: 'connecting' });
    if (!this.exchange.hasAccount(this.venueId)) {
      this.setStatus({ status: 'failed', reason: 'unknown sim account' });
      throw simErrors.unknownAccount(this.venueId);
    }
    if (!this.exchange.isConnected(this.venueId)) {
      this.setStatus({ status: 'failed', reason: 'sim link is down' });
      throw simErrors.disconnected(this.venueId);
    }
    this.unsubscribe = this.exchange.subscribe(this.venueId, (e) => this.onVenueEvent(e));
    this.setStatus({ status: 'connected' });
  }

  async disconnect(): Promise<void> {
    await this.prices?.disconnect();
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.bucket?.rejectAll(new BrokerError('network', 'sim: adapter disconnected'));
    if (this.status !== 'disconnected') this.setStatus({ status: 'disconnected' });
  }

  health(): ConnectionHealth {
    return {
      status: this.status,
      ...(this.lastHeartbeatAt !== undefined ? { lastHeartbeatAt: this.lastHeartbeatAt } : {}),
      ...(this.reason !== undefined ? { reason: this.reason } : {}),
    };
  }

  on<K extends keyof BrokerEvents>(event: K, listener: (e: BrokerEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  instrument(symbol: string): Promise<Instrument> {
    return this.call('query', () => {
      const inst = this.exchange.instrument(symbol);
      if (!inst) throw simErrors.noInstrument(symbol);
      return inst;
    });
  }

  /** The gate is asked last, after the rate-limit token: a reason means the order never reaches the venue. */
  submitOrder(req: OrderRequest, gate?: SendGate): Promise<BrokerOrder> {
    return this.call(priorityFor(req.purpose), () => {
      const stop = gate?.();
      if (stop !== undefined) throw new BrokerError('not_sent', stop);
      return this.own(this.exchange.submit(this.venueId, req));
    });
  }

  async cancelOrder(id: BrokerOrderId): Promise<void> {
    await this.call('flatten', () => this.exchange.cancel(this.venueId, id));
  }

  findOrderByClientId(id: ClientOrderId): Promise<BrokerOrder | null> {
    return this.call('query', () => {
      const o = this.exchange.findByClientId(this.venueId, id);
      return o && this.own(o);
    });
  }

  openOrders(): Promise<BrokerOrder[]> {
    return this.call('query', () => this.exchange.openOrders(this.venueId).map((o) => this.own(o)));
  }

  positions(): Promise<Position[]> {
    return this.call('query', () => this.exchange.positions(this.venueId).map((p) => this.own(p)));
  }

  account(): Promise<AccountSnapshot> {
    return this.call('query', () => this.own(this.exchange.account(this.venueId)));
  }

  /** One request that cancels every open order; per-order failures are reported, not thrown. */
  cancelAllOrders(): Promise<FlattenResult[]> {
    return this.call('flatten', () =>
      this.exchange.openOrders(this.venueId).map((o) => {
        try {
          this.exchange.cancel(this.venueId, o.brokerOrderId);
          return { symbol: o.symbol, ok: true };
        } catch (err) {
          return { symbol: o.symbol, ok: false, error: errorMessage(err) };
        }
      }),
    );
  }

  /** Sends a market order for the whole position; ok when sent (or already flat). */
  closePosition(symbol: string): Promise<FlattenResult> {
    return this.call('flatten', () => {
      try {
        this.exchange.closePosition(this.venueId, symbol);
        return { symbol, ok: true };
      } catch (err) {
        return { symbol, ok: false, error: errorMessage(err) };
      }
    });
  }

  /** The venue's prices for this account's link (one feed per adapter, created on first call). */
  marketData(): SimMarketData {
    this.prices ??= new SimMarketData(this.exchange, this.venueId, this.accountId);
    return this.prices;
  }

  /** Runs a venue request after a rate-limit token, only while connected. */
  private async call<T>(priority: RequestPriority, fn: () => T): Promise<T> {
    this.ensureConnected();
    await this.bucket?.take(priority);
    this.ensureConnected();
    return fn();
  }

  private ensureConnected(): void {
    if (this.status !== 'connected') throw simErrors.disconnected(this.accountId);
  }

  private own<T extends { readonly accountId: AccountId }>(record: T): T {
    return record.accountId === this.accountId ? record : { ...record, accountId: this.accountId };
  }

  private onVenueEvent(e: SimEvent): void {
    this.lastHeartbeatAt = this.exchange.clock.now();
    switch (e.kind) {
      case 'order':
        return this.events.emit('order', this.own(e.order));
      case 'execution':
        return this.events.emit('execution', this.own(e.execution));
      case 'position':
        return this.events.emit('position', this.own(e.position));
      case 'account':
        return this.events.emit('account', this.own(e.account));
      case 'alert':
        return this.events.emit('alert', { ...e.alert, accountId: this.accountId });
      case 'link':
        return e.connected
          ? this.setStatus({ status: 'connected', reconnected: true })
          : this.setStatus({ status: 'reconnecting', reason: 'sim link dropped' });
    }
  }

  private setStatus(ev: StatusEvent): void {
    this.status = ev.status;
    this.reason = ev.reason;
    if (ev.status === 'connected') this.lastHeartbeatAt = this.exchange.clock.now();
    this.events.emit('status', { ...ev, ...(this.lastHeartbeatAt !== undefined ? { lastHeartbeatAt: this.lastHeartbeatAt } : {}) });
  }

  private alert(severity: AlertInput['severity'], message: string): void {
    this.events.emit('alert', { severity, code: 'broker_notice', message: `sim: ${message}`, accountId: this.accountId });
  }
}
