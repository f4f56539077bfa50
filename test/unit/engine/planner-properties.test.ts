// Property tests (fast-check): random leader sequences through the real engine, journal and sim venue.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { followerClientId } from '../../../core/domain/client-id.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId } from '../../../core/domain/ids.js';
import { signed } from '../../../core/domain/side.js';
import { plan } from '../../../core/engine/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, makeLink } from './harness.js';

const F1 = accountId('F1');
const F2 = accountId('F2');
const F3 = accountId('F3');
const ratio = fc.constantFrom('0.1', '0.25', '0.5', '1', '1.5', '2', '3', '-1', '-0.5');
const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('trade' as const), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('dup' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stop' as const), state: fc.constantFrom('paused' as const, 'halted' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('resume' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unknown' as const), placed: fc.boolean() }) },
);
const scenario = fc.record({
  symbol: fc.constantFrom('ES', 'MSFT', 'AAPL', 'MES'),
  r1: ratio,
  r2: ratio,
  partial: fc.boolean(),
  reversalInOneOrder: fc.boolean(),
  maxOrderQty: fc.integer({ min: 1, max: 4 }),
  maxPositionQty: fc.integer({ min: 2, max: 8 }),
  actions: fc.array(action, { minLength: 1, maxLength: 18 }),
});

describe('engine invariants (property)', () => {
  it('followers converge to their rounded targets; caps, pauses and duplicates hold', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const clock = new TestClock();
        const exchange = new SimExchange({ clock, seed: 11, partialFillProbability: s.partial ? 0.6 : 0 });
        const mapped = s.symbol === 'MES';
        const symbolMap: Record<string, { symbol: string; factor: string }> = mapped ? { MES: { symbol: 'ES', factor: '0.1' } } : {};
        const followerSymbol = mapped ? 'ES' : s.symbol;
        const factor = mapped ? '0.1' : '1';
        const w = await createWorld({
          clock,
          exchange,
          reversalInOneOrder: s.reversalInOneOrder,
          links: [
            { follower: 'F1', sizing: { mode: 'multiplier', value: s.r1 }, reconcilePolicy: 'repair', symbolMap },
            { follower: 'F2', sizing: { mode: 'multiplier', value: s.r2 }, reconcilePolicy: 'repair', symbolMap },
            { follower: 'F3', sizing: { mode: 'multiplier', value: 1 }, caps: { maxOrderQty: s.maxOrderQty, maxPositionQty: s.maxPositionQty } },
          ],
        });
        const capViolations: string[] = [];
        w.engine.on('intent', (i) => {
          if (i.followerAccountId !== F3 || i.status !== 'planned') return;
          const snap = w.engine.snapshot();
          const after = Decimal.from(snap.followerPositions['F3']?.[i.symbol] ?? 0).add(snap.inFlight['F3']?.[i.symbol] ?? 0);
          const before = after.sub(signed(i.side, i.qty));
          const inc = after.sign() === before.sign() ? after.abs().sub(before.abs()) : after.abs();
          if (inc.gt(0) && (inc.gt(s.maxOrderQty) || after.abs().gt(s.maxPositionQty))) capViolations.push(`${before} -> ${after}`);
        });
        let stoppedAt: number | undefined;
        let replays = 0;
        for (const a of s.actions) {
          if (a.kind === 'trade') w.trade(s.symbol, a.side, a.qty);
          else if (a.kind === 'dup') {
            const execs = exchange.executions('L');
            if (execs.length > 0) {
              w.leader.deliver('execution', execs[a.pick % execs.length]!);
              replays++;
            }
          } else if (a.kind === 'stop' && stoppedAt === undefined) {
            if (a.state === 'paused') w.engine.setTradingState(F2, 'paused', 'prop');
            else await w.engine.halt({ scope: F2, cancelOpenOrders: false, flattenPositions: false, actor: 'prop' });
            await w.settleFully();
            stoppedAt = exchange.orders('F2').length;
          } else if (a.kind === 'unknown') {
            exchange.injectUnknownOutcome('F1', { placed: a.placed });
          } else if (a.kind === 'resume' && stoppedAt !== undefined) {
            w.engine.setTradingState(F2, 'active', 'prop');
            stoppedAt = undefined;
          }
          await w.settle();
          if (stoppedAt !== undefined) expect(exchange.orders('F2')).toHaveLength(stoppedAt);
        }
        if (stoppedAt !== undefined) w.engine.setTradingState(F2, 'active', 'prop');
        await clock.advanceAsync(20_000);
        await w.settleFully();
        const leader = exchange.position('L', s.symbol);
        for (const [f, r] of [
          ['F1', s.r1],
          ['F2', s.r2],
        ] as const) {
          const target = leader.mul(r).mul(factor);
          // Fractional AAPL for long targets only: the short part of an order is whole shares.
          const step = s.symbol === 'AAPL' && target.sign() > 0 ? Decimal.from('0.0001') : Decimal.ONE;
          expect(exchange.position(f, followerSymbol).toString()).toBe(target.roundTowardZero(step).toString());
        }
        expect(exchange.position('F3', s.symbol).abs().gt(s.maxPositionQty)).toBe(false);
        expect(capViolations).toEqual([]);
        expect(w.engine.snapshot().counters.duplicatesIgnored).toBe(replays);
        for (const e of exchange.executions('L')) {
          const cid = followerClientId(F1, e.id, 0);
          expect(exchange.orders('F1').filter((o) => o.clientOrderId === cid).length).toBeLessThanOrEqual(1);
        }
        await w.engine.stop();
      }),
      { numRuns: 80, seed: 20261121 },
    );
  });

  it('the planner never increases exposure beyond a cap, always lets exits through, and never trades a denied symbol', () => {
    const link = makeLink({
      follower: 'F9',
      sizing: { mode: 'multiplier', value: 1 },
      caps: { maxOrderQty: 3, maxPositionQty: 5 },
      filters: { denySymbols: ['ES'] },
    });
    const inst = { symbol: 'ES', assetClass: 'future' as const, lotSize: Decimal.ONE, fractionable: false, tickSize: Decimal.from('0.25'), multiplier: Decimal.from(50), currency: 'USD' };
    fc.assert(
      fc.property(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -20, max: 20 }), fc.boolean(), (raw, cur, denied) => {
        const p = plan({
          link: denied ? link : { ...link, filters: { ...link.filters, denySymbols: [] } },
          symbol: 'ES', leaderSymbol: 'ES', rawTarget: Decimal.from(raw), current: Decimal.from(cur), step: Decimal.ONE, instrument: inst,
          price: Decimal.from(6000), openPositions: 0, reversalInOneOrder: true,
        });
        const T = p.target;
        const C = Decimal.from(cur);
        const inc = T.sign() === C.sign() ? T.abs().sub(C.abs()) : T.abs();
        if (inc.gt(0)) {
          expect(denied).toBe(false);
          expect(inc.gt(3)).toBe(false);
          expect(T.abs().gt(5)).toBe(false);
        }
        if (denied) expect(p.legs).toEqual([]);
        const exitTarget = !denied && (raw === 0 || (Math.sign(raw) === Math.sign(cur) && Math.abs(raw) <= Math.abs(cur)));
        if (exitTarget) expect(T.toString()).toBe(String(raw));
        const sent = p.legs.reduce((acc, l) => acc.add(signed(l.side, l.qty)), Decimal.ZERO);
        expect(C.add(sent).toString()).toBe(T.toString());
      }),
      { numRuns: 500, seed: 7 },
    );
  });
});
