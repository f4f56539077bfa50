// The kill switch against an order already handed to the adapter (issue 9 item 2): halted first, a bounded wait,
// the send gate re-checks the state right before the wire, then cancel, journaled flatten orders, a sweep, a report.
import { describe, expect, it } from 'vitest';
import { accountId } from '../../../core/domain/ids.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import type { SendGate } from '../../../core/ports/broker-adapter.js';
import { createWorld, TapAdapter, type World } from './harness.js';

const F1 = accountId('F1');
const links = [
  { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } },
  { follower: 'F2', sizing: { mode: 'multiplier' as const, value: 1 } },
];

/** F1's adapter waits (a REST read, the rate budget, a token refresh) before it asks the gate and posts. */
function slowBeforeWire(w: World): () => void {
  let release!: () => void;
  const wire = new Promise<void>((r) => (release = r));
  const f1 = w.followers.get(F1)!;
  const submit = f1.submitOrder.bind(f1);
  f1.submitOrder = async (req: OrderRequest, gate?: SendGate) => {
    await wire;
    return submit(req, gate);
  };
  return release;
}

describe('kill switch vs orders already handed to adapters', () => {
  it('issue 9 #2: halt(cancel+flatten) while a copy waits before the wire: it never reaches the venue, the report is complete, nothing fills after', async () => {
    const w = await createWorld({ links });
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['2', '2']);
    const release = slowBeforeWire(w);
    w.trade('ES', 'buy', 3);
    await w.settle();
    const held = w.intents.filter((i) => i.followerAccountId === F1 && i.qty.toString() === '3').at(-1)!;
    expect(held.sentAt, 'the copy was handed to the adapter').toBeDefined();

    const halting = w.engine.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: true, actor: 'test' });
    await w.settle();
    release();
    const report = await halting;
    await w.settleFully();

    expect(w.ordersOf('F1').map((o) => o.clientOrderId), 'the held copy reached the venue after the halt').not.toContain(held.clientOrderId);
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '0']);
    expect(report.ok).toBe(true);
    const f1 = report.followers.find((f) => f.accountId === F1)!;
    expect(f1.notSent).toEqual([held.clientOrderId]);
    expect(f1.unsettled).toEqual([]);
    expect(f1.flattened).toEqual([{ symbol: 'ES', ok: true }]);
    expect(w.journal.queries.getCopy(held.id)!.copy.status).toBe('not_placed');

    // Flatten orders are journaled with their purpose, listed and exported like copies.
    const flattens = w.journal.queries.listCopies({ purpose: 'flatten' }).items;
    expect(flattens.map((c) => [c.followerAccountId, c.side, c.qty.toString(), c.status]).sort()).toEqual([
      ['F1', 'sell', '2', 'filled'],
      ['F2', 'sell', '5', 'filled'],
    ]);
    expect(w.journal.queries.exportCopiesCsv({ purpose: 'flatten' }).split('\n').filter((l) => l.includes(',flatten,'))).toHaveLength(2);

    // Nothing lands later, and the stopped copy is not re-planned while halted.
    const orders = w.ordersOf('F1').length;
    await w.clock.advanceAsync(120_000);
    await w.settleFully();
    expect(w.ordersOf('F1')).toHaveLength(orders);
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('issue 9 #2: the wait is bounded; an order still held at the deadline is reported and still stopped at the gate', async () => {
    const w = await createWorld({ links, risk: {} });
    const release = slowBeforeWire(w);
    w.trade('ES', 'buy', 1);
    await w.settle();
    const held = w.intents.find((i) => i.followerAccountId === F1)!;
    const halting = w.engine.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: false, actor: 'test' });
    await w.settle();
    await w.clock.advanceAsync(10_000);
    const report = await halting;
    const f1 = report.followers.find((f) => f.accountId === F1)!;
    expect(report.ok).toBe(false);
    expect(f1.unsettled).toEqual([held.clientOrderId]);
    expect(f1.errors.join(' ')).toContain('outcome still unknown after 10000 ms');
    release();
    await w.settleFully();
    expect(w.ordersOf('F1')).toHaveLength(0);
    expect(w.journal.queries.getCopy(held.id)!.copy.status).toBe('not_placed');
  });

  it('halting one follower leaves the others copying', async () => {
    const w = await createWorld({ links });
    const report = await w.engine.halt({ scope: F1, cancelOpenOrders: true, flattenPositions: false, actor: 'test' });
    expect(report.followers.map((f) => f.accountId)).toEqual([F1]);
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '2']);
  });

  it('issue 9 #2: a copy waiting for the rate budget when the kill switch is pulled is stopped by the real adapter\'s gate', async () => {
    const w = await createWorld({ links });
    const limited = new TapAdapter(w.exchange, F1, { rateLimit: { requests: 3, windowMs: 5_000 } });
    await limited.connect();
    w.engine.setBroker(F1, limited);
    await w.clock.advanceAsync(20_000);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    w.trade('ES', 'buy', 1);
    await w.clock.advanceAsync(20_000);
    await w.settleFully();
    expect(w.pos('F1', 'ES')).toBe('1');
    // Reads use the whole budget; the next copy waits for a token.
    for (let i = 0; i < 6; i++) void limited.account().catch(() => undefined);
    w.trade('ES', 'buy', 2);
    await w.settle();
    const held = w.intents.filter((i) => i.followerAccountId === F1).at(-1)!;
    expect(held.qty.toString()).toBe('2');
    expect(held.sentAt).toBeDefined();
    let report: Awaited<ReturnType<typeof w.engine.halt>> | undefined;
    void w.engine.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: true, actor: 'test' }).then((r) => (report = r));
    for (let i = 0; i < 30 && !report; i++) await w.clock.advanceAsync(1_000);
    await w.settleFully();
    expect(w.ordersOf('F1').map((o) => o.clientOrderId), 'the copy waiting for the budget reached the venue after the halt').not.toContain(held.clientOrderId);
    expect(report?.ok).toBe(true);
    expect(report!.followers.find((f) => f.accountId === F1)!.notSent).toEqual([held.clientOrderId]);
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '0']);
  });
});
