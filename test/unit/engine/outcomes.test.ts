// Exactly once and unknown outcomes: duplicates, lookups that find or miss the order, impossible transitions, restarts.
import { describe, expect, it } from 'vitest';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, intentId, linkId, type ClientOrderId } from '../../../core/domain/ids.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { createWorld, LEADER, memoryJournal } from './harness.js';
import { TestClock } from '../../support/test-clock.js';

const F1 = accountId('F1');
const link = { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } };

describe('exactly once', () => {
  it('a leader execution delivered twice yields exactly one follower order', async () => {
    const clock = new TestClock();
    const w = await createWorld({ clock, journal: memoryJournal(clock), links: [link] });
    w.trade('ES', 'buy', 2);
    await w.settle();
    const [exec] = w.exchange.executions('L');
    w.leader.deliver('execution', exec!);
    w.leader.deliver('execution', exec!);
    await w.settle();
    expect(w.ordersOf('F1')).toHaveLength(1);
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.engine.snapshot().counters.duplicatesIgnored).toBe(2);
    expect(w.engine.snapshot().leaderPositions['L']).toEqual({ ES: '2' });
  });

  it('journals every intent with timestamps and latency before it is sent', async () => {
    const w = await createWorld({ links: [link] });
    w.trade('ES', 'buy', 1);
    await w.settle();
    const rows = w.journal.queries.listCopies().items;
    expect(rows).toHaveLength(1);
    const intent = rows[0];
    expect(intent).toMatchObject({ status: 'filled', purpose: 'copy', attempt: 0, sourceId: w.exchange.executions('L')[0]!.id });
    expect(intent!.clientOrderId).toBe(followerClientId(F1, intent!.sourceId, 0));
    for (const k of ['leaderReceivedAt', 'createdAt', 'sentAt', 'ackAt', 'filledAt', 'planLatencyMs'] as const) {
      expect(intent![k]).toBeTypeOf('number');
    }
    expect(w.journal.queries.getCopy(intent!.id)!.fills.map((f) => f.qty.toString())).toEqual(['1']);
  });
});

describe('unknown outcomes', () => {
  it('an order that was placed despite a timeout is found by lookup and never resent', async () => {
    const w = await createWorld({ links: [link] });
    w.exchange.injectUnknownOutcome('F1', { placed: true });
    w.trade('ES', 'buy', 2);
    await w.settle();
    await w.clock.advanceAsync(10_000);
    expect(w.alertCodes()).toContain('unknown_outcome');
    expect(w.ordersOf('F1')).toHaveLength(1);
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.intents.at(-1)!.status).toBe('filled');
    expect(w.engine.snapshot().counters.unknownOutcomes).toBe(1);
  });

  it('an order that was not placed settles as not_placed after the grace, then re-plans with attempt+1', async () => {
    const w = await createWorld({ links: [link] });
    w.exchange.injectUnknownOutcome('F1', { placed: false });
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.ordersOf('F1')).toHaveLength(0);
    expect(w.engine.snapshot().inFlight['F1']).toEqual({ ES: '2' });
    await w.clock.advanceAsync(1_000);
    expect(w.ordersOf('F1')).toHaveLength(0);
    await w.clock.advanceAsync(5_000);
    await w.settle();
    const orders = w.ordersOf('F1');
    expect(orders).toHaveLength(1);
    const first = w.intents[0]!;
    expect(orders[0]!.clientOrderId).toBe(followerClientId(F1, first.sourceId, 1));
    expect(w.pos('F1', 'ES')).toBe('2');
    expect(w.intents.filter((i) => i.id === first.id).at(-1)!.status).toBe('not_placed');
  });

  it('a not_placed order is not re-sent when the leader has meanwhile gone flat', async () => {
    const w = await createWorld({ links: [link] });
    w.exchange.injectUnknownOutcome('F1', { placed: false });
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.trade('ES', 'sell', 2);
    await w.settle();
    await w.clock.advanceAsync(10_000);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(w.engine.snapshot().inFlight['F1']).toEqual({});
  });

  it('an impossible transition alerts and keeps the state, but broker fills still count', async () => {
    const w = await createWorld({ links: [link] });
    w.exchange.injectRejects('F1', 1, 'no margin');
    w.trade('ES', 'buy', 2);
    await w.settle();
    const rejected = w.intents.at(-1)!;
    expect(rejected.status).toBe('rejected');
    w.followers.get(F1)!.deliver('order', {
      accountId: F1,
      brokerOrderId: 'x-1' as never,
      clientOrderId: rejected.clientOrderId as ClientOrderId,
      symbol: 'ES',
      side: 'buy',
      qty: Decimal.from(2),
      filledQty: Decimal.from(2),
      avgFillPrice: Decimal.from(6000),
      type: 'market',
      status: 'filled',
      updatedAt: w.clock.now(),
    });
    await w.settle();
    expect(w.alertCodes()).toContain('impossible_transition');
    expect(w.intents.at(-1)!.status).toBe('rejected');
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({ ES: '2' });
  });
});

