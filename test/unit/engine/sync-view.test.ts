// The sync view (issue 12 item 6): per link and follower symbol, leader position, eligible part, target, follower
// position, our working orders and drift, with the exact repair; applying it goes through the normal order path.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import type { SyncRow } from '../../../core/engine/index.js';
import { createWorld, type World } from './harness.js';

const F1 = accountId('F1');
const F2 = accountId('F2');
const ES_CONTRACT = 'SIM.F.US.ES.';

/** A trade on the follower the engine did not place and never saw fill (a trader's hand, a lost event). */
function byHand(w: World, follower: string, symbol: string, side: 'buy' | 'sell', qty: number): void {
  w.exchange.submit(follower, {
    accountId: accountId(follower), clientOrderId: clientOrderId(`hand-${symbol}-${side}-${qty}`), symbol, side, qty: Decimal.from(qty),
    type: 'market', timeInForce: 'day', purpose: 'copy',
  });
}

const rowOf = async (w: World, symbol: string, follower = F1): Promise<SyncRow | undefined> =>
  (await w.engine.syncView(follower)).rows.find((r) => r.symbol === symbol);

describe('issue 12 #6: the sync view', () => {
  it('issue 12 #6: a fill the engine missed shows as drift with the exact repair; apply sends exactly it, audited, as a journaled repair', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 2 } }] });
    w.trade('ES', 'buy', 3);
    await w.settleFully();
    expect(await rowOf(w, 'ES')).toMatchObject({ leaderPosition: '3', eligible: '3', target: '6', position: '6', working: '0', drift: '0', orders: [] });

    byHand(w, 'F1', 'ES', 'sell', 2);
    await w.settleFully();
    await w.engine.reconcileNow('test');
    const row = await rowOf(w, 'ES');
    expect(row).toMatchObject({ linkId: 'L->F1', leaderSymbol: 'ES', leaderPosition: '3', eligible: '3', target: '6', position: '4', working: '0', drift: '2', canApply: true });
    expect(row!.orders).toEqual([{ side: 'buy', qty: '2', symbol: 'ES', instrument: expect.stringContaining(ES_CONTRACT) }]);
    expect(w.pos('F1', 'ES'), 'a view sends nothing (alert policy)').toBe('4');

    const result = await w.engine.syncApply({ items: [{ linkId: row!.linkId, symbol: 'ES', orders: row!.orders }] }, 'alice');
    await w.settleFully();
    expect(result.refused).toEqual([]);
    expect(result.sent.map((s) => [s.side, s.qty, s.symbol, s.instrument.startsWith(ES_CONTRACT)])).toEqual([['buy', '2', 'ES', true]]);
    expect(w.followers.get(F1)!.requests.at(-1)).toMatchObject({ side: 'buy', qty: Decimal.from(2), purpose: 'repair', clientOrderId: result.sent[0]!.clientOrderId });
    expect(w.pos('F1', 'ES')).toBe('6');
    expect(w.journal.queries.getCopy(w.intents.at(-1)!.id)!.copy).toMatchObject({ status: 'filled' });
    const audit = w.journal.queries.listAudit({ action: 'sync_apply' } as never, { limit: 5 } as never) as { items: { actor: string; details?: unknown }[] };
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actor: 'alice' });
    expect(JSON.stringify(audit.items[0]!.details)).toContain('"side":"buy","qty":"2"');
    expect(await rowOf(w, 'ES')).toMatchObject({ drift: '0', orders: [] });
  });

  it('issue 12 #6: our working order counts: no false drift while a copy is working', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.exchange.setLatency(1_000);
    w.trade('ES', 'buy', 2);
    await w.clock.advanceAsync(1_000);
    await w.settle();
    expect(w.exchange.openOrders('F1')).toHaveLength(1);
    const row = await rowOf(w, 'ES');
    expect(row).toMatchObject({ leaderPosition: '2', target: '2', position: '0', working: '2', drift: '0', orders: [], canApply: false });
    await w.clock.advanceAsync(1_000);
    await w.settleFully();
    expect(await rowOf(w, 'ES')).toMatchObject({ position: '2', working: '0', drift: '0' });
  });

  it('issue 12 #6: a denied symbol shows no drift and no repair: it is not ours', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, filters: { denySymbols: ['mes'] } }] });
    w.trade('MES', 'buy', 4);
    byHand(w, 'F1', 'MES', 'buy', 1);
    await w.settleFully();
    await w.engine.reconcileNow('test');
    const row = await rowOf(w, 'MES');
    expect(row).toMatchObject({ leaderPosition: '4', eligible: '0', position: '1', drift: '0', orders: [], canApply: false });
    expect(row!.note).toContain('not ours');
    const result = await w.engine.syncApply({ items: [{ linkId: 'L->F1', symbol: 'MES' }] }, 'alice');
    expect(result).toMatchObject({ sent: [], refused: [{ symbol: 'MES', reason: expect.stringContaining('not ours') }] });
    expect(w.pos('F1', 'MES')).toBe('1');
  });

  it("issue 12 #6: a follower-side exit shows target 0 (no repair back in)", async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, bracket: { stopLossTicks: 8 } }], follower: { capabilities: { brackets: true } } });
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(10)));
    await w.settleFully();
    expect(w.pos('F1', 'ES')).toBe('0');
    const row = await rowOf(w, 'ES');
    expect(row).toMatchObject({ leaderPosition: '2', eligible: '0', target: '0', position: '0', drift: '0', orders: [] });
    expect(row!.note).toContain("follower's own exit");
  });

  it('issue 12 #6: apply is refused while the follower is halted and the view says why; the other follower is repaired', async () => {
    const w = await createWorld({
      links: [
        { follower: 'F1', sizing: { mode: 'multiplier', value: 1 } },
        { follower: 'F2', sizing: { mode: 'multiplier', value: 1 } },
      ],
    });
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    byHand(w, 'F1', 'ES', 'sell', 1);
    byHand(w, 'F2', 'ES', 'sell', 1);
    await w.settleFully();
    await w.engine.halt({ scope: F1, cancelOpenOrders: false, flattenPositions: false, actor: 'bob' });
    await w.engine.reconcileNow('test');
    const view = await w.engine.syncView();
    expect(view.followers.find((f) => f.accountId === F1)).toMatchObject({ state: 'halted', blocked: expect.stringContaining('halted') });
    const r1 = view.rows.find((r) => r.followerAccountId === F1)!;
    expect(r1).toMatchObject({ drift: '1', canApply: false, orders: [{ side: 'buy', qty: '1' }] });
    expect(r1.note).toContain('follower halted');
    const sentBefore = w.followers.get(F1)!.requests.length;

    const refused = await w.engine.syncApply({ follower: F1 }, 'alice');
    expect(refused.sent).toEqual([]);
    expect(refused.refused).toEqual([{ linkId: 'L->F1', symbol: 'ES', reason: expect.stringContaining('halted') }]);
    await w.settleFully();
    expect(w.followers.get(F1)!.requests.length, 'nothing reached the halted follower').toBe(sentBefore);
    expect(w.pos('F1', 'ES')).toBe('1');

    const ok = await w.engine.syncApply({ follower: F2 }, 'alice');
    await w.settleFully();
    expect(ok.sent.map((s) => [s.followerAccountId, s.side, s.qty])).toEqual([[F2, 'buy', '1']]);
    expect(w.pos('F2', 'ES')).toBe('2');
  });

  it('issue 12 #6: a follower locked by its risk guard is flat, gets no repair, and the view says why', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.trade('ES', 'buy', 3);
    await w.settleFully();
    await w.engine.lockAccount(F1, 'done for the day', 'alice');
    await w.settleFully();
    const view = await w.engine.syncView(F1);
    expect(view.followers.find((f) => f.accountId === F1)).toMatchObject({ blocked: expect.stringContaining('locked by its risk guard') });
    expect(await rowOf(w, 'ES')).toMatchObject({ position: '0', target: '0', drift: '0', orders: [] });
  });

  it('issue 12 #6: apply refuses a repair that changed since it was shown', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 } }] });
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    byHand(w, 'F1', 'ES', 'sell', 1);
    await w.settleFully();
    await w.engine.reconcileNow('test');
    const shown = (await rowOf(w, 'ES'))!.orders;
    w.engine.setTradingState(F1, 'paused', 'bob');
    w.trade('ES', 'buy', 1);
    await w.settleFully();
    w.engine.setTradingState(F1, 'active', 'bob');
    const r = await w.engine.syncApply({ items: [{ linkId: 'L->F1', symbol: 'ES', orders: shown }] }, 'alice');
    expect(r).toMatchObject({ sent: [], refused: [{ reason: expect.stringContaining('changed since it was shown') }] });
    expect(w.pos('F1', 'ES')).toBe('1');
  });
});
