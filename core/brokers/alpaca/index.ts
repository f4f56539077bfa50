// Alpaca broker entry point: credential schema and the adapter factory the AppHost calls.
import { z } from 'zod';
import type { AccountConfig } from '../../domain/account-config.js';
import type { Clock } from '../../ports/clock.js';
import { AlpacaAdapter } from './adapter.js';
import { DEFAULT_ALPACA_TUNING, type AlpacaTuning } from './tuning.js';
import { ALPACA_URLS } from './client.js';
import { ALPACA_DATA_URL } from './market-data.js';

export const alpacaCredentialsSchema = z
  .object({ keyId: z.string().trim().min(1, 'keyId is required'), secretKey: z.string().trim().min(1, 'secretKey is required') });
export type AlpacaCredentialsInput = z.infer<typeof alpacaCredentialsSchema>;

export interface CreateAlpacaAdapterOptions {
  readonly account: AccountConfig;
  readonly credentials: { keyId: string; secretKey: string };
  readonly clock: Clock;
  readonly random?: () => number;
  readonly log?: (line: string) => void;
  /** Timeouts, ping/backoff intervals, poll period; tests shorten them. */
  readonly tuning?: Partial<AlpacaTuning>;
}

/** REST base, stream and market data URLs: the environment's defaults, overridden per account (how tests reach simulators). */
export function alpacaUrls(account: AccountConfig): { rest: string; stream: string; marketData: string } {
  const env = ALPACA_URLS[account.environment];
  return {
    rest: account.endpoints.rest ?? env.rest, stream: account.endpoints.stream ?? env.stream,
    marketData: account.endpoints.marketData ?? ALPACA_DATA_URL,
  };
}

export function createAlpacaAdapter(opts: CreateAlpacaAdapterOptions): AlpacaAdapter {
  const creds = alpacaCredentialsSchema.parse(opts.credentials);
  return new AlpacaAdapter(
    opts.account.id,
    alpacaUrls(opts.account),
    creds,
    opts.clock,
    opts.random ?? Math.random,
    { ...DEFAULT_ALPACA_TUNING, ...opts.tuning },
    opts.log,
  );
}

export { AlpacaAdapter } from './adapter.js';
export { ALPACA_CAPABILITIES, DEFAULT_ALPACA_TUNING, type AlpacaTuning } from './tuning.js';
export { outsideHoursAction, type MarketSession, type OutsideHoursAction, type OutsideHoursSetting } from './market-clock.js';
