// Issue 10, ProjectX items 2 and 7: re-emitted trades recognised against the account state (the REST position
// snapshot already holds them), and the day's P&L from fills, fees and open positions.
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { tradingDayStart } from '../../../core/brokers/projectx/day-pnl.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES, makeAdapter, startSim } from './harness.js';

const wait = { timeoutMs: 8_000 };
const TWO_DAYS = 2 * 86_400_000;
let sim: ProjectXSim;
let adapters: BrokerAdapter[] = [];

afterEach(async () => {
  for (const a of adapters) await a.disconnect();
  adapters = [];
  await sim.close();
});

async function connectLeader() {
  const adapter = makeAdapter(sim, LEADER);
  adapters.push(adapter);
  const rec = new EventRecorder(adapter);
  await adapter.connect();
  return { adapter, rec };
}

const fills = (rec: EventRecorder) => rec.log.execution.map((e) => `${e.side}${e.qty.toString()}->${e.positionAfter?.toString()}`);

describe('issue 10 ProjectX #2: re-emitted and replayed trades', () => {
  it('issue 10 ProjectX #2: the opening trade re-emitted at close of an overnight position is not copied as a new buy', async () => {
    sim = await startSim();
    sim.exchange.clockOffsetMs = -TWO_DAYS;
    sim.trade(LEADER, MES, 'buy', 3);
    sim.exchange.clockOffsetMs = 0;
    const { rec } = await connectLeader();
    sim.trade(LEADER, MES, 'sell', 3);
    await waitFor('the flat position event', () => rec.log.position.at(-1)?.qty.isZero(), wait);
    sim.trade(LEADER, MES, 'buy', 1);
    await waitFor('the next buy', () => rec.log.execution.some((e) => e.side === 'buy'), wait);
    expect(sim.exchange.reemitOnClose).toBe(true);
    expect(fills(rec)).toEqual(['sell3->0', 'buy1->1']);
  });

  it('issue 10 ProjectX #2: a re-emission under a new trade id is recognised: its order was filled before the snapshot', async () => {
    sim = await startSim();
    sim.exchange.reemitAsNewRecord = true;
    sim.exchange.clockOffsetMs = -TWO_DAYS;
    sim.trade(LEADER, MES, 'sell', 2);
    sim.exchange.clockOffsetMs = 0;
    const { rec } = await connectLeader();
    sim.trade(LEADER, MES, 'buy', 2);
    await waitFor('the flat position event', () => rec.log.position.at(-1)?.qty.isZero(), wait);
    sim.trade(LEADER, MES, 'sell', 1);
    await waitFor('the next sell', () => rec.log.execution.filter((e) => e.side === 'sell').length > 0 && rec.log.position.at(-1)?.qty.eq(-1), wait);
    expect(fills(rec)).toEqual(['buy2->0', 'sell1->-1']);
  });

  it('issue 10 ProjectX #2: after a restart a re-emitted opening trade does not raise the feed net position', async () => {
    sim = await startSim();
    sim.exchange.clockOffsetMs = -TWO_DAYS;
    sim.trade(LEADER, MES, 'buy', 3);
    sim.exchange.clockOffsetMs = 0;
    const first = await connectLeader();
    await first.adapter.disconnect();
    const { rec } = await connectLeader();
    sim.trade(LEADER, MES, 'buy', 1);
    sim.trade(LEADER, MES, 'sell', 4);
    await waitFor('the flat position event', () => rec.log.position.at(-1)?.qty.isZero(), wait);
    sim.trade(LEADER, MES, 'sell', 2);
    await waitFor('the short', () => rec.log.execution.length >= 3 && rec.log.position.at(-1)?.qty.eq(-2), wait);
    expect(fills(rec)).toEqual(['buy1->4', 'sell4->0', 'sell2->-2']);
  });
});

describe('issue 10 ProjectX #7: day P&L', () => {
  it('issue 10 ProjectX #7: day P&L is realized P&L minus fees plus the open position at the last traded price', async () => {
    sim = await startSim();
    sim.trade(LEADER, MES, 'buy', 2);
    const { adapter, rec } = await connectLeader();
    sim.exchange.setPrice(MES, '6010');
    sim.trade(LEADER, MES, 'sell', 1);
    await waitFor('the partial close', () => rec.log.position.at(-1)?.qty.eq(1), wait);
    // realized (6010 - 6000) x 1 x $5 = 50, fees 3 x 0.37 = 1.11, open 1 at 6010 vs 6000 = +50
    expect((await adapter.account()).dayPnl.toString()).toBe('98.89');
    await waitFor('an account event with the day P&L', () => rec.log.account.at(-1)?.dayPnl.eq('98.89'), wait);
  });

  it('issue 10 ProjectX #7: the trading day starts at 17:00 Chicago time (CDT and CST)', () => {
    expect(new Date(tradingDayStart(Date.UTC(2026, 6, 1, 23, 0))).toISOString()).toBe('2026-07-01T22:00:00.000Z');
    expect(new Date(tradingDayStart(Date.UTC(2026, 6, 1, 21, 59))).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(new Date(tradingDayStart(Date.UTC(2026, 11, 2, 12, 0))).toISOString()).toBe('2026-12-01T23:00:00.000Z');
  });
});
