// Property (fast-check): random leader trades, market jumps that leave follower limits resting, partial fills and
// restarts on the same journal, through the real engine and sim venue: once every resting order can fill, the
// follower holds exactly the leader's position, and it never had a buy and a sell of ours working at once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, memoryJournal, type World } from './harness.js';

const action = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('trade' as const), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('jump' as const), ticks: fc.integer({ min: -40, max: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('step' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);
const scenario = fc.record({ partial: fc.boolean(), actions: fc.array(action, { minLength: 1, maxLength: 16 }) });
const links = [{ follower: 'F1', sizing: { mode: 'multiplier' as const, value: 1 }, orderType: 'marketable_limit' as const }];

async function step(w: World): Promise<void> {
  await w.clock.advanceAsync(10);
  await w.settle();
}

describe('issue 9 #3/#4 follower state (property)', () => {
  it('issue 9 #3/#4: with resting limits, partial fills and restarts the follower converges to the leader', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = new TestClock();
        const exchange = new SimExchange({ clock, seed: 13, latencyMs: 10, partialFillProbability: s.partial ? 0.5 : 0 });
        const journal = memoryJournal(clock);
        let w = await createWorld({ clock, exchange, journal, links });
        const crossed: string[] = [];
        const watch = (x: World) =>
          x.engine.on('intent', () => {
            const sides = new Set(exchange.openOrders('F1').map((o) => o.side));
            if (sides.size > 1) crossed.push(exchange.openOrders('F1').map((o) => `${o.side} ${o.qty}`).join(', '));
          });
        watch(w);
        let n = 0;
        for (const a of s.actions) {
          if (a.kind === 'trade') w.trade('ES', a.side, a.qty, `lead-${++n}`);
          else if (a.kind === 'jump') exchange.setPrice('ES', exchange.lastPrice('ES').add(Decimal.from('0.25').mul(a.ticks)));
          else if (a.kind === 'restart') {
            await w.settle();
            await w.engine.stop();
            w = await createWorld({ clock, exchange, journal, links });
            watch(w);
          }
          await step(w);
        }
        for (let i = 0; i < 30; i++) {
          const open = exchange.openOrders('F1');
          if (open.length === 0 && w.engine.snapshot().openIntents === 0) break;
          const buy = open.find((o) => o.side === 'buy' && o.limitPrice);
          const sell = open.find((o) => o.side === 'sell' && o.limitPrice);
          if (buy) exchange.setPrice('ES', buy.limitPrice!);
          else if (sell) exchange.setPrice('ES', sell.limitPrice!);
          await step(w);
          await clock.advanceAsync(5_000);
          await w.settle();
        }
        expect(crossed).toEqual([]);
        expect(exchange.openOrders('F1')).toEqual([]);
        expect(w.pos('F1', 'ES')).toBe(w.pos('L', 'ES'));
        await w.engine.stop();
      }),
      { numRuns: 40, seed: 20261202 },
    );
  });

  it('issue 9 #11: bracket children never protect more than the follower holds, so a child never opens a position', async () => {
    const bracketScenario = fc.array(
      fc.oneof(
        { weight: 5, arbitrary: fc.record({ kind: fc.constant('trade' as const), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 4 }) }) },
        { weight: 3, arbitrary: fc.record({ kind: fc.constant('jump' as const), ticks: fc.integer({ min: -16, max: 16 }) }) },
      ),
      { minLength: 1, maxLength: 16 },
    );
    await fc.assert(
      fc.asyncProperty(bracketScenario, async (actions) => {
        const w = await createWorld({
          links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 1 }, bracket: { stopLossTicks: 6, takeProfitTicks: 10 } }],
          follower: { capabilities: { brackets: true } },
        });
        const wrongSide: string[] = [];
        let n = 0;
        for (const a of actions) {
          if (a.kind === 'trade') w.trade('ES', a.side, a.qty, `lead-${++n}`);
          else w.exchange.setPrice('ES', w.exchange.lastPrice('ES').add(Decimal.from('0.25').mul(a.ticks)));
          await w.settle();
          const f = w.exchange.position('F1', 'ES');
          const l = w.exchange.position('L', 'ES');
          if (!f.isZero() && f.sign() !== l.sign()) wrongSide.push(`follower ${f} leader ${l}`);
        }
        const held = w.exchange.position('F1', 'ES').abs();
        for (const role of ['stop_loss', 'take_profit'] as const) {
          let qty = Decimal.ZERO;
          for (const o of w.exchange.openOrders('F1')) if (o.role === role) qty = qty.add(o.qty.sub(o.filledQty));
          expect(qty.gt(held), `${role} children ${qty} > held ${held}`).toBe(false);
        }
        expect(wrongSide).toEqual([]);
        await w.engine.stop();
      }),
      { numRuns: 60, seed: 20261202 },
    );
  });
});
