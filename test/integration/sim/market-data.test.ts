// The MarketData contract on the in-process sim: quotes from the sim exchange's prices, a dropped link resubscribes.
import { describe, expect, it } from 'vitest';
import { SimAdapter, SimExchange } from '../../../core/brokers/sim/index.js';
import { SIM_CONTRACT_MONTH } from '../../../core/brokers/sim/instruments.js';
import type { Quote } from '../../../core/ports/market-data.js';
import { describeMarketDataContract } from '../../contract/market-data-contract.js';
import { waitFor } from '../../contract/event-recorder.js';
import { TestClock } from '../../support/test-clock.js';

const MES = { symbol: 'MES', instrumentId: `SIM.F.US.MES.${SIM_CONTRACT_MONTH}` };
const AAPL = { symbol: 'AAPL', instrumentId: 'AAPL' };

function world() {
  const exchange = new SimExchange({ clock: new TestClock(), seed: 7 });
  exchange.addAccount('SIM-MD', { cash: 50_000 });
  const adapter = new SimAdapter(exchange, 'SIM-MD');
  return { exchange, adapter };
}

describeMarketDataContract('sim', async () => {
  const { exchange, adapter } = world();
  await adapter.connect();
  return {
    feed: adapter.marketData(),
    a: MES,
    b: AAPL,
    prices: { a: ['6001.25', '6002.50', '5990.00'], b: ['231.10', '232.20', '229.30'] },
    setPrice: (w, price) => exchange.setPrice(w.symbol, price),
    dropConnection: () => {
      exchange.disconnect('SIM-MD');
      queueMicrotask(() => exchange.reconnect('SIM-MD'));
    },
    teardown: () => adapter.disconnect(),
  };
});

describe('sim market data', () => {
  it('issue 13 md#5: a price walk step quotes every watched instrument, and an unknown instrument is named in an alert', async () => {
    const { exchange, adapter } = world();
    await adapter.connect();
    const feed = adapter.marketData();
    const quotes: Quote[] = [];
    const alerts: string[] = [];
    feed.on('quote', (q) => quotes.push(q));
    feed.on('alert', (a) => alerts.push(a.message));
    feed.watch([MES, AAPL, { symbol: 'NOPE', instrumentId: 'NOPE' }]);
    await waitFor('the first quotes on watch', () => quotes.length >= 2, { timeoutMs: 1_000 });
    expect(alerts.join('\n')).toMatch(/NOPE/);
    quotes.length = 0;
    exchange.step();
    await waitFor('a quote per watched instrument', () => quotes.length >= 2, { timeoutMs: 1_000 });
    expect(quotes.map((q) => q.instrumentId).sort()).toEqual(['AAPL', MES.instrumentId]);
    expect(quotes.find((q) => q.symbol === 'MES')!.price.eq(exchange.lastPrice('MES'))).toBe(true);
    await adapter.disconnect();
  });
});
