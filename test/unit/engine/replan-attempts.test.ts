// Re-plans number their attempts past every leg's source: a reversal's open leg re-planned on its own must not make the
// whole plan's next attempt collide with it (chaos seed 284: the journal refused the insert and the app exited).
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { followerClientId } from '../../../core/domain/client-id.js';
import { accountId, intentId, linkId } from '../../../core/domain/ids.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { createWorld, LEADER } from './harness.js';

const F1 = accountId('F1');

function intent(sourceId: string, attempt: number, status: CopyIntent['status']): CopyIntent {
  const cid = followerClientId(F1, sourceId, attempt);
  return {
    id: intentId(`000000001-${cid}`), linkId: linkId(`${LEADER}->${F1}`), leaderAccountId: LEADER, followerAccountId: F1,
    sourceId, attempt, clientOrderId: cid, leaderSymbol: 'ES', symbol: 'ES', side: 'buy', qty: Decimal.from(5),
    orderType: 'market', purpose: 'copy', dryRun: false, target: Decimal.from(3), status, filledQty: Decimal.ZERO,
    leaderReceivedAt: 1, createdAt: 1,
  };
}

describe('re-plan attempt numbers', () => {
  it('a re-plan of a reversal takes an attempt past its open leg\'s re-plans: no journal collision, the follower converges', async () => {
    const w = await createWorld({
      links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'alert' }],
      reversalInOneOrder: false,
      start: false,
      risk: { settle: { firstDelayMs: 10, maxDelayMs: 20, notFoundGraceMs: 30 } },
    });
    w.trade('ES', 'buy', 3);
    await w.followers.get(F1)!.submitOrder({ accountId: F1, clientOrderId: followerClientId(F1, 'by hand', 0), symbol: 'ES', side: 'sell', qty: Decimal.from(2), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await w.clock.advanceAsync(50);
    // A previous run left copy X unsettled (attempt 0), and X's open leg already re-planned once (attempt 1).
    w.journal.insertIntents([intent('X', 0, 'unknown'), intent('X/open', 1, 'not_placed')]);
    await w.engine.start();
    for (let i = 0; i < 10; i++) {
      await w.clock.advanceAsync(20);
      await w.settle();
    }
    await w.settleFully();
    expect(w.alerts.filter((a) => /journal/.test(a.message)).map((a) => a.message)).toEqual([]);
    expect(w.intents.filter((i) => i.sourceId === 'X' && i.attempt > 0).map((i) => `${i.side} ${i.qty} #${i.attempt}`)).toContain('buy 2 #2');
    expect(w.pos('F1', 'ES')).toBe('3');
  });
});
