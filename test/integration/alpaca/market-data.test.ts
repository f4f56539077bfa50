// Alpaca market data against the wire simulator's data stream: the MarketData contract, the IEX symbol limit, one
// connection per key (406), and the account's start-of-day equity (last_equity).
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/app/system-clock.js';
import { createAlpacaAdapter, type AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { parseAccount } from '../../../core/brokers/alpaca/parse.js';
import type { AlertInput } from '../../../core/domain/alert.js';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import type { AccountId } from '../../../core/domain/ids.js';
import type { Quote, WatchedInstrument } from '../../../core/ports/market-data.js';
import { describeMarketDataContract } from '../../contract/market-data-contract.js';
import { waitFor } from '../../contract/event-recorder.js';
import { seeded } from '../../sims/alpaca/book.js';
import { FAST_TUNING } from '../../sims/alpaca/harness.js';
import { AlpacaSim, type AlpacaSimOptions, type SimKeys } from '../../sims/alpaca/server.js';
import type { DataFeed } from '../../sims/alpaca/data-stream.js';

const eq = (symbol: string): WatchedInstrument => ({ symbol, instrumentId: symbol });

function adapterOn(sim: AlpacaSim, keys: SimKeys, id: string, feed: DataFeed = 'iex'): AlpacaAdapter {
  const account = accountConfigSchema.parse({
    id, label: id, broker: 'alpaca', environment: 'paper',
    endpoints: { rest: sim.restUrl, stream: sim.streamUrl, marketData: sim.dataUrl(feed) },
  });
  return createAlpacaAdapter({ account, credentials: keys, clock: new SystemClock(), random: seeded(11), tuning: FAST_TUNING });
}

describeMarketDataContract('alpaca (wire simulator data stream)', async () => {
  const sim = await new AlpacaSim({ seed: 5 }).start();
  const adapter = adapterOn(sim, sim.addAccount(), 'alpaca-md');
  return {
    feed: adapter.marketData(),
    a: eq('AAPL'),
    b: eq('MSFT'),
    prices: { a: ['231.15', '232.40', '229.05'], b: ['421.10', '422.30', '419.90'] },
    setPrice: (w, price) => sim.setPrice(w.symbol, price),
    dropConnection: () => sim.data.drop(150), // the key's slot stays taken a moment: early retries meet 406
    malformedFrame: () => sim.data.malformed(),
    teardown: async () => {
      await adapter.disconnect();
      await sim.stop();
    },
  };
}, { frames: true });

describe('alpaca market data limits', () => {
  let sim: AlpacaSim;
  const adapters: AlpacaAdapter[] = [];
  const start = async (opts: AlpacaSimOptions = {}) => (sim = await new AlpacaSim(opts).start());
  const recorded = (a: AlpacaAdapter) => {
    const log = { quotes: [] as Quote[], alerts: [] as AlertInput[] };
    a.marketData().on('quote', (q) => log.quotes.push(q));
    a.marketData().on('alert', (x) => log.alerts.push(x));
    adapters.push(a);
    return log;
  };
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.disconnect();
    await sim.stop();
  });

  it('issue 13 md#6: more than 30 symbols on IEX: the first 30 stream and an alert names the ones left out', async () => {
    await start();
    const keys = sim.addAccount();
    const a = adapterOn(sim, keys, 'alpaca-many');
    const log = recorded(a);
    const symbols = Array.from({ length: 32 }, (_, i) => `S${String(i).padStart(2, '0')}`);
    a.marketData().watch(symbols.map(eq));
    await a.marketData().connect();
    await waitFor('30 subscribed symbols', () => sim.data.subscribed(keys.keyId).length === 30, { timeoutMs: 5_000 });
    const leftOut = log.alerts.find((x) => /no prices for/.test(x.message));
    expect(leftOut?.message).toMatch(/S30, S31/);
    expect(sim.data.subscribed(keys.keyId)).not.toContain('S30');
  });

  it('issue 13 md#7: the server refuses more symbols (405): the alert names them and quotes for the rest go on', async () => {
    await start({ data: { iexSymbolLimit: 2 } });
    const keys = sim.addAccount();
    const a = adapterOn(sim, keys, 'alpaca-405');
    const log = recorded(a);
    a.marketData().watch([eq('AAPL'), eq('MSFT')]);
    await a.marketData().connect();
    await waitFor('two subscribed symbols', () => sim.data.subscribed(keys.keyId).length === 2, { timeoutMs: 5_000 });
    a.marketData().watch([eq('AAPL'), eq('MSFT'), eq('SPY')]);
    const alert = await waitFor('a 405 alert', () => log.alerts.find((x) => /405/.test(x.message)), { timeoutMs: 5_000 });
    expect(alert.message).toMatch(/SPY/);
    await waitFor('an AAPL quote', () => {
      sim.setPrice('AAPL', '233.30');
      return log.quotes.some((q) => q.symbol === 'AAPL' && q.price.eq('233.30'));
    }, { timeoutMs: 5_000 });
  });

  it('issue 13 md#8: a second connection with the same key gets 406: a clear alert and status, the first keeps streaming', async () => {
    await start();
    const keys = sim.addAccount();
    const first = adapterOn(sim, keys, 'alpaca-first');
    const second = adapterOn(sim, keys, 'alpaca-second');
    const one = recorded(first);
    const two = recorded(second);
    first.marketData().watch([eq('AAPL')]);
    await first.marketData().connect();
    second.marketData().watch([eq('AAPL')]);
    const alert = await waitFor('a 406 alert', () => two.alerts.find((x) => /406/.test(x.message)), { timeoutMs: 5_000 });
    expect(alert.message).toMatch(/one market data connection per API key/);
    expect(alert.severity).toBe('error');
    expect(second.marketData().health().status).not.toBe('connected');
    await waitFor('the first feed still quoting', () => {
      sim.setPrice('AAPL', '234.50');
      return one.quotes.some((q) => q.price.eq('234.50'));
    }, { timeoutMs: 5_000 });
    expect(two.quotes).toEqual([]);
  });

  it('issue 13 md#16: watch changes faster than the server answers still leave exactly the watched set subscribed', async () => {
    await start();
    const keys = sim.addAccount();
    const a = adapterOn(sim, keys, 'alpaca-race');
    recorded(a);
    a.marketData().watch([eq('AAPL'), eq('MSFT')]);
    await a.marketData().connect();
    await waitFor('two subscribed', () => sim.data.subscribed(keys.keyId).length === 2, { timeoutMs: 5_000 });
    a.marketData().watch([eq('AAPL'), eq('MSFT'), eq('SPY')]);
    a.marketData().watch([eq('AAPL')]);
    await waitFor('only AAPL subscribed', () => sim.data.subscribed(keys.keyId).join() === 'AAPL', { timeoutMs: 2_000 });
  });

  it('issue 13 md#9: wrong credentials end the feed with auth_failed and connect() rejects', async () => {
    await start();
    sim.addAccount();
    const a = adapterOn(sim, { keyId: 'PKWRONG', secretKey: 'nope', accountId: 'x' }, 'alpaca-bad');
    const log = recorded(a);
    a.marketData().watch([eq('AAPL')]);
    await expect(a.marketData().connect()).rejects.toMatchObject({ code: 'auth' });
    expect(log.alerts.some((x) => x.code === 'auth_failed')).toBe(true);
    expect(a.marketData().health().status).toBe('failed');
    expect(JSON.stringify(log.alerts)).not.toContain('nope');
  });
});

