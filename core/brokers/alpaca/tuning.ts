// Alpaca adapter settings: timers and cache lifetimes (tests shorten them) and the broker's capabilities.
import type { BrokerCapabilities } from '../../ports/broker-adapter.js';
import { DEFAULT_STREAM_TUNING, type StreamTuning } from './stream.js';

export interface AlpacaTuning extends StreamTuning {
  readonly requestTimeoutMs: number;
  /** Periodic REST catch-up (fallback for silent streams); 0 disables. */
  readonly pollMs: number;
  readonly assetTtlMs: number;
  readonly accountTtlMs: number;
  /** Period of the timer that keeps account facts and the market clock fresh off the copy path. */
  readonly keepMs: number;
}

export const DEFAULT_ALPACA_TUNING: AlpacaTuning = {
  ...DEFAULT_STREAM_TUNING,
  requestTimeoutMs: 10_000,
  pollMs: 30_000,
  assetTtlMs: 10 * 60_000,
  accountTtlMs: 15_000,
  keepMs: 5_000,
};

export const ALPACA_CAPABILITIES: BrokerCapabilities = {
  fractionalQty: true,
  shortSelling: true,
  extendedHours: true,
  brackets: false,
  reversalInOneOrder: false,
  cancelAll: true,
  closeAll: true,
  maxClientIdLength: 48,
  rateLimit: { requests: 200, windowMs: 60_000 },
};
