// Resuming after a halt or a pause (issue 9 item 13): a dry preview of the orders that bring each follower in line
// now; 'align' sends them at once; 'new_only' leaves the follower as it is until the leader trades the symbol again.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../core/domain/ids.js';
import { createWorld } from './harness.js';

const F1 = accountId('F1');
const F2 = accountId('F2');

describe('resume after a halt', () => {
  it('issue 9 #13: halt, the leader trades meanwhile, resume "align": the preview shows the orders, the follower is in line at once', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.trade('ES', 'buy', 1);
    await w.settleFully();
    await w.engine.halt({ scope: 'global', cancelOpenOrders: false, flattenPositions: false, actor: 'alice' });
    w.trade('ES', 'buy', 3);
    await w.settleFully();
    expect(w.pos('F1', 'ES')).toBe('1');

    const preview = await w.engine.resumePreview('global');
    expect(preview.items).toEqual([{ linkId: 'L->F1', followerAccountId: F1, symbol: 'ES', position: '1', target: '4', orders: [{ side: 'buy', qty: '3' }] }]);
    await w.settleFully();
    expect(w.ordersOf('F1'), 'a preview sends nothing').toHaveLength(1);

    await w.engine.resume('global', 'alice', 'align');
    await w.settleFully();
    expect(w.pos('F1', 'ES')).toBe('4');
    expect(w.intents.at(-1)).toMatchObject({ purpose: 'repair', qty: expect.anything(), status: 'filled' });
    expect(await w.engine.resumePreview('global')).toMatchObject({ items: [] });
  });

  it('issue 9 #13: resume "new_only": the follower is not touched (even under a repair policy) until the next leader trade', async () => {
    const w = await createWorld({
      links: [
        { follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' },
        { follower: 'F2', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' },
      ],
    });
    await w.engine.halt({ scope: F1, cancelOpenOrders: false, flattenPositions: false, actor: 'alice' });
    w.trade('ES', 'buy', 3);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '3']);

    await w.engine.resume(F1, 'alice', 'new_only');
    await w.settleFully();
    await w.clock.advanceAsync(90_000);
    await w.settleFully();
    expect(w.pos('F1', 'ES'), 'left alone by the resume and by periodic reconciliation').toBe('0');
    expect(w.ordersOf('F1')).toHaveLength(0);
    expect(w.engine.snapshot().effectiveStates[F1]).toBe('active');

    w.trade('ES', 'buy', 1);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')], 'the next leader trade is copied by the normal rule').toEqual(['4', '4']);
  });

  it('a resume preview names the followers of its scope only and sends nothing', async () => {
    const w = await createWorld({
      links: [
        { follower: 'F1', sizing: { mode: 'multiplier', value: 1 } },
        { follower: 'F2', sizing: { mode: 'multiplier', value: 2 } },
      ],
    });
    w.engine.setTradingState('global', 'paused', 'alice');
    w.trade('ES', 'sell', 2);
    await w.settleFully();
    const preview = await w.engine.resumePreview(F2);
    expect(preview.items.map((i) => [i.followerAccountId, i.target, i.orders])).toEqual([[F2, '-4', [{ side: 'sell', qty: '4' }]]]);
    expect([w.ordersOf('F1'), w.ordersOf('F2')]).toEqual([[], []]);
  });
});
