// Arming after a restart: a follower order from the previous run that filled while the app was down is settled by a
// lookup that lands while the first reconcile pass is reading; the next copy must be planned from the broker's position,
// not from a position that counts that fill twice (the chaos test's seed 18 hit this by timing with an order that was
// sent but never acknowledged; this guard covers the acknowledged-then-resting variant).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld } from './harness.js';

const link = { follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, orderType: 'marketable_limit' as const };
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('restart while a previous run\'s order filled at the broker', () => {
  it('the first copy after the restart is planned from the broker position, the settled fill counted once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-arm-settle-'));
    dirs.push(dir);
    const file = join(dir, 'journal.sqlite');
    const clock = new TestClock();
    const exchange = new SimExchange({ clock, seed: 3, latencyMs: 10 });
    const first = await createWorld({ clock, exchange, journal: openJournal(file, { now: () => clock.now() }), links: [link] });
    first.trade('ES', 'buy', 6);
    await clock.advanceAsync(10);
    await first.settle();
    await clock.advanceAsync(10);
    await first.settleFully();
    expect(first.pos('F1', 'ES')).toBe('6');
    first.trade('ES', 'sell', 5);
    await clock.advanceAsync(10);
    await first.settle();
    // The follower's sell (a marketable limit) rests: the market dropped before it could fill.
    exchange.setPrice('ES', exchange.lastPrice('ES').sub(Decimal.from(5)));
    await clock.advanceAsync(10);
    await first.settle();
    expect(exchange.openOrders('F1').map((o) => `${o.side} ${o.qty}`)).toEqual(['sell 5']);
    await first.engine.stop();
    first.journal.close();
    // While the app is down the market comes back and the resting sell fills at the broker.
    exchange.setPrice('ES', exchange.lastPrice('ES').add(Decimal.from(10)));
    await clock.advanceAsync(50);
    expect(exchange.position('F1', 'ES').toString()).toBe('1');

    const second = await createWorld({ clock, exchange, journal: openJournal(file, { now: () => clock.now() }), links: [link], start: false });
    // The broker answers the position read slowly: the lookup of the previous run's order lands while the first pass
    // is still waiting for it (what the chaos test's seed 18 hit by timing).
    const f1 = second.followers.get(accountId('F1'))!;
    const read = f1.positions.bind(f1);
    f1.positions = () => new Promise((resolve, reject) => clock.setTimer(5, () => read().then(resolve, reject)));
    const started = second.engine.start();
    await clock.advanceAsync(20);
    await started;
    second.trade('ES', 'buy', 3, 'lead-after-restart');
    for (let i = 0; i < 6; i++) {
      await clock.advanceAsync(10);
      await second.settle();
    }
    await second.settleFully();
    expect(exchange.position('L', 'ES').toString()).toBe('4');
    expect(second.pos('F1', 'ES')).toBe('4');
    second.journal.close();
  });
});
