// MarketData: a price stream for the instruments an account holds (Alpaca data stream, ProjectX market hub, sim).
import type { AlertInput } from '../domain/alert.js';
import type { Decimal } from '../domain/decimal.js';
import type { ConnectionHealth, StatusEvent, Unsubscribe } from './broker-adapter.js';

export interface WatchedInstrument {
  /** The symbol as the account trades it (Alpaca symbol, futures root or contract symbol). */
  readonly symbol: string;
  /** The broker's instrument id (futures: the contract id, e.g. CON.F.US.MES.Z26); equities: the symbol. */
  readonly instrumentId: string;
}

export interface Quote {
  readonly instrumentId: string;
  readonly symbol: string;
  /** The price positions are marked at: last trade, else the bid/ask midpoint. */
  readonly price: Decimal;
  readonly bid?: Decimal;
  readonly ask?: Decimal;
  /** The venue's timestamp (ms since epoch) when it carries one, else the time received. */
  readonly at: number;
}

export interface MarketDataEvents {
  quote: Quote;
  status: StatusEvent;
  alert: AlertInput;
}

export interface MarketData {
  /** Connects (lazily on the first watch is fine); resolves when usable, rejects with a BrokerError. */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  health(): ConnectionHealth;
  /**
   * The full set of instruments to stream; replaces the previous set (subscribes what is new, unsubscribes what is
   * gone) and is re-subscribed after every reconnect. Within the venue's symbol and connection limits (an alert says
   * which instruments were left out).
   */
  watch(instruments: readonly WatchedInstrument[]): void;
  on<K extends keyof MarketDataEvents>(event: K, listener: (e: MarketDataEvents[K]) => void): Unsubscribe;
}
