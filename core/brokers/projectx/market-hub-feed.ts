// ProjectXMarketData: one account's MarketData over its login's shared market hub (its own watched set and events).
import type { AlertInput } from '../../domain/alert.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AccountId } from '../../domain/ids.js';
import type { ConnectionHealth, StatusEvent, Unsubscribe } from '../../ports/broker-adapter.js';
import type { MarketData, MarketDataEvents, WatchedInstrument } from '../../ports/market-data.js';
import { TypedEmitter } from '../shared/index.js';
import type { HubListener, MarketHub } from './market-hub.js';
import type { HubQuote } from './market-hub-quote.js';

export class ProjectXMarketData implements MarketData, HubListener {
  private readonly events: TypedEmitter<MarketDataEvents>;
  /** Watched instruments by contract id. */
  private watched = new Map<string, WatchedInstrument[]>();
  private ids: ReadonlySet<string> = new Set();
  private attached = false;
  private waiting: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly accountId: AccountId,
    private readonly hub: MarketHub,
    log: (line: string) => void,
  ) {
    this.events = new TypedEmitter<MarketDataEvents>((err, event) => log(`ProjectX market data ${accountId}: ${event} listener failed: ${errorMessage(err)}`));
  }

  /** Resolves once the hub is connected; with nothing watched there is nothing to open (the hub opens on a watch). */
  connect(): Promise<void> {
    this.attach();
    if (this.ids.size === 0 || this.hub.health().status === 'connected') return Promise.resolve();
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  async disconnect(): Promise<void> {
    if (this.attached) {
      this.attached = false;
      this.hub.detach(this);
    }
    for (const w of this.waiting.splice(0)) w.reject(new BrokerError('network', 'ProjectX market data disconnected'));
  }

  health(): ConnectionHealth {
    return this.attached ? this.hub.health() : { status: 'disconnected' };
  }

  /** Replaces the watched set: contracts by instrumentId (the contract id, e.g. CON.F.US.MES.Z26). */
  watch(instruments: readonly WatchedInstrument[]): void {
    const next = new Map<string, WatchedInstrument[]>();
    for (const w of instruments) {
      const list = next.get(w.instrumentId) ?? [];
      if (!list.some((x) => x.symbol === w.symbol)) list.push(w);
      next.set(w.instrumentId, list);
    }
    this.watched = next;
    this.ids = new Set(next.keys());
    if (this.attached) this.hub.changed();
    else this.attach();
  }

  on<K extends keyof MarketDataEvents>(event: K, listener: (e: MarketDataEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  // HubListener: called by the login's market hub.
  contracts(): ReadonlySet<string> {
    return this.ids;
  }

  quote(q: HubQuote): void {
    for (const w of this.watched.get(q.contractId) ?? []) {
      this.events.emit('quote', { instrumentId: q.contractId, symbol: w.symbol, price: q.price, at: q.at, ...(q.bid ? { bid: q.bid } : {}), ...(q.ask ? { ask: q.ask } : {}) });
    }
  }

  status(e: StatusEvent): void {
    if (e.status === 'connected') for (const w of this.waiting.splice(0)) w.resolve();
    this.events.emit('status', e);
  }

  alert(a: AlertInput): void {
    this.events.emit('alert', { ...a, accountId: this.accountId });
  }

  private attach(): void {
    if (this.attached) return;
    this.attached = true;
    this.hub.attach(this);
  }
}
