// Property tests (fast-check) for episodes, eligibility and sizing: E keeps the leader's side and never grows on a
// reduction; with no filters E is the leader's position; no order has a fractional short part; a denied symbol never
// gets an order; restarts at any point on the same journal leave the follower where a run without restarts leaves it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../core/domain/ids.js';
import { signed } from '../../../core/domain/side.js';
import { plan } from '../../../core/engine/planner.js';
import { advance, FLAT, type LeaderSymbolState } from '../../../core/engine/state/episodes.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import { createWorld, makeLink, type LinkInput, type World } from './harness.js';

const LINKS = ['a', 'b'];
const move = fc.record({ qty: fc.integer({ min: -12, max: 12 }), eligible: fc.tuple(fc.boolean(), fc.boolean()) });

describe('episodes (property)', () => {
  it('E keeps the leader\'s side, |E| <= |L|, never grows on a reduction, is unchanged by an ineligible increase, and is 0 when flat', () => {
    fc.assert(
      fc.property(fc.array(move, { minLength: 1, maxLength: 30 }), (moves) => {
        let st: LeaderSymbolState = FLAT;
        for (const m of moves) {
          const qty = Decimal.from(m.qty);
          const ok = new Map(LINKS.map((id, i) => [id, m.eligible[i]!]));
          const next = advance(st, qty, Decimal.from(100), LINKS, (id) => ok.get(id)!);
          for (const id of LINKS) {
            const e = next.parts[id]?.eligible ?? Decimal.ZERO;
            expect(e.sign() * qty.sign()).toBeGreaterThanOrEqual(0);
            expect(e.abs().gt(qty.abs())).toBe(false);
            const before = st.parts[id]?.eligible;
            const sameSide = !st.qty.isZero() && st.qty.sign() === qty.sign();
            if (sameSide && before && qty.abs().lt(st.qty.abs())) expect(e.abs().gt(before.abs())).toBe(false);
            if (sameSide && before && qty.abs().gt(st.qty.abs()) && !ok.get(id)) expect(e.eq(before)).toBe(true);
          }
          if (qty.isZero()) expect(next.parts).toEqual({});
          st = next;
        }
      }),
      { numRuns: 500, seed: 9 },
    );
  });

  it('with every execution eligible, E is exactly the leader\'s position (no filters: copying as before)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -40, max: 40 }), { minLength: 1, maxLength: 30 }), (qtys) => {
        let st: LeaderSymbolState = FLAT;
        for (const q of qtys) {
          st = advance(st, Decimal.from(q).div(4), undefined, LINKS, () => true);
          for (const id of LINKS) expect((st.parts[id]?.eligible ?? Decimal.ZERO).toString()).toBe(st.qty.toString());
        }
      }),
      { numRuns: 300, seed: 10 },
    );
  });
});

describe('planner (property)', () => {
  it('no order has a fractional short part; the legs land exactly on the target; a short target is whole shares', () => {
    const link = makeLink({ follower: 'F9', sizing: { mode: 'notional', value: 1000 } });
    const inst = { symbol: 'AAPL', assetClass: 'equity' as const, lotSize: Decimal.ONE, fractionalStep: Decimal.from('0.0001'), fractionable: true, tickSize: Decimal.from('0.01'), multiplier: Decimal.ONE, currency: 'USD' };
    const qty = fc.integer({ min: -200_000, max: 200_000 }).map((n) => Decimal.from(n).div(10_000));
    fc.assert(
      fc.property(qty, qty, fc.boolean(), (raw, cur, oneOrder) => {
        const current = cur.sign() < 0 ? cur.roundTowardZero(1) : cur;
        const p = plan({
          link, symbol: 'AAPL', leaderSymbol: 'AAPL', rawTarget: raw, current, step: Decimal.from('0.0001'), instrument: inst,
          price: Decimal.from(230), openPositions: 0, reversalInOneOrder: oneOrder,
        });
        if (p.target.sign() < 0) expect(p.target.isMultipleOf(1)).toBe(true);
        let pos = current;
        for (const l of p.legs) {
          const after = pos.add(signed(l.side, l.qty));
          if (after.sign() < 0) expect(l.qty.min(after.abs()).isMultipleOf(1), `${l.side} ${l.qty} from ${pos}`).toBe(true);
          pos = after;
        }
        expect(pos.toString()).toBe(p.target.toString());
      }),
      { numRuns: 1000, seed: 13 },
    );
  });
});

