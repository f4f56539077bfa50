// SimMarketData: the MarketData port over the sim exchange's prices (setPrice, price walk) for one account's link.
import type { AlertInput } from '../../domain/alert.js';
import { errorMessage } from '../../domain/errors.js';
import type { AccountId } from '../../domain/ids.js';
import type { ConnectionHealth, ConnectionStatus, Unsubscribe } from '../../ports/broker-adapter.js';
import type { MarketData, MarketDataEvents, WatchedInstrument } from '../../ports/market-data.js';
import { TypedEmitter } from '../shared/typed-emitter.js';
import { simErrors } from './errors.js';
import type { SimExchange } from './exchange.js';

/**
 * Quotes go out on a microtask after each price change, for watched instruments only; while the account's link is
 * down nothing arrives, and the watched set's current prices are sent again when it comes back (a resubscribe).
 */
export class SimMarketData implements MarketData {
  private readonly events: TypedEmitter<MarketDataEvents>;
  /** Watched instruments by the venue symbol the price walk moves. */
  private watched = new Map<string, WatchedInstrument[]>();
  private status: ConnectionStatus = 'disconnected';
  private reason: string | undefined;
  private offPrices: (() => void) | undefined;
  private offLink: (() => void) | undefined;

  constructor(
    private readonly exchange: SimExchange,
    private readonly venueId: string,
    private readonly accountId: AccountId,
  ) {
    this.events = new TypedEmitter<MarketDataEvents>((err, event) => {
      if (event !== 'alert') this.alert('error', `a market data listener for '${event}' failed: ${errorMessage(err)}`);
    });
  }

  async connect(): Promise<void> {
    if (this.offPrices) return;
    if (!this.exchange.hasAccount(this.venueId)) throw simErrors.unknownAccount(this.venueId);
    this.offLink = this.exchange.subscribe(this.venueId, (e) => {
      if (e.kind !== 'link') return;
      if (e.connected) {
        this.setStatus('connected', undefined, true);
        this.publish([...this.watched.keys()]);
      } else this.setStatus('reconnecting', 'sim link dropped');
    });
    this.offPrices = this.exchange.onPrices((symbols) => this.publish(symbols));
    if (this.exchange.isConnected(this.venueId)) {
      this.setStatus('connected');
      this.publish([...this.watched.keys()]);
    } else this.setStatus('reconnecting', 'sim link is down');
  }

  async disconnect(): Promise<void> {
    this.offPrices?.();
    this.offLink?.();
    this.offPrices = this.offLink = undefined;
    if (this.status !== 'disconnected') this.setStatus('disconnected');
  }

  health(): ConnectionHealth {
    return { status: this.status, ...(this.reason !== undefined ? { reason: this.reason } : {}) };
  }

  /** Replaces the watched set; instruments the venue does not list are left out with an alert. */
  watch(instruments: readonly WatchedInstrument[]): void {
    const next = new Map<string, WatchedInstrument[]>();
    const unknown: string[] = [];
    for (const w of instruments) {
      const symbol = this.exchange.instrument(w.instrumentId)?.symbol ?? this.exchange.instrument(w.symbol)?.symbol;
      if (!symbol) {
        unknown.push(w.instrumentId);
        continue;
      }
      const list = next.get(symbol) ?? [];
      if (!list.some((x) => x.instrumentId === w.instrumentId)) list.push(w);
      next.set(symbol, list);
    }
    const added = [...next.keys()].filter((s) => !this.watched.has(s));
    this.watched = next;
    if (unknown.length) this.alert('warning', `sim market data has no prices for ${unknown.join(', ')}: not watched`, 'instrument_unavailable');
    if (!this.offPrices) void this.connect().catch((err: unknown) => this.alert('error', `sim market data: ${errorMessage(err)}`));
    else this.publish(added);
  }

  on<K extends keyof MarketDataEvents>(event: K, listener: (e: MarketDataEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  private publish(symbols: readonly string[]): void {
    if (this.status !== 'connected') return;
    const due = symbols.filter((s) => this.watched.has(s));
    if (!due.length) return;
    queueMicrotask(() => {
      if (this.status !== 'connected') return;
      const at = this.exchange.clock.now();
      for (const symbol of due) {
        const price = this.exchange.lastPrice(symbol);
        for (const w of this.watched.get(symbol) ?? []) this.events.emit('quote', { instrumentId: w.instrumentId, symbol: w.symbol, price, at });
      }
    });
  }

  private setStatus(status: ConnectionStatus, reason?: string, reconnected = false): void {
    this.status = status;
    this.reason = reason;
    this.events.emit('status', { status, ...(reason !== undefined ? { reason } : {}), ...(reconnected ? { reconnected } : {}) });
  }

  private alert(severity: AlertInput['severity'], message: string, code: AlertInput['code'] = 'broker_notice'): void {
    this.events.emit('alert', { severity, code, message, accountId: this.accountId });
  }
}