describe('restart', () => {
  function openIntent(source: string, qty: number): CopyIntent {
    const cid = followerClientId(F1, source, 0);
    return {
      id: intentId(cid), linkId: linkId('L->F1'), leaderAccountId: LEADER, followerAccountId: F1, sourceId: source, attempt: 0,
      clientOrderId: cid, leaderSymbol: 'ES', symbol: 'ES', side: 'buy', qty: Decimal.from(qty), orderType: 'market', purpose: 'copy',
      dryRun: false, target: Decimal.from(qty), status: 'planned', filledQty: Decimal.ZERO, leaderReceivedAt: 0, createdAt: 0,
    };
  }

  it('settles intents left open by a crash before arming: found is applied, missing becomes not_placed, none resent', async () => {
    const clock = new TestClock();
    const journal = memoryJournal(clock);
    const placed = openIntent('exec-placed', 1);
    const lost = openIntent('exec-lost', 2);
    journal.insertIntents([placed, lost]);
    const w = await createWorld({ clock, journal, links: [{ ...link, reconcilePolicy: 'repair' }], start: false });
    w.trade('ES', 'buy', 1);
    await w.settle();
    w.exchange.submit('F1', {
      accountId: F1, clientOrderId: placed.clientOrderId, symbol: 'ES', side: 'buy', qty: Decimal.from(1), type: 'market', timeInForce: 'day', purpose: 'copy',
    });
    await w.settle();
    const started = w.engine.start();
    await w.settle();
    expect(w.engine.snapshot().armed).toBe(false);
    await w.clock.advanceAsync(10_000);
    await started;
    await w.settle();
    expect(w.engine.snapshot().armed).toBe(true);
    expect(journal.queries.getCopy(placed.id)!.copy.status).toBe('filled');
    expect(journal.queries.getCopy(lost.id)!.copy.status).toBe('not_placed');
    expect(w.ordersOf('F1').map((o) => o.clientOrderId)).toEqual([placed.clientOrderId]);
    expect(w.pos('F1', 'ES')).toBe('1');
  });

  it('stop() during start() ends the start without arming', async () => {
    const clock = new TestClock();
    const journal = memoryJournal(clock);
    journal.insertIntents([openIntent('exec-pending', 1)]);
    const w = await createWorld({ clock, journal, links: [link], start: false });
    const started = w.engine.start();
    await w.settle();
    await w.engine.stop();
    await started;
    expect(w.engine.snapshot()).toMatchObject({ armed: false, running: false });
    expect(clock.pendingTimers()).toBe(0);
  });

  it('executions that arrive before the first reconcile are journaled and planned after arming', async () => {
    const w = await createWorld({ links: [link], start: false });
    const started = w.engine.start();
    w.trade('ES', 'buy', 3);
    await started;
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('3');
    expect(w.ordersOf('F1')).toHaveLength(1);
  });
});
