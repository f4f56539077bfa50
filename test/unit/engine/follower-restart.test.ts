// Follower account state across a restart: rebuilt from broker positions, open orders and the journaled intents.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld } from './harness.js';

const link = { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, orderType: 'marketable_limit' as const };
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('issue 9 #3: follower state rebuilt at start', () => {
  it('issue 9 #3: restart with a resting follower order keeps the position and counts the order as working', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-follower-'));
    dirs.push(dir);
    const file = join(dir, 'journal.sqlite');
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 3, latencyMs: 10 });
    const first = await createWorld({ clock, exchange, journal: openJournal(file, { now: () => clock.now() }), links: [link] });
    first.trade('ES', 'buy', 10);
    await clock.advanceAsync(10);
    await first.settle();
    await clock.advanceAsync(10);
    await first.settle();
    expect(first.pos('F1', 'ES')).toBe('10');
    first.trade('ES', 'buy', 5);
    await clock.advanceAsync(10);
    await first.settle();
    // The follower's marketable limit is on its way; the market runs away before it can fill, so it rests.
    exchange.setPrice('ES', exchange.lastPrice('ES').add(Decimal.from(5)));
    await clock.advanceAsync(10);
    await first.settle();
    expect(exchange.openOrders('F1').map((o) => o.qty.toString())).toEqual(['5']);
    await first.engine.stop();
    first.journal.close();

    const second = await createWorld({ clock, exchange, journal: openJournal(file, { now: () => clock.now() }), links: [link] });
    const snap = second.engine.snapshot();
    expect({ position: snap.followerPositions['F1'], working: snap.inFlight['F1'] }).toEqual({ position: { ES: '10' }, working: { ES: '5' } });
    second.trade('ES', 'buy', 5, 'lead-after-restart');
    await clock.advanceAsync(10);
    await second.settle();
    await clock.advanceAsync(10);
    await second.settle();
    exchange.setPrice('ES', exchange.lastPrice('ES').sub(Decimal.from(10)));
    await clock.advanceAsync(10);
    await second.settleFully();
    expect(exchange.position('L', 'ES').toString()).toBe('20');
    expect(second.pos('F1', 'ES')).toBe('20');
    second.journal.close();
  });
});
