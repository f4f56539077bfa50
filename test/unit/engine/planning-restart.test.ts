// Restarts on the same journal file: episode facts (peak, entry, eligible part, follower exits) and outside-hours waits
// are journaled and restored, so a new engine sizes and waits exactly as the one before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { accountId, linkId } from '../../../core/domain/ids.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, LEADER, type LinkInput, type World } from './harness.js';

const F1 = accountId('F1');
const HOUR = 3_600_000;
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-planning-'));
  dirs.push(dir);
  return join(dir, 'journal.db');
}

/** A world on a new journal file (the venue and clock that restart() keeps). */
async function firstWorld(path: string, links: readonly LinkInput[], follower?: { marketHours: boolean }): Promise<World> {
  const clock = new TestClock();
  const exchange = new SimExchange({ clock, seed: 7 });
  return createWorld({ clock, exchange, journal: openJournal(path, { now: () => clock.now() }), links, ...(follower ? { follower } : {}) });
}

/** Stops the world's engine, closes its journal and starts a new engine on a reopened journal file (same venue). */
async function restart(w: World, path: string, links: readonly LinkInput[], follower?: { marketHours: boolean }): Promise<World> {
  await w.engine.stop();
  w.journal.close();
  const journal: SqliteJournal = openJournal(path, { now: () => w.clock.now() });
  return createWorld({ clock: w.clock, exchange: w.exchange, journal, links, ...(follower ? { follower } : {}) });
}

