// BrokerAdapter: the one interface every broker (sim, Alpaca, ProjectX) implements for leaders and followers.
import type { Alert, AlertInput } from '../domain/alert.js';
import type { ClientOrderId, BrokerOrderId, AccountId } from '../domain/ids.js';
import type { BrokerKind, Instrument } from '../domain/instrument.js';
import type { MarketData } from './market-data.js';
import type { AccountSnapshot, BrokerOrder, Execution, OrderRequest, Position } from '../domain/order.js';

export type ConnectionStatus = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface ConnectionHealth {
  readonly status: ConnectionStatus;
  /** Last time anything arrived from the broker (message, pong, heartbeat), ms since epoch. */
  readonly lastHeartbeatAt?: number;
  /** Last measured round trip (ping/pong or a cheap REST call), ms. */
  readonly roundTripMs?: number;
  readonly reason?: string;
}

export interface BrokerCapabilities {
  readonly fractionalQty: boolean;
  readonly shortSelling: boolean;
  readonly extendedHours: boolean;
  readonly brackets: boolean;
  /** False when one order may not cross zero (close and open must be separate orders). */
  readonly reversalInOneOrder: boolean;
  readonly cancelAll: boolean;
  readonly closeAll: boolean;
  readonly maxClientIdLength: number;
  /** Rate limit of one connection: requests per window. */
  readonly rateLimit: { readonly requests: number; readonly windowMs: number };
}

export interface StatusEvent extends ConnectionHealth {
  /** True when this 'connected' follows a loss of connection (the engine reconciles). */
  readonly reconnected?: boolean;
}

export interface BrokerEvents {
  status: StatusEvent;
  /** Fills on this account (leader side: the copy trigger). Adapters dedupe; the journal dedupes again. */
  execution: Execution;
  /** Any change of an order on this account; filledQty is cumulative so repeats are harmless. */
  order: BrokerOrder;
  position: Position;
  account: AccountSnapshot;
  /** Something a person should see (malformed frame, logout notice, rate limit, ...). */
  alert: AlertInput;
}

export type Unsubscribe = () => void;

/**
 * Asked by the adapter immediately before it writes an order to the wire (after any rate-budget wait, token refresh or
 * read it needed first). A returned reason means "do not send": the adapter then throws BrokerError('not_sent'), a
 * definite outcome, and nothing reaches the broker. This is how the kill switch stops orders already handed over.
 */
export type SendGate = () => string | undefined;

/** Regular trading hours of the market a symbol trades on, as a broker reports them (ms since epoch). */
export interface MarketSessionInfo {
  readonly open: boolean;
  readonly nextOpen?: number;
  readonly nextClose?: number;
}

export interface FlattenResult {
  readonly symbol: string;
  readonly ok: boolean;
  readonly error?: string;
}

export interface BrokerAdapter {
  readonly accountId: AccountId;
  readonly broker: BrokerKind;
  readonly capabilities: BrokerCapabilities;

  /** Connects REST auth and the stream; resolves when usable, rejects with a BrokerError (e.g. auth). */
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  health(): ConnectionHealth;
  on<K extends keyof BrokerEvents>(event: K, listener: (e: BrokerEvents[K]) => void): Unsubscribe;

  /** Resolves the tradable instrument for a symbol or futures root (active contract), cached by the adapter. */
  instrument(symbol: string): Promise<Instrument>;
  /**
   * Submits one order exactly as asked: adapters report, never decide (no cancels, resizes or replacements of their
   * own). Calls `gate` last before the wire. Throws BrokerError; an 'unknown' outcome means the order may exist.
   */
  submitOrder(req: OrderRequest, gate?: SendGate): Promise<BrokerOrder>;
  cancelOrder(id: BrokerOrderId): Promise<void>;
  findOrderByClientId(id: ClientOrderId): Promise<BrokerOrder | null>;
  openOrders(): Promise<BrokerOrder[]>;
  positions(): Promise<Position[]>;
  account(): Promise<AccountSnapshot>;
  /** Cancels every open order on the account (kill switch). */
  cancelAllOrders(): Promise<FlattenResult[]>;
  /** Closes one position at market (kill switch / flatten). */
  closePosition(symbol: string): Promise<FlattenResult>;
  /**
   * Regular-hours session of the symbol's market, for the links' outside-hours policy (wait / skip / extended-hours
   * limit). Absent = always open: the venue decides (futures on ProjectX). Cheap to call (the adapter caches); the
   * engine caches it again and refreshes in the background, never awaiting it per execution.
   */
  marketSession?(symbol: string): Promise<MarketSessionInfo>;
  /** The account's price stream (one per adapter, created on first call; may share a connection per login). */
  marketData?(): MarketData;
}

export type { Alert };
