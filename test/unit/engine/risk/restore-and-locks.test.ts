// Restart mid-lock from the persisted state, and a person's manual lock and unlock.
import { describe, expect, it } from 'vitest';
import { guardSettingsSchema } from '../../../../core/domain/guard-settings.js';
import { FUTURES_DAY } from '../../../../core/domain/trading-day.js';
import { RiskBook } from '../../../../core/engine/risk/risk-book.js';
import { A, B, bookWith, brief, ct, d, holdMes, tick } from './risk-fixtures.js';

const guards = guardSettingsSchema.parse({ dailyLoss: { limit: '1000' } });

describe('risk book: restore and manual locks (issue 13)', () => {
  it('issue 13: restored mid-lock the lock stays until its until and nothing warns again', () => {
    const before = bookWith({ dailyLoss: { limit: '1000' } });
    const t0 = ct(2026, 3, 4, 9);
    before.evaluate(t0);
    holdMes(before, 2, '6000');
    expect(brief(tick(before, '5919', t0 + 1))).toEqual(['daily_loss:warning']);
    expect(brief(tick(before, '5890', t0 + 2))).toEqual(['daily_loss:breached']);
    expect(before.takeDirty()).toEqual([A]);
    const saved = JSON.parse(JSON.stringify(before.persisted(A)));
    expect(saved).toMatchObject({ tradingDay: '2026-03-04', startBalance: '50000', levels: { daily_loss: 'breached' } });

    const after = new RiskBook();
    after.configure(A, guards, FUTURES_DAY);
    after.restore([saved]);
    after.onAccount(A, { equity: d('48900'), currency: 'USD' });
    holdMes(after, 2, '6000');
    const t1 = t0 + 3_600_000;
    expect(tick(after, '5880', t1)).toEqual([]);
    expect(after.state(A, t1)).toBe('locked');
    expect(after.view(A, t1)!.startBalance).toBe('50000');
    const until = ct(2026, 3, 4, 17);
    expect(after.view(A, t1)!.locks[0]).toMatchObject({ kind: 'daily_loss', until, mode: 'lock' });
    expect(after.evaluate(until - 1)).toEqual([]);
    expect(after.state(A, until - 1)).toBe('locked');
    after.evaluate(until);
    expect(after.state(A, until)).toBe('ok');
  });

  it('issue 13: restored state from an earlier trading day starts a new day (levels and realized cleared)', () => {
    const book = new RiskBook();
    book.configure(A, guards, FUTURES_DAY);
    book.restore([
      { accountId: A, tradingDay: '2026-03-03', startBalance: '50000', realized: '-900', fees: '4', levels: { daily_loss: 'warning' }, locks: [] },
    ]);
    book.onAccount(A, { equity: d('49096'), currency: 'USD' });
    const t = ct(2026, 3, 4, 9);
    expect(book.evaluate(t)).toEqual([]);
    expect(book.persisted(A)).toMatchObject({ tradingDay: '2026-03-04', realized: '0', fees: '0', levels: {}, startBalance: '49096' });
  });

  it('issue 13: a manual lock without until stays across the day reset until a person unlocks', () => {
    const book = bookWith({ dailyLoss: { limit: '1000' } });
    book.configure(B, undefined, FUTURES_DAY);
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    book.lock(A, { kind: 'manual', reason: 'stepping away', at: t0, mode: 'lock' });
    expect(book.takeDirty()).toContain(A);
    expect(book.state(A, t0)).toBe('locked');
    expect(book.state(B, t0)).toBe('ok');
    const nextDay = ct(2026, 3, 5, 10);
    book.evaluate(nextDay);
    expect(book.state(A, nextDay)).toBe('locked');
    expect(book.persisted(A)!.locks).toEqual([{ kind: 'manual', reason: 'stepping away', at: t0, mode: 'lock' }]);
    expect(book.takeDirty()).toEqual([A, B]);
    book.unlock(A);
    expect(book.state(A, nextDay)).toBe('ok');
    expect(book.takeDirty()).toEqual([A]);
  });

  it('issue 13: unlock by a person lifts a breach lock for the rest of the day without a new breach', () => {
    const book = bookWith({ dailyLoss: { limit: '100' } });
    const t0 = ct(2026, 3, 4, 9);
    book.evaluate(t0);
    holdMes(book, 1, '6000');
    expect(brief(tick(book, '5970', t0 + 1))).toEqual(['daily_loss:breached']);
    book.unlock(A);
    expect(tick(book, '5960', t0 + 2)).toEqual([]);
    expect(book.state(A, t0 + 2)).toBe('warning');
  });
});
