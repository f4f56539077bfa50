// ProjectX market data against the wire simulator's market hub: the MarketData contract, sparse quotes, one hub
// connection per login opened only when watched, and the realized P&L and fees that trades carry.
import { afterEach, describe, expect, it } from 'vitest';
import { parseWith, tradeMoney, tradeSchema } from '../../../core/brokers/projectx/parse.js';
import type { AlertInput } from '../../../core/domain/alert.js';
import type { Execution } from '../../../core/domain/order.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import type { MarketData, Quote } from '../../../core/ports/market-data.js';
import { describeMarketDataContract } from '../../contract/market-data-contract.js';
import { waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES, makeAdapter, startSim } from './harness.js';

const ES = 'CON.F.US.EP.Z26';
const FOLLOWER = 30_000_001;
const wait = { timeoutMs: 5_000 };

describeMarketDataContract('projectx (wire simulator market hub)', async () => {
  const sim = await startSim();
  const adapter = makeAdapter(sim, LEADER);
  await adapter.connect();
  return {
    feed: adapter.marketData!(),
    a: { symbol: 'MES', instrumentId: MES },
    b: { symbol: 'ES', instrumentId: ES },
    prices: { a: ['6001.25', '6002.5', '5990'], b: ['6010.25', '6011.5', '6003'] },
    setPrice: (w, price) => sim.setPrice(w.instrumentId, price),
    dropConnection: () => sim.marketHub.drop(),
    malformedFrame: () => sim.marketHub.malformed(),
    teardown: async () => {
      await adapter.disconnect();
      await sim.close();
    },
  };
}, { frames: true });

describe('projectx market hub', () => {
  let sim: ProjectXSim;
  const adapters: BrokerAdapter[] = [];
  const feedOf = (a: BrokerAdapter) => {
    const feed = a.marketData!();
    const log = { quotes: [] as Quote[], alerts: [] as AlertInput[] };
    feed.on('quote', (q) => log.quotes.push(q));
    feed.on('alert', (x) => log.alerts.push(x));
    return { feed, log };
  };
  const connected = async (px: number) => {
    const a = makeAdapter(sim, px);
    adapters.push(a);
    await a.connect();
    return a;
  };
  afterEach(async () => {
    for (const a of adapters.splice(0)) await a.disconnect();
    await sim.close();
  });

  it('issue 13 md#10: sparse quotes merge (a missing field keeps its value): price is lastPrice, else the bid/ask midpoint', async () => {
    sim = await startSim();
    const { feed, log } = feedOf(await connected(LEADER));
    feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    await feed.connect();
    await waitFor('the subscription', () => sim.marketHub.subscribed().includes(MES), wait);
    sim.marketHub.rawQuote(MES, { symbol: 'F.US.MES', bestBid: 6000.25 });
    sim.marketHub.rawQuote(MES, { symbol: 'F.US.MES', bestAsk: 6000.75 });
    const mid = await waitFor('a midpoint quote', () => log.quotes.at(-1), wait);
    expect(mid.price.toString()).toBe('6000.5');
    expect(log.quotes).toHaveLength(1); // the bid alone could not price anything
    sim.marketHub.rawQuote(MES, { symbol: 'F.US.MES', lastPrice: 6001 });
    sim.marketHub.rawQuote(MES, { symbol: 'F.US.MES', bestBid: 6000.5, volume: 12 });
    await waitFor('three quotes', () => log.quotes.length === 3, wait);
    const last = log.quotes.at(-1)!;
    expect(last.price.toString()).toBe('6001');
    expect(last.bid?.toString()).toBe('6000.5');
    expect(last.ask?.toString()).toBe('6000.75');
  });

  it('issue 13 md#11: one market hub connection per login, opened only once something is watched, shared by its accounts', async () => {
    sim = await startSim();
    const leader = feedOf(await connected(LEADER));
    const follower = feedOf(await connected(FOLLOWER));
    expect(sim.marketHub.connects).toBe(0);
    leader.feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    follower.feed.watch([{ symbol: 'MES', instrumentId: MES }, { symbol: 'ES', instrumentId: ES }]);
    await Promise.all([leader.feed.connect(), follower.feed.connect()]);
    await waitFor('both contracts subscribed', () => sim.marketHub.subscribed().length === 2, wait);
    sim.setPrice(ES, '6020.25');
    sim.setPrice(MES, '6003.75');
    await waitFor('MES quotes on both accounts', () => [leader, follower].every((f) => f.log.quotes.some((q) => q.price.eq('6003.75'))), wait);
    expect(follower.log.quotes.some((q) => q.instrumentId === ES && q.price.eq('6020.25'))).toBe(true);
    expect(leader.log.quotes.some((q) => q.instrumentId === ES)).toBe(false);
    expect(sim.marketHub.connects).toBe(1);
    expect(sim.marketHub.connectionCount).toBe(1);
    follower.feed.watch([]);
    await waitFor('ES unsubscribed, MES kept for the leader', () => sim.marketHub.subscribed().join() === MES, wait);
    leader.feed.watch([]);
    await waitFor('the hub closed with nothing watched', () => sim.marketHub.connectionCount === 0, wait);
  });

  it('issue 13 md#14: a silent market hub (no pings) is rebuilt by the watchdog and resubscribed', async () => {
    sim = await startSim();
    const { feed, log } = feedOf(await connected(LEADER));
    const statuses: string[] = [];
    feed.on('status', (s) => statuses.push(`${s.status}${s.reconnected ? '+' : ''}`));
    feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    await feed.connect();
    sim.marketHub.stall();
    await waitFor('a reconnect after the stall', () => statuses.includes('connected+'), wait);
    await waitFor('a quote after the stall', () => {
      sim.setPrice(MES, '6007.25');
      return log.quotes.some((q) => q.price.eq('6007.25'));
    }, wait);
    expect(sim.marketHub.connects).toBe(2);
  });

  it('issue 13 md#15: after the token expired, the reconnect gets a fresh token (as the user hub does) and quotes resume', async () => {
    sim = await startSim();
    const { feed, log } = feedOf(await connected(LEADER));
    feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    await feed.connect();
    sim.expireTokens();
    sim.marketHub.drop();
    await waitFor('a quote with the new token', () => {
      sim.setPrice(MES, '6008.5');
      return log.quotes.some((q) => q.price.eq('6008.5'));
    }, { timeoutMs: 8_000 });
    expect(feed.health().status).toBe('connected');
  });

  it('issue 13 md#17: GatewayLogout on the market hub: an error alert, a pause of logoutBackoffMs, then reconnect and resubscribe', async () => {
    sim = await startSim();
    const { feed, log } = feedOf(await connected(LEADER));
    feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    await feed.connect();
    sim.marketHub.logout('Another session started');
    const alert = await waitFor('the logout alert', () => log.alerts.find((a) => /GatewayLogout/.test(a.message)), wait);
    expect(alert.severity).toBe('error');
    expect(alert.message).toMatch(/Another session started/);
    await waitFor('a quote after the pause', () => {
      sim.setPrice(MES, '6009.75');
      return log.quotes.some((q) => q.price.eq('6009.75'));
    }, wait);
    // Venue timestamps: the next connection came no sooner than FAST_TUNING.logoutBackoffMs (300) after the logout.
    expect(sim.marketHub.connectedAt[1]! - sim.marketHub.loggedOutAt[0]!).toBeGreaterThanOrEqual(300);
  });

  it('issue 13 md#12: a quote marks open positions: the day P&L includes the unrealized part at the hub price', async () => {
    sim = await startSim();
    const a = await connected(LEADER);
    const { feed, log } = feedOf(a);
    sim.trade(LEADER, MES, 'buy', 2); // at 6000
    await waitFor('the position', async () => (await a.positions()).length === 1, wait);
    feed.watch([{ symbol: 'MES', instrumentId: MES }]);
    await feed.connect();
    await waitFor('a quote at 6010', () => {
      if (!log.quotes.some((q) => q.price.eq('6010'))) sim.setPrice(MES, '6010');
      return log.quotes.some((q) => q.price.eq('6010'));
    }, wait);
    const snap = await a.account();
    // 10 points x 2 contracts x $5 a point, less the opening fill's fees (0.37 a contract).
    expect(snap.dayPnl.toString()).toBe('99.26');
  });
});

