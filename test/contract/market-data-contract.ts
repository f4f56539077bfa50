// The MarketData contract suite: what every price feed (sim, Alpaca data stream, ProjectX market hub) must do.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertInput } from '../../core/domain/alert.js';
import type { StatusEvent } from '../../core/ports/broker-adapter.js';
import type { MarketData, Quote, WatchedInstrument } from '../../core/ports/market-data.js';
import { waitFor, type WaitOptions } from './event-recorder.js';

export interface MarketDataHarness {
  /** The feed under test (from BrokerAdapter.marketData()); the suite watches, the harness tears down. */
  feed: MarketData;
  /** Two instruments the venue prices. */
  a: WatchedInstrument;
  b: WatchedInstrument;
  /** Moves the venue's price (a trade at that price) so subscribers are sent it. */
  setPrice(instrument: WatchedInstrument, price: string): void;
  /** Drops the feed's connection abruptly (server side). */
  dropConnection(): void;
  /** Distinct prices the venue accepts for `a` and `b` (aligned to their ticks). */
  prices: { a: readonly string[]; b: readonly string[] };
  teardown(): Promise<void>;
  /** Sends junk frames on the feed's connection (wire feeds; see MarketDataFeatures.frames). */
  malformedFrame?: () => void;
  timeoutMs?: number;
}

export interface MarketDataFeatures {
  /** The feed reads frames off a wire (malformed ones must be survived); the in-process sim has none. */
  readonly frames?: boolean;
}

class Recorder {
  readonly quotes: Quote[] = [];
  readonly statuses: StatusEvent[] = [];
  readonly alerts: AlertInput[] = [];
  constructor(feed: MarketData) {
    feed.on('quote', (q) => this.quotes.push(q));
    feed.on('status', (s) => this.statuses.push(s));
    feed.on('alert', (a) => this.alerts.push(a));
  }
}

export function describeMarketDataContract(name: string, make: () => Promise<MarketDataHarness>, features: MarketDataFeatures = {}): void {
  describe(`MarketData contract: ${name}`, () => {
    let h: MarketDataHarness;
    let rec: Recorder;
    let wait: WaitOptions;

    beforeEach(async () => {
      h = await make();
      rec = new Recorder(h.feed);
      wait = { timeoutMs: h.timeoutMs ?? 5_000 };
    });
    afterEach(async () => {
      await h.teardown();
    });

    /** Sets a price (again, each poll) until a quote at exactly that price arrives for the instrument. */
    const quoteAt = (w: WatchedInstrument, price: string): Promise<Quote> =>
      waitFor(`a ${w.instrumentId} quote at ${price}`, () => {
        const q = rec.quotes.find((x) => x.instrumentId === w.instrumentId && x.price.eq(price));
        if (!q) h.setPrice(w, price);
        return q;
      }, wait);

    it('issue 13 md#1: watch, then a price move arrives as a quote at the traded price', async () => {
      h.feed.watch([h.a]);
      await h.feed.connect();
      const q = await quoteAt(h.a, h.prices.a[0]!);
      expect(q.symbol).toBe(h.a.symbol);
      expect(q.at).toBeGreaterThan(0);
      expect(h.feed.health().status).toBe('connected');
    });

    it('issue 13 md#2: watch replaces the set: an instrument left out stops quoting, the kept one goes on', async () => {
      h.feed.watch([h.a, h.b]);
      await h.feed.connect();
      await quoteAt(h.a, h.prices.a[0]!);
      await quoteAt(h.b, h.prices.b[0]!);
      h.feed.watch([h.b]);
      const mark = rec.quotes.length;
      // Each poll moves a, then b: two b quotes after the last a quote mean a's unsubscribe has taken effect.
      await waitFor('b quoting after the re-watch', () => {
        h.setPrice(h.a, h.prices.a[1]!);
        h.setPrice(h.b, h.prices.b[1]!);
        const later = rec.quotes.slice(mark);
        const lastA = later.map((q) => q.instrumentId).lastIndexOf(h.a.instrumentId);
        return later.filter((q, i) => i > lastA && q.instrumentId === h.b.instrumentId).length >= 2;
      }, wait);
      const tail = rec.quotes.slice(rec.quotes.length - 2);
      expect(tail.every((q) => q.instrumentId === h.b.instrumentId)).toBe(true);
      const afterSettled = rec.quotes.length;
      h.setPrice(h.a, h.prices.a[2]!);
      await quoteAt(h.b, h.prices.b[0]!);
      expect(rec.quotes.slice(afterSettled).filter((q) => q.instrumentId === h.a.instrumentId)).toEqual([]);
    });

    it('issue 13 md#3: a dropped connection reconnects, resubscribes the watched set and quotes flow again', async () => {
      h.feed.watch([h.a, h.b]);
      await h.feed.connect();
      await quoteAt(h.a, h.prices.a[0]!);
      h.dropConnection();
      await waitFor('a reconnected status', () => rec.statuses.some((s) => s.status === 'connected' && s.reconnected), wait);
      await quoteAt(h.a, h.prices.a[1]!);
      await quoteAt(h.b, h.prices.b[1]!);
      expect(rec.statuses.some((s) => s.status === 'reconnecting')).toBe(true);
      expect(h.feed.health().status).toBe('connected');
    });

    if (features.frames) it('issue 13 md#4: a malformed frame raises an alert and the feed keeps going', async () => {
      expect(h.malformedFrame).toBeDefined();
      h.feed.watch([h.a]);
      await h.feed.connect();
      await quoteAt(h.a, h.prices.a[0]!);
      h.malformedFrame!();
      await waitFor('a malformed_message alert', () => rec.alerts.some((a) => a.code === 'malformed_message'), wait);
      await quoteAt(h.a, h.prices.a[1]!);
      expect(h.feed.health().status).toBe('connected');
    });
  });
}
