// Filters and caps limit exposure-increasing copies only; exits always go.
import { describe, expect, it } from 'vitest';
import { createWorld, type LinkInput } from './harness.js';

const base = { sizing: { mode: 'multiplier' as const, value: 1 } };

async function world(extra: Omit<LinkInput, 'follower' | 'sizing'>) {
  return createWorld({ links: [{ follower: 'F1', ...base, ...extra }] });
}

describe('filters', () => {
  it('a deny list added mid-position stops the symbol on that follower (info alert); exits too: no longer the copier\'s position', async () => {
    const w = await world({});
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.engine.setLinks([{ ...w.links[0]!, filters: { ...w.links[0]!.filters, denySymbols: ['ES'] } }]);
    await w.settle();
    w.trade('ES', 'buy', 3);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    const filtered = w.alerts.filter((a) => a.code === 'filtered');
    expect(filtered).toHaveLength(1);
    expect(filtered[0]!.severity).toBe('info');
    w.trade('ES', 'sell', 5);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.ordersOf('F1')).toHaveLength(1);
  });

  it('allow list copies only listed symbols', async () => {
    const w = await world({ filters: { allowSymbols: ['MES'] } });
    w.trade('ES', 'buy', 1);
    w.trade('MES', 'buy', 1);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F1', 'MES')]).toEqual(['0', '1']);
  });

  it('rate-limits repeated filtered alerts per link and symbol', async () => {
    const w = await world({ filters: { denySymbols: ['ES'] } });
    for (let i = 0; i < 5; i++) w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.alerts.filter((a) => a.code === 'filtered')).toHaveLength(1);
    w.clock.advance(61_000);
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.alerts.filter((a) => a.code === 'filtered')).toHaveLength(2);
  });

  it('long_only closes on a leader reversal instead of going short', async () => {
    const w = await world({ filters: { direction: 'long_only' } });
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.trade('ES', 'sell', 5);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'buy', 4);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
  });

  it('short_only copies only short exposure', async () => {
    const w = await world({ filters: { direction: 'short_only' } });
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'sell', 3);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('-1');
  });

  it('minNotional is judged per leader execution: small ones add nothing, a large one adds only itself', async () => {
    const w = await world({ filters: { minNotional: 1000 } });
    w.trade('MSFT', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('0');
    w.trade('MSFT', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('0');
    w.trade('MSFT', 'buy', 3);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('3');
  });

  it('trading windows use the window time zone; exits outside the window still go', async () => {
    const w = await world({ filters: { tradingWindows: [{ start: '09:30', end: '16:00', timeZone: 'America/New_York', days: [1, 2, 3, 4, 5] }] } });
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    w.clock.advance(8 * 3600_000);
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('tag prefix copies only tagged leader orders', async () => {
    const w = await world({ filters: { tagPrefix: 'strat-a' } });
    w.trade('ES', 'buy', 1, 'strat-b-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'buy', 1, 'strat-a-1');
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
  });
});

describe('caps', () => {
  it('maxOrderQty clips the increase; the next execution tops up', async () => {
    const w = await world({ caps: { maxOrderQty: 3 } });
    w.trade('ES', 'buy', 5);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    expect(w.alertCodes()).toContain('cap_limited');
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('6');
    w.trade('ES', 'sell', 6);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('maxPositionQty clamps the target but never blocks an exit', async () => {
    const w = await world({ caps: { maxPositionQty: 2 } });
    w.trade('ES', 'buy', 5);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    w.trade('ES', 'sell', 4);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    w.trade('ES', 'sell', 4);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('-2');
  });

  it('maxPositionNotional clamps by price x multiplier', async () => {
    const w = await world({ caps: { maxPositionNotional: 1000 } });
    w.trade('MSFT', 'buy', 5);
    await w.settle();
    expect(w.pos('F1', 'MSFT')).toBe('2');
  });

  it('maxOpenPositions refuses a new symbol but lets existing ones trade', async () => {
    const w = await world({ caps: { maxOpenPositions: 1 } });
    w.trade('ES', 'buy', 1);
    await w.settle();
    w.trade('MSFT', 'buy', 1);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F1', 'MSFT')]).toEqual(['1', '0']);
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    w.trade('ES', 'sell', 2);
    w.trade('MSFT', 'buy', 1);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F1', 'MSFT')]).toEqual(['0', '2']);
  });
});
