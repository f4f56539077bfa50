// A person's choices that hold a link back survive a restart: how a new link starts (until it arms) and the follower
// symbols a 'new_only' start or resume leaves alone (until the leader trades them). Before, both lived in memory only:
// a restart before the link armed copied the leader's open positions the person had chosen not to take, and a restart
// after a 'new_only' resume let a repair policy undo it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, makeLink, type LinkInput, type World } from './harness.js';

const F1 = accountId('F1');
const F2 = accountId('F2');
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function journalFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-holds-'));
  dirs.push(dir);
  return join(dir, 'journal.db');
}

async function firstWorld(path: string, links: readonly LinkInput[]): Promise<World> {
  const clock = new TestClock();
  const exchange = new SimExchange({ clock, seed: 7 });
  return createWorld({ clock, exchange, journal: openJournal(path, { now: () => clock.now() }), links });
}

/** Stops the engine, closes the journal and starts a new engine on the reopened file (same venue, every account connected). */
async function restart(w: World, path: string, links: readonly LinkInput[]): Promise<World> {
  await w.engine.stop();
  w.journal.close();
  const next = await createWorld({ clock: w.clock, exchange: w.exchange, journal: openJournal(path, { now: () => w.clock.now() }), links });
  await next.settleFully();
  await next.clock.advanceAsync(90_000);
  await next.settleFully();
  return next;
}

const F1_LINK: LinkInput = { follower: 'F1', sizing: { mode: 'multiplier', value: 1 } };

/** A world whose F2 link is added (with a start choice) while F2 cannot be reached, so it does not arm before the restart. */
async function addedWhileUnreachable(f2: LinkInput, start: 'align' | 'new_only', orders?: { symbol: string; side: 'buy' | 'sell'; qty: string }[]) {
  const path = journalFile();
  const w = await firstWorld(path, [F1_LINK, { ...f2, enabled: false }]);
  w.trade('MES', 'buy', 10);
  await w.settleFully();
  w.exchange.submit('F2', { accountId: F2, clientOrderId: clientOrderId('hand-1'), symbol: 'AAPL', side: 'buy', qty: Decimal.from(5), type: 'market', timeInForce: 'day', purpose: 'copy' });
  await w.settleFully();
  w.engine.setBroker(F2, undefined);
  w.engine.startLink(makeLink(f2).id, start, orders);
  w.engine.setLinks([makeLink(F1_LINK), makeLink(f2)]);
  await w.settleFully();
  await w.clock.advanceAsync(10_000);
  await w.settleFully();
  expect(w.engine.snapshot().armed, 'the F2 link has not armed before the restart').toBe(false);
  return { w, path };
}

describe('link holds across a restart', () => {
  it("a new link's 'new_only' start survives a restart before it arms: nothing is sent, even under a repair policy", async () => {
    const f2: LinkInput = { follower: 'F2', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' };
    const { w, path } = await addedWhileUnreachable(f2, 'new_only');
    const w2 = await restart(w, path, [F1_LINK, f2]);
    expect(w2.engine.snapshot().armed).toBe(true);
    expect(w2.followers.get(F2)!.requests, 'not the open MES, not closing the AAPL it holds').toEqual([]);
    expect([w2.pos('F2', 'MES'), w2.pos('F2', 'AAPL')]).toEqual(['0', '5']);
    w2.trade('MES', 'buy', 1, 'after-restart-1');
    await w2.settleFully();
    expect([w2.pos('F1', 'MES'), w2.pos('F2', 'MES')], 'only the scale-in after the link started').toEqual(['11', '1']);
    expect(w2.pos('F2', 'AAPL')).toBe('5');
    w2.journal.close();
  });

  it("a new link's 'align' start with the confirmed orders survives a restart before it arms: exactly those are sent", async () => {
    const f2: LinkInput = { follower: 'F2', sizing: { mode: 'multiplier', value: 1 }, copyUnmapped: false, symbolMap: { MES: { symbol: 'MES', factor: '1' } } };
    const { w, path } = await addedWhileUnreachable(f2, 'align', [{ symbol: 'MES', side: 'buy', qty: '10' }]);
    const w2 = await restart(w, path, [F1_LINK, f2]);
    expect(w2.followers.get(F2)!.requests.map((r) => [r.side, r.qty.toString(), r.symbol, r.purpose])).toEqual([['buy', '10', 'MES', 'repair']]);
    expect([w2.pos('F2', 'MES'), w2.pos('F2', 'AAPL')]).toEqual(['10', '5']);
    w2.journal.close();
  });

  it("a 'new_only' resume's left-alone symbols survive a restart until the leader trades them again", async () => {
    const path = journalFile();
    const f1: LinkInput = { follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair' };
    const w = await firstWorld(path, [f1]);
    w.engine.setTradingState(F1, 'paused', 'test');
    w.trade('MES', 'buy', 4);
    await w.settleFully();
    await w.engine.resume(F1, 'test', 'new_only');
    await w.settleFully();
    await w.clock.advanceAsync(90_000);
    await w.settleFully();
    expect(w.pos('F1', 'MES'), 'new_only: the missed buy is not caught up').toBe('0');
    const w2 = await restart(w, path, [f1]);
    expect(w2.followers.get(F1)!.requests, 'the restart does not undo the person\'s choice').toEqual([]);
    expect(w2.pos('F1', 'MES')).toBe('0');
    w2.trade('MES', 'buy', 1, 'after-restart-1');
    await w2.settleFully();
    expect(w2.pos('F1', 'MES'), 'the leader traded MES again: the follower is back in line (repair policy)').not.toBe('0');
    w2.journal.close();
  });

  it('a removed link takes its holds with it, in memory and in the journal', async () => {
    const f2: LinkInput = { follower: 'F2', sizing: { mode: 'multiplier', value: 1 } };
    const { w } = await addedWhileUnreachable(f2, 'new_only');
    w.engine.setTradingState(F1, 'paused', 'test');
    await w.engine.resume(F1, 'test', 'new_only');
    expect(w.journal.linkStarts().map((s) => s.linkId)).toEqual([makeLink(f2).id]);
    expect(w.journal.leftAlone()).toEqual([{ linkId: makeLink(F1_LINK).id, symbol: 'MES' }]);
    w.engine.forgetLink(makeLink(f2).id);
    w.engine.forgetLink(makeLink(F1_LINK).id);
    expect([w.journal.linkStarts(), w.journal.leftAlone()]).toEqual([[], []]);
    w.journal.close();
  });
});
