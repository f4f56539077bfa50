// Follower positions keyed by the broker's instrument (futures: the contract id): a close goes to the contract held,
// new exposure to the active contract.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import { createWorld, LEADER } from './harness.js';

const F1 = accountId('F1');
const Z26 = 'SIM.F.US.MES.Z26';
const H27 = 'SIM.F.US.MES.H27';

describe('issue 9 account state: positions by contract', () => {
  it('issue 9 account state: after a roll the close goes to the contract held and new exposure to the active one', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' }] });
    w.trade('MES', 'buy', 2);
    await w.settle();
    expect(w.exchange.positions('F1').map((p) => `${p.instrumentId} ${p.qty}`)).toEqual([`${Z26} 2`]);
    w.exchange.rollContract('MES', H27);
    await w.engine.reconcileNow('roll');
    // The leader closes in the contract it holds too.
    w.exchange.submit('L', {
      accountId: LEADER, clientOrderId: clientOrderId('lead-close'), symbol: 'MES', instrumentId: Z26, side: 'sell', qty: Decimal.from(2),
      type: 'market', timeInForce: 'day', purpose: 'copy',
    });
    await w.settle();
    expect(w.followers.get(F1)!.requests.map((r) => `${r.side} ${r.qty} ${r.instrumentId ?? 'active'}`)).toEqual(['buy 2 active', `sell 2 ${Z26}`]);
    expect(w.exchange.positions('F1')).toEqual([]);
    w.trade('MES', 'buy', 1, 'lead-new');
    await w.settle();
    expect(w.exchange.positions('F1').map((p) => `${p.instrumentId} ${p.qty}`)).toEqual([`${H27} 1`]);
    const report = await w.engine.reconcileNow('after');
    expect(report.drifts).toEqual([]);
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({ MES: '1' });
  });
});