const F1 = accountId('F1');
const trade = fc.record({ symbol: fc.constantFrom('ES', 'MSFT', 'AAPL'), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 5 }) });

describe('eligibility through the engine (property)', () => {
  it('a denied symbol (any letter case) never gets an order, whatever the leader, the follower\'s own position or the reconciler do', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('es', 'Es', 'ES'), fc.integer({ min: -3, max: 3 }), fc.array(trade, { minLength: 1, maxLength: 12 }), async (deny, own, trades) => {
        const w = await createWorld({ links: [{ follower: 'F1', sizing: { mode: 'multiplier', value: 2 }, reconcilePolicy: 'repair', filters: { denySymbols: [deny] } }] });
        if (own !== 0) {
          w.exchange.submit(F1, { accountId: F1, clientOrderId: clientOrderId('own-es'), symbol: 'ES', side: own > 0 ? 'buy' : 'sell', qty: Decimal.from(Math.abs(own)), type: 'market', timeInForce: 'day', purpose: 'copy' });
        }
        for (const t of trades) {
          w.trade(t.symbol, t.side, t.qty);
          await w.settle();
        }
        await w.engine.reconcileNow('check');
        await w.settleFully();
        expect(w.followers.get(F1)!.requests.filter((r) => r.symbol === 'ES')).toEqual([]);
        expect(w.pos('F1', 'ES')).toBe(String(own));
        await w.engine.stop();
      }),
      { numRuns: 40, seed: 11 },
    );
  });
});

type Step = { kind: 'trade'; side: 'buy' | 'sell'; qty: number; tagged: boolean } | { kind: 'restart' };
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('trade' as const), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 6 }), tagged: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
);

/** Runs the steps (restarts only when `restarts`), returns the follower's final position per link. */
async function run(steps: readonly Step[], links: readonly LinkInput[], restarts: boolean): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-prop-'));
  const path = join(dir, 'journal.db');
  const clock = new TestClock();
  const exchange = new SimExchange({ clock, seed: 5 });
  let w: World = await createWorld({ clock, exchange, journal: openJournal(path, { now: () => clock.now() }), links });
  let n = 0;
  try {
    for (const s of steps) {
      if (s.kind === 'trade') {
        w.trade('ES', s.side, s.qty, `${s.tagged ? 'strat-' : 'hand-'}${++n}`);
        await w.settle();
      } else if (restarts) {
        await w.engine.stop();
        w.journal.close();
        w = await createWorld({ clock, exchange, journal: openJournal(path, { now: () => clock.now() }), links });
        await w.settleFully();
      }
    }
    await w.engine.reconcileNow('final');
    await w.settleFully();
    return links.map((l) => w.pos(l.follower, 'ES'));
  } finally {
    await w.engine.stop();
    w.journal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('restarts (property)', () => {
  it('restarts at any point on the same journal leave every follower where a run without restarts leaves it', async () => {
    const links: LinkInput[] = [
      { follower: 'F1', sizing: { mode: 'fixed', value: 3 }, reconcilePolicy: 'repair' },
      { follower: 'F2', sizing: { mode: 'multiplier', value: 1 }, reconcilePolicy: 'repair', filters: { tagPrefix: 'strat-' } },
      { follower: 'F3', sizing: { mode: 'multiplier', value: '0.5' }, reconcilePolicy: 'repair', filters: { direction: 'long_only' } },
    ];
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        expect(await run(steps, links, true)).toEqual(await run(steps, links, false));
      }),
      { numRuns: 25, seed: 12 },
    );
  });
});