describe('projectx trade money', () => {
  it('issue 13 pnl#2: executions carry realizedPnl (closing half-turns only) and fees from the trade', async () => {
    const sim = await startSim();
    const a = makeAdapter(sim, LEADER);
    const execs: Execution[] = [];
    a.on('execution', (e) => execs.push(e));
    try {
      await a.connect();
      sim.trade(LEADER, MES, 'buy', 2);
      await waitFor('the opening fill', () => execs.length === 1, wait);
      sim.setPrice(MES, '6004.5');
      sim.trade(LEADER, MES, 'sell', 2);
      await waitFor('the closing fill', () => execs.length === 2, wait);
      expect(execs[0]!.realizedPnl).toBeUndefined();
      expect(execs[0]!.fees?.toString()).toBe('0.74');
      expect(execs[1]!.realizedPnl?.toString()).toBe('45'); // 4.5 points x 2 x $5
      expect(execs[1]!.fees?.toString()).toBe('0.74');
    } finally {
      await a.disconnect();
      await sim.close();
    }
  });

  it('issue 13 pnl#3: tradeMoney: null profitAndLoss (an opening fill) gives no realizedPnl; fees are kept', () => {
    const row = { id: 1, accountId: 2, contractId: MES, creationTimestamp: '2026-01-21T16:13:04.1423020+00:00', price: 6064.25, profitAndLoss: null, fees: 1.4, side: 0, size: 1, voided: false, orderId: 3 };
    const r = parseWith(tradeSchema, row);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(tradeMoney(r.value)).toEqual({ fees: r.value.fees });
    const closing = parseWith(tradeSchema, { ...row, profitAndLoss: -50.5 });
    expect(closing.ok && tradeMoney(closing.value).realizedPnl?.toString()).toBe('-50.5');
  });
});

export type { MarketData };
