// A link added while the leader holds positions (issue 12 item 11): 'new_only' sends nothing until the leader trades
// again and then copies only the new qty; 'align' sends exactly the orders the preview showed.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import { createWorld, makeLink, type LinkInput, type World } from './harness.js';

const F2 = accountId('F2');
const F1_LINK: LinkInput = { follower: 'F1', sizing: { mode: 'multiplier', value: 1 } };

async function worldWithLaterLink(f2: Omit<LinkInput, 'follower'>): Promise<{ w: World; add: () => void; link: ReturnType<typeof makeLink> }> {
  const w = await createWorld({ links: [F1_LINK, { follower: 'F2', enabled: false, ...f2 }] });
  const link = makeLink({ follower: 'F2', ...f2 });
  return { w, link, add: () => w.engine.setLinks([makeLink(F1_LINK), link]) };
}

describe('issue 12 #11: how a new link starts', () => {
  it('issue 12 #11: new_only: nothing is sent (even under a repair policy) until the leader trades; then only the new qty', async () => {
    const { w, link, add } = await worldWithLaterLink({ sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' });
    w.trade('MES', 'buy', 10);
    await w.settleFully();
    w.exchange.submit('F2', { accountId: F2, clientOrderId: clientOrderId('hand-1'), symbol: 'AAPL', side: 'buy', qty: Decimal.from(5), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await w.settleFully();

    w.engine.startLink(link.id, 'new_only');
    add();
    await w.settleFully();
    await w.clock.advanceAsync(90_000);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    expect(w.followers.get(F2)!.requests, 'nothing sent: not the open MES, not closing the AAPL it holds').toEqual([]);
    expect([w.pos('F2', 'MES'), w.pos('F2', 'AAPL')]).toEqual(['0', '5']);

    w.trade('MES', 'buy', 1);
    await w.settleFully();
    expect(w.pos('F2', 'MES'), 'the scale-in is copied, not the position held before the link').toBe('1');
    w.trade('MES', 'sell', 11);
    await w.settleFully();
    expect(w.pos('F2', 'MES')).toBe('0');
    w.trade('MES', 'buy', 3);
    await w.settleFully();
    expect([w.pos('F1', 'MES'), w.pos('F2', 'MES')], 'the next episode is copied in full').toEqual(['3', '3']);
    expect(w.pos('F2', 'AAPL')).toBe('5');
  });

  it('issue 12 #11: align: the preview shows the orders and sends nothing; adding the link sends exactly them', async () => {
    const { w, link, add } = await worldWithLaterLink({ sizing: { mode: 'multiplier', value: 1 }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } }, copyUnmapped: false });
    w.trade('MES', 'buy', 20);
    await w.settleFully();

    const preview = await w.engine.previewLink(link);
    expect(preview.errors).toEqual([]);
    expect(preview.items).toEqual([{ linkId: link.id, followerAccountId: F2, symbol: 'ES', position: '0', target: '2', orders: [{ side: 'buy', qty: '2' }] }]);
    await w.settleFully();
    expect(w.followers.get(F2)!.requests, 'a preview sends nothing').toEqual([]);

    w.engine.startLink(link.id, 'align');
    add();
    await w.settleFully();
    expect(w.followers.get(F2)!.requests.map((r) => [r.side, r.qty.toString(), r.symbol, r.purpose])).toEqual([['buy', '2', 'ES', 'repair']]);
    expect(w.pos('F2', 'ES')).toBe('2');
    w.trade('MES', 'sell', 10);
    await w.settleFully();
    expect(w.pos('F2', 'ES')).toBe('1');
  });

  it('issue 12 #11: align sends only the orders the person confirmed: a symbol the leader traded after the preview is left alone', async () => {
    const { w, link, add } = await worldWithLaterLink({ sizing: { mode: 'multiplier', value: 1 } });
    w.trade('ES', 'buy', 2);
    w.trade('AAPL', 'buy', 10);
    await w.settleFully();
    const preview = await w.engine.previewLink(link);
    const confirmed = preview.items.flatMap((i) => i.orders.map((o) => ({ symbol: i.symbol, ...o })));
    expect([...confirmed].sort((a, b) => a.symbol.localeCompare(b.symbol))).toEqual([{ symbol: 'AAPL', side: 'buy', qty: '10' }, { symbol: 'ES', side: 'buy', qty: '2' }]);
    w.trade('ES', 'buy', 1);
    await w.settleFully();

    w.engine.startLink(link.id, 'align', confirmed);
    add();
    await w.settleFully();
    expect(w.followers.get(F2)!.requests.map((r) => [r.side, r.qty.toString(), r.symbol])).toEqual([['buy', '10', 'AAPL']]);
    expect(w.alerts.at(-1)?.message).toContain("F2 ES: not matched at start: the leader's position changed since the preview (now buy 3)");
    await w.clock.advanceAsync(90_000);
    await w.settleFully();
    expect(w.pos('F2', 'ES'), 'left alone by reconciliation').toBe('0');
    w.trade('ES', 'buy', 1);
    await w.settleFully();
    expect(w.pos('F2', 'ES'), 'the next leader trade brings it in line').toBe('4');
  });

  it('issue 12 #11: the preview of a link whose follower already holds part of the target plans only the rest', async () => {
    const { w, link } = await worldWithLaterLink({ sizing: { mode: 'multiplier', value: 2 } });
    w.trade('ES', 'buy', 3);
    await w.settleFully();
    w.exchange.submit('F2', { accountId: F2, clientOrderId: clientOrderId('hand-2'), symbol: 'ES', side: 'buy', qty: Decimal.from(4), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await w.settleFully();
    const preview = await w.engine.previewLink(link);
    expect(preview.items).toEqual([{ linkId: link.id, followerAccountId: F2, symbol: 'ES', position: '4', target: '6', orders: [{ side: 'buy', qty: '2' }] }]);
    expect(w.ordersOf('F2')).toHaveLength(1);
  });
});
