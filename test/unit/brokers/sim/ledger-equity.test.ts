// Positions and money: average price, realised P&L on scale-outs and reversals, equity and day P&L.
import { describe, expect, it } from 'vitest';
import { SimLedger } from '../../../../core/brokers/sim/ledger.js';
import { DEFAULT_SIM_INSTRUMENTS } from '../../../../core/brokers/sim/instruments.js';
import { dec } from '../../../../core/domain/decimal.js';
import { flushMicrotasks } from '../../../support/test-clock.js';
import { world } from './sim-world.js';

const inst = (s: string) => DEFAULT_SIM_INSTRUMENTS.find((x) => x.instrument.symbol === s)!.instrument;

describe('SimLedger', () => {
  it('averages scale-ins and keeps the average on scale-outs, realising P&L times the multiplier', () => {
    const l = new SimLedger(dec(10_000));
    const mes = inst('MES');
    expect(l.applyFill(mes, dec(2), dec('6000')).toString()).toBe('2');
    expect(l.applyFill(mes, dec(1), dec('6003')).toString()).toBe('3');
    expect(l.position('MES')!.avgPrice.toString()).toBe('6001');
    expect(l.applyFill(mes, dec(-2), dec('6011')).toString()).toBe('1');
    expect(l.position('MES')!.avgPrice.toString()).toBe('6001');
    expect(l.cash.toString()).toBe('10100');
    expect(l.unrealised(mes, dec('5999')).toString()).toBe('-10');
  });

  it('reverses through zero: realises the closed part and opens the rest at the fill price', () => {
    const l = new SimLedger(dec(0));
    const es = inst('ES');
    l.applyFill(es, dec(2), dec('6000'));
    expect(l.applyFill(es, dec(-5), dec('5990')).toString()).toBe('-3');
    expect(l.cash.toString()).toBe('-1000');
    expect(l.position('ES')!.avgPrice.toString()).toBe('5990');
    expect(l.unrealised(es, dec('5980')).toString()).toBe('1500');
    l.applyFill(es, dec(3), dec('5980'));
    expect(l.position('ES')).toBeUndefined();
    expect(l.cash.toString()).toBe('500');
  });

  it('keeps fractional equity quantities exact', () => {
    const l = new SimLedger(dec(1000));
    const aapl = inst('AAPL');
    l.applyFill(aapl, dec('0.1'), dec('230.10'));
    l.applyFill(aapl, dec('0.2'), dec('230.40'));
    expect(l.position('AAPL')!.qty.toString()).toBe('0.3');
    expect(l.position('AAPL')!.avgPrice.toString()).toBe('230.3');
    l.applyFill(aapl, dec('-0.3'), dec('231.3'));
    expect(l.cash.toString()).toBe('1000.3');
  });
});

describe('SimExchange account snapshot', () => {
  it('equity = cash + unrealised * multiplier; day P&L against the starting cash', async () => {
    const { ex, req } = world();
    ex.setPrice('MES', '6000');
    ex.setPrice('AAPL', '200');
    ex.submit('A', req('buy', '2', 'MES'));
    ex.submit('A', req('sell', '10', 'AAPL'));
    await flushMicrotasks();
    ex.setPrice('MES', '6010');
    ex.setPrice('AAPL', '195.5');
    const snap = ex.account('A');
    expect(snap.cash!.toString()).toBe('100000');
    expect(snap.equity.toString()).toBe('100145');
    expect(snap.dayPnl.toString()).toBe('145');
    expect(snap.currency).toBe('USD');
    const pos = ex.positions('A').map((p) => [p.symbol, p.qty.toString(), p.avgPrice!.toString()]);
    expect(pos).toEqual([['AAPL', '-10', '200'], ['MES', '2', '6000']]);
  });
});
