// Daily loss limit and daily profit target: warning at warnAt, breach with the numbers, lock until the day's end.
import { describe, expect, it } from 'vitest';
import { A, bookWith, brief, ct, d, holdMes, tick } from './risk-fixtures.js';

describe('risk book: daily loss and profit target (issue 13)', () => {
  it('issue 13: daily loss warns at 80% then breaches with the numbers and locks until the trading day ends', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } });
    const t0 = ct(2026, 3, 4, 9);
    expect(book.evaluate(t0)).toEqual([]);
    holdMes(book, 2, '6000');
    // 2 x 5 x -70 = -700: not yet 80%.
    expect(tick(book, '5930', t0 + 1000)).toEqual([]);
    expect(book.state(A, t0 + 1000)).toBe('ok');
    // -810 <= -800: warning.
    const warn = tick(book, '5919', t0 + 2000);
    expect(brief(warn)).toEqual(['daily_loss:warning']);
    expect(warn[0]!.numbers).toMatchObject({ dayPnl: '-810', limit: '1000', warnAt: '0.8' });
    expect(warn[0]!.until).toBeUndefined();
    expect(book.state(A, t0 + 2000)).toBe('warning');
    // Reported once: a further move inside the warning band says nothing.
    expect(tick(book, '5918', t0 + 3000)).toEqual([]);
    const breach = tick(book, '5898.75', t0 + 4000);
    expect(brief(breach)).toEqual(['daily_loss:breached']);
    expect(breach[0]!.action).toBe('flatten_lock');
    expect(breach[0]!.message).toBe('day P&L -1,012.50 reached the daily loss limit 1,000.00');
    expect(breach[0]!.numbers).toMatchObject({ dayPnl: '-1012.5', limit: '1000', unrealized: '-1012.5', realized: '0', fees: '0' });
    const dayEnd = ct(2026, 3, 4, 17);
    expect(breach[0]!.until).toBe(dayEnd);
    expect(book.state(A, t0 + 4000)).toBe('locked');
    expect(book.view(A, t0 + 4000)!.locks).toEqual([
      { kind: 'daily_loss', reason: breach[0]!.message, at: t0 + 4000, until: dayEnd, mode: 'lock' },
    ]);
    // Recovering does not unlock.
    expect(tick(book, '6100', t0 + 5000)).toEqual([]);
    expect(book.state(A, t0 + 5000)).toBe('locked');
  });

  it('issue 13: a breach without a prior warning reports only the breach; action block gives a block lock', () => {
    const book = bookWith({ dailyLoss: { limit: '500', action: 'block' } });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    holdMes(book, -1, '6000');
    const ds = tick(book, '6120', t0 + 1000);
    expect(brief(ds)).toEqual(['daily_loss:breached']);
    expect(ds[0]!.numbers.dayPnl).toBe('-600');
    expect(book.state(A, t0 + 1000)).toBe('blocked');
  });

  it('issue 13: daily loss counts realized P&L, open P&L and fees (net)', () => {
    const book = bookWith({ dailyLoss: { limit: '100' }, warnAt: 0.5 });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    book.onFill(A, { instrumentId: 'X', time: t0, qty: d(-1), price: d(10), multiplier: d(1), realizedPnl: d(-30), fees: d('2.5') });
    expect(book.evaluate(t0 + 1)).toEqual([]);
    holdMes(book, 1, '6000');
    const ds = tick(book, '5996', t0 + 2);
    expect(brief(ds)).toEqual(['daily_loss:warning']);
    expect(ds[0]!.numbers).toMatchObject({ dayPnl: '-52.5', realized: '-30', unrealized: '-20', fees: '2.5' });
    expect(book.view(A, t0 + 2)).toMatchObject({ dayPnl: '-52.5', equity: '49947.5', startBalance: '50000', marked: true });
  });

  it('issue 13: profit target warns at 80% then breaches and locks (Tradesyncer semantics)', () => {
    const book = bookWith({ profitTarget: { target: '400' } });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    holdMes(book, 4, '6000');
    expect(tick(book, '6015', t0 + 1)).toEqual([]);
    const warn = tick(book, '6016', t0 + 2);
    expect(brief(warn)).toEqual(['profit_target:warning']);
    expect(warn[0]!.numbers).toMatchObject({ dayPnl: '320', target: '400' });
    const hit = tick(book, '6020', t0 + 3);
    expect(brief(hit)).toEqual(['profit_target:breached']);
    expect(hit[0]!.message).toBe('day P&L 400.00 reached the daily profit target 400.00');
    expect(hit[0]!.until).toBe(ct(2026, 3, 4, 17));
    expect(book.state(A, t0 + 3)).toBe('locked');
    expect(book.view(A, t0 + 3)!.guards).toEqual([
      { kind: 'profit_target', value: '400', limit: '400', distance: '0', unit: 'money', level: 'breached', action: 'flatten_lock' },
    ]);
  });

  it('issue 13: an alert-only breach reports but does not lock', () => {
    const book = bookWith({ dailyLoss: { limit: '100', action: 'alert' } });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    holdMes(book, 1, '6000');
    const ds = tick(book, '5970', t0 + 1);
    expect(brief(ds)).toEqual(['daily_loss:breached']);
    expect(ds[0]!.until).toBeUndefined();
    expect(book.state(A, t0 + 1)).toBe('warning');
  });
});
