// Asset cache (the full GET /v2/assets list at connect, GET /v2/assets/{symbol} for the rest, TTL) and the Instrument the engine sizes with (fractionable, shortable, tradable).
import { Decimal } from '../../domain/decimal.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AlertInput } from '../../domain/alert.js';
import type { Instrument } from '../../domain/instrument.js';
import type { Clock } from '../../ports/clock.js';
import { isNotFound, type AlpacaRestClient } from './client.js';
import { parseAsset, type AlpacaAsset } from './parse.js';

const UNKNOWN_TTL_MS = 60_000;

export class AssetCache {
  private readonly entries = new Map<string, { at: number; value: Promise<AlpacaAsset> }>();
  /** Every asset from the last full list (GET /v2/assets): copies of any listed symbol need no read. */
  private readonly listed = new Map<string, AlpacaAsset>();
  private listedAt: number | undefined;
  private listing: Promise<void> | undefined;

  constructor(
    private readonly rest: AlpacaRestClient,
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly alert: (a: Omit<AlertInput, 'accountId'>) => void,
  ) {}

  /** Reads every active US equity once (at connect, then in the background when older than the TTL). */
  preload(): Promise<void> {
    this.listing ??= this.rest
      .get('/v2/assets', { query: { status: 'active', asset_class: 'us_equity' } })
      .then((r) => {
        if (!Array.isArray(r.body)) return;
        for (const raw of r.body) {
          try {
            const a = parseAsset(raw);
            this.listed.set(a.symbol, a);
          } catch {
            // one unreadable row does not spoil the list; that symbol is read on its own when used
          }
        }
        this.listedAt = this.clock.now();
      })
      .catch((err: unknown) => {
        this.alert({ severity: 'warning', code: 'broker_notice', message: `Alpaca asset list unavailable (${errorMessage(err)}); assets are read one by one` });
      })
      .finally(() => (this.listing = undefined));
    return this.listing;
  }

  /** The asset at once when get() would answer it from the full list (the copy path); undefined otherwise. */
  peek(symbol: string): AlpacaAsset | undefined {
    const hit = this.entries.get(symbol);
    return hit && this.clock.now() - hit.at < this.ttlMs ? undefined : this.fromList(symbol);
  }

  /** A listed symbol, refreshing the list in the background when it is older than the TTL. */
  private fromList(symbol: string): AlpacaAsset | undefined {
    const known = this.listed.get(symbol);
    if (known && this.listedAt !== undefined && this.clock.now() - this.listedAt >= this.ttlMs) void this.preload();
    return known;
  }

  /**
   * The asset, cached. A listed symbol is answered from memory (the list refreshes in the background). An unknown
   * symbol is a definite not_found, alerted once and remembered for a minute (so a reconcile loop does not repeat
   * the alert); other failures are not cached.
   */
  get(symbol: string): Promise<AlpacaAsset> {
    const hit = this.entries.get(symbol);
    if (hit && this.clock.now() - hit.at < this.ttlMs) return hit.value;
    const known = this.fromList(symbol);
    if (known) return Promise.resolve(known);
    const value = this.rest.get(`/v2/assets/${encodeURIComponent(symbol)}`).then(
      (r) => parseAsset(r.body),
      (err: unknown) => {
        if (!isNotFound(err)) {
          this.entries.delete(symbol);
          throw err;
        }
        this.entries.set(symbol, { at: this.clock.now() - this.ttlMs + UNKNOWN_TTL_MS, value });
        this.alert({ severity: 'error', code: 'instrument_unavailable', message: `Alpaca does not know the symbol ${symbol}` });
        throw new BrokerError('not_found', `unknown symbol ${symbol} on Alpaca`, { cause: err });
      },
    );
    value.catch(() => undefined);
    this.entries.set(symbol, { at: this.clock.now(), value });
    return value;
  }
}

/** US equity: whole-share lots, 9-digit fractional step when fractionable, one-cent tick. */
export function instrumentOf(a: AlpacaAsset): Instrument {
  return {
    symbol: a.symbol,
    assetClass: 'equity',
    lotSize: Decimal.ONE,
    ...(a.fractionable ? { fractionalStep: Decimal.fromUnits(1n) } : {}),
    fractionable: a.fractionable,
    tickSize: Decimal.from('0.01'),
    multiplier: Decimal.ONE,
    currency: 'USD',
    shortable: a.shortable && a.easyToBorrow,
    tradable: a.tradable,
  };
}
