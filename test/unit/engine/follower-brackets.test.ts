// Brackets (ProjectX-style stop/target in ticks): only on exposure-increasing legs; the children are ours (linked to
// their entry), cancelled or cut down when the leader reduces; a child's fill is a follower-side exit (no repair back in).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import type { FollowerExitEvent } from '../../../core/engine/index.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, type LinkInput, type World } from './harness.js';

const F1 = accountId('F1');
const bracket = { stopLossTicks: 8, takeProfitTicks: 12 };
const link = (extra: Partial<LinkInput> = {}): LinkInput => ({ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, bracket, ...extra });
const world = (extra: Partial<LinkInput> = {}) => createWorld({ links: [link(extra)], follower: { capabilities: { brackets: true } } });

const children = (w: World) =>
  w.exchange.openOrders('F1').filter((o) => o.role !== undefined).map((o) => `${o.role} ${o.side} ${o.qty}`);

function manual(w: World, side: 'buy' | 'sell', qty: number): void {
  w.exchange.submit('F1', {
    accountId: F1, clientOrderId: clientOrderId(`manual-${side}-${qty}`), symbol: 'ES', side, qty: Decimal.from(qty),
    type: 'market', timeInForce: 'day', purpose: 'copy',
  });
}

describe('issue 9 #11: brackets', () => {
  it('issue 9 #11: a bracket goes on the exposure-increasing entry only, never on the closing copy', async () => {
    const w = await world();
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.trade('ES', 'sell', 2);
    await w.settle();
    const sent = w.followers.get(F1)!.requests.map((r) => `${r.side} ${r.qty} ${r.bracket ? 'bracket' : 'plain'}`);
    expect(sent).toEqual(['buy 2 bracket', 'sell 2 plain']);
  });

  it('issue 9 #11: the leader closes: the entry bracket children are cancelled and never open an unmirrored position', async () => {
    const w = await world();
    w.trade('ES', 'buy', 2);
    await w.settle();
    expect(children(w)).toEqual(['stop_loss sell 2', 'take_profit sell 2']);
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.exchange.openOrders('F1')).toEqual([]);
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(10)));
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
  });

  it('issue 9 #11: the leader reduces: children beyond the remaining position are cancelled', async () => {
    const w = await world();
    w.trade('ES', 'buy', 1);
    await w.settle();
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(children(w)).toEqual(['stop_loss sell 1', 'take_profit sell 1', 'stop_loss sell 1', 'take_profit sell 1']);
    w.trade('ES', 'sell', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    expect(children(w)).toEqual(['stop_loss sell 1', 'take_profit sell 1']);
  });

  it('issue 9 #11: the reconciler does not skip a symbol because its bracket children carry no tag', async () => {
    const w = await world({ reconcilePolicy: 'repair' });
    w.trade('ES', 'buy', 2);
    await w.settle();
    manual(w, 'sell', 1);
    await w.settle();
    const report = await w.engine.reconcileNow('test');
    await w.settle();
    expect(report.drifts.map((d) => `${d.symbol} ${d.position} -> ${d.target} ${d.action}`)).toEqual(['ES 1 -> 2 repaired']);
    expect(w.pos('F1', 'ES')).toBe('2');
  });

  it('issue 9 #11: the follower own stop closes the position: exit reported, no repair back in until the next leader episode', async () => {
    const w = await world({ reconcilePolicy: 'repair' });
    const exits: FollowerExitEvent[] = [];
    w.engine.on('followerExit', (e) => exits.push(e));
    w.trade('ES', 'buy', 2);
    await w.settle();
    w.exchange.setPrice('ES', w.exchange.lastPrice('ES').sub(Decimal.from(5)));
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    expect(exits.map((e) => [e.linkId, e.leaderSymbol, e.symbol, e.reason, e.qty])).toEqual([['L->F1', 'ES', 'ES', 'stop_loss', '2']]);
    expect(w.engine.snapshot().followerPositions['F1']).toEqual({});
    const report = await w.engine.reconcileNow('test');
    await w.settle();
    expect(report.drifts.filter((d) => d.action === 'repaired')).toEqual([]);
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('0');
    w.trade('ES', 'buy', 1);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('1');
    // A new episode: repairs are back (the hold ended with the leader's flat).
    manual(w, 'sell', 1);
    await w.settle();
    const again = await w.engine.reconcileNow('test');
    await w.settle();
    expect(again.drifts.map((d) => `${d.position} -> ${d.target} ${d.action}`)).toEqual(['0 -> 1 repaired']);
    expect(w.pos('F1', 'ES')).toBe('1');
  });

  it('issue 9 #11: after a restart the entry\'s bracket children are still ours: the leader closes, they are cancelled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-brackets-'));
    try {
      const clock = new TestClock();
      const exchange = new SimExchange({ clock, seed: 7 });
      const path = join(dir, 'journal.db');
      const opts = { clock, exchange, links: [link()], follower: { capabilities: { brackets: true } } } as const;
      const w = await createWorld({ ...opts, journal: openJournal(path, { now: () => clock.now() }) });
      w.trade('ES', 'buy', 2, 'before-restart');
      await w.settle();
      expect(children(w)).toEqual(['stop_loss sell 2', 'take_profit sell 2']);
      await w.engine.stop();
      w.journal.close();
      const w2 = await createWorld({ ...opts, journal: openJournal(path, { now: () => clock.now() }) });
      await w2.settleFully();
      w2.trade('ES', 'sell', 2, 'after-restart');
      await w2.settleFully();
      expect(w2.exchange.openOrders('F1'), 'no stop or target left working after the leader closed').toEqual([]);
      w2.exchange.setPrice('ES', w2.exchange.lastPrice('ES').sub(Decimal.from(10)));
      await w2.settleFully();
      expect(w2.pos('F1', 'ES')).toBe('0');
      w2.journal.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