describe('alpaca market data faults', () => {
  it('issue 13 md#13: a stalled data stream (no pongs) is torn down and replaced; quotes flow on the new connection', async () => {
    const sim = await new AlpacaSim().start();
    const a = adapterOn(sim, sim.addAccount(), 'alpaca-stall');
    const quotes: Quote[] = [];
    const reconnected: boolean[] = [];
    a.marketData().on('quote', (q) => quotes.push(q));
    a.marketData().on('status', (s) => s.reconnected && reconnected.push(true));
    try {
      a.marketData().watch([eq('AAPL')]);
      await a.marketData().connect();
      sim.data.stall();
      await waitFor('a reconnect after the stall', () => reconnected.length > 0, { timeoutMs: 5_000 });
      await waitFor('a quote on the new connection', () => {
        sim.setPrice('AAPL', '236.60');
        return quotes.some((q) => q.price.eq('236.60'));
      }, { timeoutMs: 5_000 });
    } finally {
      await a.disconnect();
      await sim.stop();
    }
  });
});

describe('alpaca account start equity', () => {
  it("issue 13 pnl#1: the account's startEquity is last_equity (the broker's start of day)", () => {
    const a = parseAccount({ status: 'ACTIVE', equity: '100512.30', last_equity: '100000.00' }, 'acct' as AccountId);
    expect(a.startEquity?.toString()).toBe('100000');
    expect(a.dayPnl.toString()).toBe('512.3');
    expect(parseAccount({ status: 'ACTIVE', equity: '5' }, 'acct' as AccountId).startEquity).toBeUndefined();
  });

  it('issue 13 pnl#4: on the wire simulator, startEquity is the previous close while equity moves with the market', async () => {
    const sim = await new AlpacaSim().start();
    const keys = sim.addAccount({ cash: '50000' });
    const a = adapterOn(sim, keys, 'alpaca-equity');
    try {
      await a.connect();
      sim.setPrice('AAPL', '200');
      await sim.leaderTrade(keys.keyId, { symbol: 'AAPL', side: 'buy', qty: '10' });
      sim.setPrice('AAPL', '190');
      const snap = await a.account();
      expect(snap.startEquity?.toString()).toBe('50000');
      expect(snap.dayPnl.toString()).toBe('-100.1'); // bought at the 200.01 ask, marked at 190
      sim.closeDay();
      expect((await a.account()).startEquity?.toString()).toBe(snap.equity.toString());
    } finally {
      await a.disconnect();
      await sim.stop();
    }
  });
});
