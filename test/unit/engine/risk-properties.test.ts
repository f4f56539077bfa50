// Issue 13 property test (fast-check): whatever the sequence of leader trades, price moves, time (day resets), engine
// restarts on the same journal file, guard edits and a person's locks and unlocks, no exposure-increasing order ever
// reaches the venue for a blocked account, and nothing but flatten orders for a locked one. Checked at the very last
// step before the wire (inside the adapter's send gate, after the engine's own answer) against the venue's position.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimExchange } from '../../../core/brokers/sim/index.js';
import { Decimal } from '../../../core/domain/decimal.js';
import type { GuardSettingsInput } from '../../../core/domain/guard-settings.js';
import { accountId } from '../../../core/domain/ids.js';
import type { OrderRequest } from '../../../core/domain/order.js';
import { openJournal } from '../../../core/store/index.js';
import { TestClock } from '../../support/test-clock.js';
import type { World } from './harness.js';
import { configureGuards, riskWorld, settleRisk } from './risk-world.js';

const action = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('trade' as const), side: fc.constantFrom('buy' as const, 'sell' as const), qty: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('price' as const), points: fc.integer({ min: -45, max: 45 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('time' as const), ms: fc.constantFrom(1_000, 60_000, 4 * 3_600_000) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('restart' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('edit' as const), limit: fc.constantFrom('150', '300', '600'), f2: fc.constantFrom('block' as const, 'flatten_lock' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('person' as const), lock: fc.boolean(), who: fc.constantFrom('F1', 'F2', 'F3') }) },
);
type Action = typeof action extends fc.Arbitrary<infer T> ? T : never;

const links = ['F1', 'F2', 'F3'].map((follower) => ({ follower, sizing: { mode: 'multiplier' as const, value: '1' } }));

interface Run {
  clock: TestClock;
  exchange: SimExchange;
  path: string;
  world: World;
  guards: Record<string, GuardSettingsInput>;
  violations: string[];
  tag: number;
}

/** Wraps every follower adapter's send gate: when the engine lets an order through, the account's risk state then must allow it. */
function watch(run: Run): void {
  for (const [id, adapter] of run.world.followers) {
    const submit = adapter.submitOrder.bind(adapter);
    adapter.submitOrder = (req, gate) =>
      submit(req, () => {
        const refused = gate?.();
        if (refused === undefined) check(run, id, req);
        return refused;
      });
  }
}

function check(run: Run, id: string, req: OrderRequest): void {
  const state = run.world.engine.riskStatus(accountId(id)).accounts[0]?.state;
  if (req.purpose === 'flatten' || (state !== 'locked' && state !== 'blocked')) return;
  if (state === 'locked') return void run.violations.push(`${id} locked, sent ${req.purpose} ${req.side} ${req.qty}`);
  const pos = run.exchange.position(id, req.symbol);
  const sameSide = run.exchange.openOrders(id).filter((o) => o.symbol === req.symbol && o.side === req.side);
  const pending = sameSide.reduce((a, o) => a.add(o.qty.sub(o.filledQty)), Decimal.ZERO);
  const reduces = !pos.isZero() && (req.side === 'sell') === pos.sign() > 0 && !pending.add(req.qty).gt(pos.abs());
  if (!reduces) run.violations.push(`${id} blocked at ${pos}, sent ${req.purpose} ${req.side} ${req.qty}`);
}

async function open(run: Run): Promise<void> {
  const journal = openJournal(run.path, { now: () => run.clock.now() });
  run.world = await riskWorld({ clock: run.clock, exchange: run.exchange, journal, links, guards: run.guards });
  watch(run);
}

async function step(run: Run, a: Action): Promise<void> {
  const w = run.world;
  switch (a.kind) {
    case 'trade':
      w.trade('MES', a.side, a.qty, `t${++run.tag}`);
      break;
    case 'price':
      w.exchange.setPrice('MES', Decimal.from('6000').add(a.points));
      break;
    case 'time':
      await w.clock.advanceAsync(a.ms);
      break;
    case 'restart':
      await w.engine.stop();
      w.journal.close();
      await open(run);
      break;
    case 'edit':
      run.guards = { F1: { dailyLoss: { limit: a.limit, action: 'flatten_lock' } }, F2: { dailyLoss: { limit: a.limit, action: a.f2 } } };
      configureGuards(w, run.guards);
      break;
    case 'person':
      if (a.lock) await w.engine.lockAccount(accountId(a.who), 'property test', 'tester');
      else w.engine.unlockAccount(accountId(a.who), 'property test', 'tester');
      break;
  }
  await settleRisk(run.world);
}

describe('risk gate property', () => {
  it('issue 13 #9: no exposure-increasing order ever leaves for a blocked or locked account (prices, fills, restarts, edits)', async () => {
    const seen = { blocked: 0, locked: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 4, maxLength: 16 }), async (actions) => {
        const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-risk-prop-'));
        const clock = new TestClock();
        const exchange = new SimExchange({ clock, seed: 3 });
        const guards = { F1: { dailyLoss: { limit: '300', action: 'flatten_lock' as const } }, F2: { dailyLoss: { limit: '300', action: 'block' as const } } };
        const run = { clock, exchange, path: join(dir, 'journal.db'), guards, violations: [], tag: 0 } as unknown as Run;
        try {
          await open(run);
          for (const a of actions) {
            await step(run, a);
            for (const id of ['F1', 'F2']) {
              const st = run.world.engine.riskStatus(accountId(id)).accounts[0]?.state;
              if (st === 'blocked') seen.blocked++;
              if (st === 'locked') seen.locked++;
            }
          }
          await run.world.engine.stop();
          run.world.journal.close();
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        expect(run.violations).toEqual([]);
      }),
      { numRuns: 20, seed: 1313 },
    );
    // The runs did reach the states the property is about.
    expect(seen.blocked).toBeGreaterThan(0);
    expect(seen.locked).toBeGreaterThan(0);
  }, 240_000);
});
