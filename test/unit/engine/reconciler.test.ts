// The reconciler: repair vs alert policy, reconnects, periodic passes, missed leader events.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import type { ReconcileReport } from '../../../core/engine/index.js';
import { SimAdapter, SimExchange } from '../../../core/brokers/sim/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, makeLink } from './harness.js';

const F1 = accountId('F1');
const sizing = { mode: 'multiplier' as const, value: 1 };

function manual(w: Awaited<ReturnType<typeof createWorld>>, side: 'buy' | 'sell', qty: number): void {
  w.exchange.submit('F1', {
    accountId: F1, clientOrderId: clientOrderId(`manual-${w.clock.now()}-${side}-${qty}`), symbol: 'ES', side, qty: Decimal.from(qty),
    type: 'market', timeInForce: 'day', purpose: 'copy',
  });
}

describe('reconciler', () => {
  it('repair policy sends the delta as a repair and reports it', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }] });
    w.trade('ES', 'buy', 3);
    await w.settle();
    manual(w, 'sell', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    const report = await w.engine.reconcileNow('test');
    await w.settle();
    expect(report.drifts).toEqual([
      { linkId: 'L->F1', followerAccountId: 'F1', symbol: 'ES', target: '3', position: '1', action: 'repaired' },
    ]);
    expect(w.pos('F1', 'ES')).toBe('3');
    expect(w.intents.at(-1)).toMatchObject({ purpose: 'repair', status: 'filled', qty: Decimal.from(2) });
    expect(w.alertCodes()).toContain('repair_sent');
    const again = await w.engine.reconcileNow('test');
    expect(again.drifts).toEqual([]);
  });

  it('keeps a leader execution that arrives while it reads the leader (a stale snapshot does not undo it)', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }] });
    w.trade('ES', 'buy', 3);
    await w.settle();
    const read = w.leader.positions.bind(w.leader);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    w.leader.positions = async () => {
      const stale = await read();
      await gate;
      return stale;
    };
    const pass = w.engine.reconcileNow('test');
    await w.settle();
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('5');
    release();
    const report = await pass;
    await w.settle();
    expect(report.drifts).toEqual([]);
    expect(w.pos('F1', 'ES')).toBe('5');
    expect(w.intents.filter((i) => i.purpose === 'repair')).toEqual([]);
    expect(w.engine.snapshot().leaderPositions.L).toEqual({ ES: '5' });
  });

  it('alert policy raises a drift warning and sends nothing', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing }] });
    w.trade('ES', 'buy', 2);
    await w.settle();
    manual(w, 'buy', 1);
    await w.settle();
    const report = await w.engine.reconcileNow('test');
    expect(report.drifts.map((d) => [d.position, d.target, d.action])).toEqual([['3', '2', 'alerted']]);
    expect(w.alerts.filter((a) => a.code === 'drift').map((a) => a.severity)).toEqual(['warning']);
    expect(w.ordersOf('F1')).toHaveLength(2);
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({ ES: '3' });
  });

  it('repairs missed leader executions after a reconnect', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }] });
    const reports: ReconcileReport[] = [];
    w.engine.on('reconciled', (r) => reports.push(r));
    w.exchange.disconnect('L');
    w.trade('ES', 'buy', 4);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.exchange.reconnect('L');
    await w.settle();
    expect(reports.map((r) => r.reason)).toEqual(['L reconnected']);
    expect(w.pos('F1', 'ES')).toBe('4');
  });

  it('runs periodically on the clock and skips symbols with orders in flight', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }], risk: {
        reconcileIntervalMs: 5_000,
        settle: { firstDelayMs: 4_000, maxDelayMs: 8_000, notFoundGraceMs: 6_000 },
      },
    });
    const reports: ReconcileReport[] = [];
    w.engine.on('reconciled', (r) => reports.push(r));
    w.exchange.injectUnknownOutcome('F1', { placed: false });
    w.trade('ES', 'buy', 1);
    await w.settle();
    await w.clock.advanceAsync(5_000);
    expect(reports).toHaveLength(1);
    expect(reports[0]!.drifts).toEqual([]);
    expect(w.ordersOf('F1')).toHaveLength(0);
    await w.clock.advanceAsync(10_000);
    await w.settle();
    expect(reports).toHaveLength(3);
    expect(reports.flatMap((r) => r.drifts)).toEqual([]);
    expect(w.ordersOf('F1')).toHaveLength(1);
    expect(w.pos('F1', 'ES')).toBe('1');
  });

  it('catches up follower fills whose events were lost, without sending the order again', async () => {
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 2, latencyMs: 10 });
    const w = await createWorld({ clock, exchange, links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }] });
    w.trade('ES', 'buy', 2);
    await clock.advanceAsync(10);
    await w.settle();
    expect(w.intents.at(-1)!.status).toBe('accepted');
    exchange.disconnect('F1');
    await clock.advanceAsync(10);
    expect(exchange.position('F1', 'ES').toString()).toBe('2');
    expect(w.engine.snapshot().inFlight['F1']).toEqual({ ES: '2' });
    exchange.reconnect('F1');
    await w.settle();
    expect(w.intents.at(-1)!.status).toBe('filled');
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({ ES: '2' });
    expect(w.engine.snapshot().inFlight['F1']).toEqual({});
    expect(exchange.orders('F1')).toHaveLength(1);
  });

  it('accepts followers and links added at runtime and brings them to target (repair policy)', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing }] });
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.exchange.addAccount('F2', { cash: 100_000 });
    const f2 = new SimAdapter(w.exchange, 'F2', { rateLimit: false });
    await f2.connect();
    w.engine.setBroker(accountId('F2'), f2);
    w.engine.setLinks([...w.links, makeLink({ follower: 'F2', sizing: { mode: 'multiplier', value: 2 }, reconcilePolicy: 'repair' })]);
    await w.settle();
    expect(w.pos('F2', 'ES')).toBe('4');
    w.trade('ES', 'sell', 1);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['1', '2']);
    w.engine.setBroker(accountId('F2'), undefined);
    w.trade('ES', 'sell', 1);
    await w.settle();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '2']);
  });

  it('reports accounts that cannot be read and leaves their symbols alone', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing, reconcilePolicy: 'repair' }] });
    await w.followers.get(F1)!.disconnect();
    const report = await w.engine.reconcileNow('test');
    expect(report.errors.map((e) => e.accountId)).toEqual(['F1']);
    expect(report.drifts).toEqual([]);
  });

  it('does not arm while the leader cannot be read, copies what happened meanwhile once it can', async () => {
    const w = await createWorld({ links: [{ follower: 'F1', sizing }], start: false });
    const read = w.leader.positions.bind(w.leader);
    let failures = 2;
    w.leader.positions = async () => {
      if (failures-- > 0) throw new Error('leader REST down');
      return read();
    };
    await w.engine.start();
    expect(w.engine.snapshot().armed).toBe(false);
    expect(w.alerts.at(-1)?.message).toContain('copying not armed: cannot read leader L (leader REST down); retrying in 2 s');
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    await w.clock.advanceAsync(2_000);
    await w.settle();
    expect(w.engine.snapshot().armed).toBe(false);
    expect(w.alerts.at(-1)?.message).toContain('retrying in 4 s');
    await w.clock.advanceAsync(4_000);
    await w.settleFully();
    expect(w.engine.snapshot().armed).toBe(true);
    expect(w.pos('F1', 'ES')).toBe('2');
  });
});
