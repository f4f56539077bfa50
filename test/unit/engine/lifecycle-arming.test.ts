// Per-link arming (issue 9 item 12): a link arms once its leader and follower were read; an unreachable follower, even
// one with an order from a previous run it cannot look up, never holds the others back, and arms when it returns.
import { describe, expect, it } from 'vitest';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { accountId, intentId, linkId } from '../../../core/domain/ids.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, LEADER, memoryJournal } from './harness.js';

const F1 = accountId('F1');
const links = [
  { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } },
  { follower: 'F2', sizing: { mode: 'multiplier' as const, value: 1 } },
];

function leftOpen(source: string, qty: number): CopyIntent {
  const cid = followerClientId(F1, source, 0);
  return {
    id: intentId(cid), linkId: linkId('L->F1'), leaderAccountId: LEADER, followerAccountId: F1, sourceId: source, attempt: 0,
    clientOrderId: cid, leaderSymbol: 'ES', symbol: 'ES', side: 'buy', qty: Decimal.from(qty), orderType: 'market', purpose: 'copy',
    dryRun: false, target: Decimal.from(qty), status: 'unknown', filledQty: Decimal.ZERO, leaderReceivedAt: 0, createdAt: 0,
  };
}

describe('per-link arming', () => {
  it('issue 9 #12: an unreachable follower with an unsettled order from the previous run holds no one back and arms on return', async () => {
    const clock = new TestClock();
    const journal = memoryJournal(clock);
    journal.insertIntents([leftOpen('exec-before-crash', 1)]);
    const w = await createWorld({ clock, journal, links, start: false });
    const f1 = w.followers.get(F1)!;
    const down = new BrokerError('network', 'F1 REST unreachable');
    const real = { positions: f1.positions.bind(f1), openOrders: f1.openOrders.bind(f1), find: f1.findOrderByClientId.bind(f1) };
    f1.positions = () => Promise.reject(down);
    f1.openOrders = () => Promise.reject(down);
    f1.findOrderByClientId = () => Promise.reject(down);

    void w.engine.start();
    await w.settle();
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')], 'F2 copies while F1 is unreachable').toEqual(['0', '2']);
    expect(w.engine.snapshot().armed).toBe(false);
    const alert = w.alerts.filter((a) => a.message.startsWith('copying not armed')).at(-1);
    expect(alert?.message).toContain('cannot read follower F1 (F1 REST unreachable)');
    expect(alert?.message).toContain('armed links keep copying');

    Object.assign(f1, { positions: real.positions, openOrders: real.openOrders, findOrderByClientId: real.find });
    await w.clock.advanceAsync(120_000);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    expect(journal.queries.getCopy(leftOpen('exec-before-crash', 1).id)!.copy.status).toBe('not_placed');
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')], 'F1 in line once it is back').toEqual(['2', '2']);
    w.trade('ES', 'buy', 1);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['3', '3']);
  });

  it('a link added to a follower with no adapter stays configured and arms when the adapter is set', async () => {
    const w = await createWorld({ links });
    const f1 = w.followers.get(F1)!;
    w.engine.setBroker(F1, undefined);
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '2']);
    expect(w.alerts.at(-1)?.message).toContain('follower F1 is not connected');
    w.engine.setBroker(F1, f1);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['2', '2']);
  });
});

describe('one engine stopped and started again', () => {
  it('restores open intents once: a restart of the same engine does not count an order in flight twice', async () => {
    const w = await createWorld({ links });
    w.exchange.injectUnknownOutcome('F1', { placed: false });
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.engine.snapshot().inFlight['F1']).toEqual({ ES: '2' });
    await w.engine.stop();
    await w.engine.start();
    await w.clock.advanceAsync(10_000);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    w.trade('ES', 'buy', 1);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['3', '3']);
  });
});