describe('restart', () => {
  it('issue 9 #6: fixed 4, leader 4 -> 2, follower 2; after a restart the start reconcile does not re-buy to 4', async () => {
    const path = journalFile();
    const links = [{ follower: 'F1', sizing: { mode: 'fixed' as const, value: 4 }, reconcilePolicy: 'repair' as const }];
    const w = await firstWorld(path, links);
    w.trade('ES', 'buy', 4);
    await w.settle();
    w.trade('ES', 'sell', 2);
    await w.settle();
    expect(w.pos('F1', 'ES')).toBe('2');
    const w2 = await restart(w, path, links);
    await w2.settleFully();
    expect(w2.pos('F1', 'ES')).toBe('2');
    expect(w2.ordersOf('F1')).toHaveLength(2);
    w2.trade('ES', 'sell', 1, 'after-1');
    await w2.settle();
    expect(w2.pos('F1', 'ES')).toBe('1');
    w2.journal.close();
  });

  it('a follower-side exit keeps that link at 0 until the leader\'s next episode, across a restart', async () => {
    const path = journalFile();
    const links = [{ follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, reconcilePolicy: 'repair' as const }];
    const w = await firstWorld(path, links);
    w.trade('ES', 'buy', 3);
    await w.settle();
    w.engine['ctx'].leaders.followerExited(linkId('L->F1'), 'ES', 'bracket stop filled');
    w.exchange.submit(F1, { accountId: F1, clientOrderId: 'stop-1' as never, symbol: 'ES', side: 'sell', qty: w.exchange.position(F1, 'ES'), type: 'market', timeInForce: 'day', purpose: 'copy' });
    await w.settle();
    const w2 = await restart(w, path, links);
    await w2.settleFully();
    w2.trade('ES', 'buy', 1, 'after-1');
    await w2.settle();
    await w2.engine.reconcileNow('check');
    await w2.settle();
    expect(w2.pos('F1', 'ES')).toBe('0');
    w2.trade('ES', 'sell', 4, 'after-2');
    w2.trade('ES', 'buy', 2, 'after-3');
    await w2.settle();
    expect(w2.pos('F1', 'ES')).toBe('2');
    w2.journal.close();
  });

  it('issue 9 #7: an outsideHours wait survives a restart on the same journal and the copy goes at the open', async () => {
    const path = journalFile();
    const links = [{ follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, outsideHours: 'wait' as const }];
    const follower = { marketHours: true };
    const w = await firstWorld(path, links, follower);
    const nextOpen = w.clock.now() + HOUR;
    w.exchange.setMarketSession({ open: false, nextOpen, nextClose: nextOpen + 6.5 * HOUR });
    w.trade('AAPL', 'buy', 5);
    await w.settle();
    expect(w.engine.waitingCopies()).toHaveLength(1);
    const w2 = await restart(w, path, links, follower);
    expect(w2.engine.waitingCopies()).toMatchObject([{ symbol: 'AAPL', due: nextOpen }]);
    await w.clock.advanceAsync(HOUR - 60_000);
    await w2.settle();
    expect(w2.pos('F1', 'AAPL')).toBe('0');
    w.exchange.setMarketSession({ open: true, nextClose: nextOpen + 6.5 * HOUR, nextOpen: nextOpen + 24 * HOUR });
    await w.clock.advanceAsync(60_000);
    await w2.settleFully();
    expect(w2.pos('F1', 'AAPL')).toBe('5');
    expect(w2.engine.waitingCopies()).toEqual([]);
    w2.journal.close();
  });

  it('a leader trade made while a follower was not connected is copied when it arms after a restart, not only alerted', async () => {
    const path = journalFile();
    const links = [
      { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 } },
      { follower: 'F2', sizing: { mode: 'multiplier' as const, value: 1 } },
    ];
    const w = await firstWorld(path, links);
    w.engine.setBroker(F1, undefined);
    w.trade('ES', 'buy', 2);
    await w.settleFully();
    expect([w.pos('F1', 'ES'), w.pos('F2', 'ES')]).toEqual(['0', '2']);
    const w2 = await restart(w, path, links);
    await w2.settleFully();
    await w2.clock.advanceAsync(120_000);
    await w2.settleFully();
    expect(w2.engine.snapshot().armed).toBe(true);
    expect([w2.pos('F1', 'ES'), w2.pos('F2', 'ES')], 'F1 gets the copy it missed, as it would have without the restart').toEqual(['2', '2']);
    w2.trade('ES', 'sell', 2, 'after-1');
    await w2.settleFully();
    expect([w2.pos('F1', 'ES'), w2.pos('F2', 'ES')]).toEqual(['0', '0']);
    w2.journal.close();
  });

  it('a copy found not placed while its link was not armed is re-planned when the link arms after a restart', async () => {
    const path = journalFile();
    const links = [{ follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, reconcilePolicy: 'alert' as const }];
    const w = await firstWorld(path, links);
    w.exchange.injectUnknownOutcome('F1', { placed: false });
    w.trade('ES', 'buy', 2);
    await w.settle();
    // The leader drops out: the link disarms while the follower's unknown order is still being looked up.
    w.engine.setBroker(LEADER, undefined);
    await w.settle();
    expect(w.engine.snapshot().armed).toBe(false);
    await w.clock.advanceAsync(10_000);
    await w.settleFully();
    expect(w.intents.at(-1)!.status, 'the lookup found no order').toBe('not_placed');
    expect(w.pos('F1', 'ES')).toBe('0');
    const w2 = await restart(w, path, links);
    await w2.settleFully();
    await w2.clock.advanceAsync(120_000);
    await w2.settleFully();
    expect(w2.engine.snapshot().armed).toBe(true);
    expect(w2.pos('F1', 'ES'), 'the copy is made, as it would have been without the restart (not only a drift alert)').toBe('2');
    w2.trade('ES', 'sell', 2, 'after-1');
    await w2.settleFully();
    expect(w2.pos('F1', 'ES')).toBe('0');
    w2.journal.close();
  });

  it("the unfilled-copy guard keeps watching a copy the previous run left working: it acts when the copy's time is up", async () => {
    const path = journalFile();
    const links = [{ follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, unfilledGuard: { afterSeconds: 5, action: 'alert' as const } }];
    const w = await firstWorld(path, links);
    w.trade('ES', 'buy', 1);
    w.exchange.setLatency(60_000);
    await w.settle();
    expect(w.exchange.openOrders('F1')).toHaveLength(1);
    await w.clock.advanceAsync(1_000);
    const w2 = await restart(w, path, links);
    await w2.settle();
    await w.clock.advanceAsync(4_500);
    await w2.settle();
    expect(w2.alerts.filter((a) => a.code === 'copy_unfilled').map((a) => a.message)).toEqual([
      expect.stringMatching(/copy buy 1 ES not filled 5 s after the leader's fill/),
    ]);
    expect(w2.notified.map((a) => a.code)).toContain('copy_unfilled');
    w2.journal.close();
  });
});
