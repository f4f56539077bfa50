// Issue 13: a lock that survives a restart (real SQLite file), the leader guard pausing new exposure from its leader,
// and the per-link unfilled-copy guard (alert, or flatten that symbol on that follower).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { clientOrderId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { LEADER, type LinkInput } from './harness.js';
import { F1, movePrice, orderCount, riskWorld, settleRisk } from './risk-world.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mirror = { sizing: { mode: 'multiplier', value: '1' } } as const;
const links: LinkInput[] = [{ follower: 'F1', ...mirror }, { follower: 'F2', ...mirror }];
const lossLimit = { F1: { dailyLoss: { limit: '1000', action: 'flatten_lock' as const } } };

describe('risk guards: restart, leader guard, unfilled copies', () => {
  it('issue 13 #5: a lock survives a restart on the same journal file: still locked, nothing sent, day state restored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-risk-'));
    dirs.push(dir);
    const path = join(dir, 'journal.db');
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 7 });
    const w = await riskWorld({ clock, exchange, links, journal: openJournal(path, { now: () => clock.now() }), guards: lossLimit });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await movePrice(w, 'MES', '5890');
    expect(w.pos('F1', 'MES')).toBe('0');
    // Journaled when it happened, not at shutdown.
    expect(w.journal.riskStates().find((s) => s.accountId === F1)?.locks).toEqual([expect.objectContaining({ kind: 'daily_loss', mode: 'lock' })]);
    const realized = w.engine.riskStatus(F1).accounts[0]!.realized;
    await w.engine.stop();
    w.journal.close();

    const w2 = await riskWorld({ clock, exchange, links, journal: openJournal(path, { now: () => clock.now() }), guards: lossLimit });
    await settleRisk(w2);
    const view = w2.engine.riskStatus(F1).accounts[0]!;
    expect(view.state).toBe('locked');
    expect(view.realized).toEqual(realized);
    const sent = orderCount(w2, 'F1');
    w2.trade('MES', 'sell', 2, 'after-restart-1');
    w2.trade('MES', 'buy', 3, 'after-restart-2');
    await settleRisk(w2);
    await w2.engine.reconcileNow('after restart');
    await settleRisk(w2);
    expect(orderCount(w2, 'F1')).toBe(sent);
    expect(w2.pos('F2', 'MES')).toBe('3');
    await w2.engine.stop();
    w2.journal.close();
  });

  it('issue 13 #14: a follower still locked at start has what it holds closed (traded while the app was down)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-risk-'));
    dirs.push(dir);
    const path = join(dir, 'journal.db');
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 7 });
    const w = await riskWorld({ clock, exchange, links, journal: openJournal(path, { now: () => clock.now() }), guards: lossLimit });
    await w.engine.lockAccount(F1, 'done for today', 'trader');
    await settleRisk(w);
    await w.engine.stop();
    w.journal.close();
    exchange.submit('F1', { accountId: F1, clientOrderId: clientOrderId('by-hand-1'), symbol: 'MES', side: 'buy', qty: Decimal.from(1), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('1');
    const w2 = await riskWorld({ clock, exchange, links, journal: openJournal(path, { now: () => clock.now() }), guards: lossLimit });
    await settleRisk(w2);
    expect(w2.pos('F1', 'MES')).toBe('0');
    expect(w2.engine.riskStatus(F1).accounts[0]!.state).toBe('locked');
    await w2.engine.stop();
    w2.journal.close();
  });

  it('issue 13 #6: a guarded leader that breaches pauses copying new exposure from it; its followers\' exits are still copied', async () => {
    const w = await riskWorld({ links, guards: { [LEADER]: { dailyLoss: { limit: '500', action: 'block' } } } });
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    await movePrice(w, 'MES', '5940');
    expect(w.engine.riskStatus(LEADER).accounts[0]!.state).toBe('blocked');
    w.trade('MES', 'buy', 2);
    await settleRisk(w);
    expect([w.pos('F1', 'MES'), w.pos('F2', 'MES')]).toEqual(['2', '2']);
    const refused = w.journal.queries.listCopies({ status: 'not_placed' }).items;
    expect(refused.map((c) => c.followerAccountId).sort()).toEqual(['F1', 'F2']);
    expect(refused[0]!.error).toMatch(/copying new exposure from L is paused by its guard/);
    w.trade('MES', 'sell', 3);
    await settleRisk(w);
    expect([w.pos('F1', 'MES'), w.pos('F2', 'MES')]).toEqual(['1', '1']);
  });

  it('issue 13 #7: a copy not filled within afterSeconds of the leader fill: flatten that symbol on that follower, no repair back in', async () => {
    const w = await riskWorld({ links: [{ follower: 'F1', ...mirror, unfilledGuard: { afterSeconds: 5, action: 'flatten' }, reconcilePolicy: 'repair' }, { follower: 'F2', ...mirror }] });
    w.trade('MES', 'buy', 2);
    w.exchange.setLatency(60_000);
    await settleRisk(w);
    expect(w.exchange.openOrders('F1')).toHaveLength(1);
    await w.clock.advanceAsync(5_000);
    await settleRisk(w);
    expect(w.alerts.find((a) => a.code === 'copy_unfilled')?.message).toMatch(/not filled 5 s after the leader's fill/);
    expect(w.exchange.openOrders('F1')).toHaveLength(0);
    w.exchange.setLatency(0);
    await w.clock.advanceAsync(60_000);
    await settleRisk(w);
    expect(w.pos('F2', 'MES')).toBe('2');
    await w.engine.reconcileNow('after the unfilled guard');
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('0');
    expect(w.journal.risk.actions(F1).map((a) => `${a.kind}:${a.action}`)).toEqual(['unfilled_copy:flatten']);
  });

  it('issue 13 #13: an account removed from the workspace takes its risk day and lock with it (journal row deleted)', async () => {
    const w = await riskWorld({ links, guards: lossLimit });
    await w.engine.lockAccount(F1, 'test', 'trader');
    await settleRisk(w);
    expect(w.journal.riskStates().map((s) => s.accountId)).toContain(F1);
    w.engine.setAccounts([{ id: LEADER, broker: 'sim' }]);
    expect(w.journal.riskStates().map((s) => s.accountId)).not.toContain(F1);
    expect(w.engine.riskStatus().accounts.map((a) => a.accountId)).toEqual([LEADER]);
  });

  it('issue 13 #8: the unfilled-copy guard with action alert only alerts (and notifies); the copy stays', async () => {
    const w = await riskWorld({ links: [{ follower: 'F1', ...mirror, unfilledGuard: { afterSeconds: 5, action: 'alert' } }] });
    w.trade('MES', 'buy', 1);
    w.exchange.setLatency(30_000);
    await settleRisk(w);
    await w.clock.advanceAsync(6_000);
    await settleRisk(w);
    expect(w.notified.map((a) => a.code)).toEqual(['copy_unfilled']);
    expect(w.exchange.openOrders('F1')).toHaveLength(1);
    await w.clock.advanceAsync(30_000);
    await settleRisk(w);
    expect(w.pos('F1', 'MES')).toBe('1');
    expect(w.alerts.filter((a) => a.code === 'copy_unfilled')).toHaveLength(1);
  });
});
