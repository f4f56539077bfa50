// What the engine journals (takeDirty) and when it must wake the book (nextWake) without a tick.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../../core/domain/ids.js';
import { A, bookWith, ct, holdMes, tick } from './risk-fixtures.js';

describe('risk book: dirty accounts and wake times (issue 13)', () => {
  it('issue 13: nextWake after evaluate is in the future, also for an account first seen through a manual lock', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } });
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    const C = accountId('F3');
    book.lock(C, { kind: 'manual', reason: 'hold', at: t, mode: 'block' });
    book.evaluate(t + 1);
    expect(book.nextWake(t + 1)).toBe(ct(2026, 3, 4, 17));
    expect(book.state(C, t + 1)).toBe('blocked');
  });

  it('issue 13: a tick that only raises the equity high is journaled only when a guard reads that high', () => {
    const plain = bookWith({ dailyLoss: { limit: '1000' } });
    const trailing = bookWith({ trailingDrawdown: { amount: '1000', mode: 'intraday' } });
    const t = ct(2026, 3, 4, 9);
    for (const book of [plain, trailing]) {
      book.evaluate(t);
      holdMes(book, 1, '6000');
      tick(book, '6001', t + 1);
      book.takeDirty();
      tick(book, '6005', t + 2);
    }
    expect(plain.takeDirty()).toEqual([]);
    expect(trailing.takeDirty()).toEqual([A]);
    expect(trailing.persisted(A)!.equityHigh).toBe('50025');
  });

  it('issue 13: evaluate with nothing changed reports nothing and marks nothing dirty', () => {
    const book = bookWith({ dailyLoss: { limit: '100' }, maxDrawdownPct: { percent: 5 } });
    const t = ct(2026, 3, 4, 9);
    book.evaluate(t);
    holdMes(book, 1, '6000');
    tick(book, '5970', t + 1);
    book.takeDirty();
    expect(book.evaluate(t + 2)).toEqual([]);
    expect(book.takeDirty()).toEqual([]);
  });
});
