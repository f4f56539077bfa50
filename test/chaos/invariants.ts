// Chaos invariants, judged from the simulator's own books (never from the app's journal or its view of itself):
//  (a) duplicates: every client_order_id appears at most once per follower, and a follower's gross filled volume per
//      symbol never exceeds the least volume that follows its target path (sum of |target_i - target_i-1| over every
//      leader fill, from 0): any order the plan did not need shows up as excess volume;
//  (b) converged: every follower that is not halted holds exactly trunc(leader position x multiplier) (whole shares)
//      and has no working order left;
//  (c) after a halt answered ok, no new order is accepted for a halted follower (restarts included).
import { Decimal } from '../../core/domain/decimal.js';
import type { AlpacaSim } from '../sims/alpaca/server.js';
import type { SimOrder } from '../sims/alpaca/wire.js';
import type { FollowerSpec } from './scenario.js';

export interface Books {
  readonly sim: AlpacaSim;
  readonly keyOf: (accountId: string) => string;
  readonly followers: readonly FollowerSpec[];
  /** Every leader position per symbol, one entry after each leader fill, in order. */
  readonly leaderPath: ReadonlyMap<string, readonly number[]>;
  /** Per halted follower: the ids of its orders when the halt answered. */
  readonly haltedWith: ReadonlyMap<string, ReadonlySet<string>>;
}

export interface Verdict {
  readonly duplicates: string[];
  readonly unconverged: string[];
  readonly ordersAfterHalt: string[];
}

export const target = (leader: number, multiplier: string): Decimal => Decimal.from(leader).mul(multiplier).roundTowardZero(1);

const OPEN = ['new', 'accepted', 'partially_filled', 'pending_new', 'held'];

function minimalVolume(path: readonly number[], multiplier: string): Decimal {
  let prev = Decimal.ZERO;
  let sum = Decimal.ZERO;
  for (const l of path) {
    const t = target(l, multiplier);
    sum = sum.add(t.sub(prev).abs());
    prev = t;
  }
  return sum;
}

const describeOrder = (o: SimOrder) => `${o.side} ${o.qty} ${o.symbol} ${o.clientOrderId} (${o.status}, filled ${o.filledQty})`;

export function judge(b: Books): Verdict {
  const v: Verdict = { duplicates: [], unconverged: [], ordersAfterHalt: [] };
  for (const f of b.followers) {
    const key = b.keyOf(f.id);
    const orders = b.sim.orders(key);
    const seen = new Map<string, number>();
    for (const o of orders) seen.set(o.clientOrderId, (seen.get(o.clientOrderId) ?? 0) + 1);
    for (const [cid, n] of seen) if (n > 1) v.duplicates.push(`${f.id}: client order id ${cid} used by ${n} orders`);
    for (const [symbol, path] of b.leaderPath) {
      const mine = orders.filter((o) => o.symbol === symbol);
      const gross = mine.reduce((s, o) => s.add(o.filledQty), Decimal.ZERO);
      const need = minimalVolume(path, f.multiplier);
      if (gross.gt(need)) {
        v.duplicates.push(`${f.id} ${symbol}: filled ${gross} shares where the target path needs ${need} ` +
          `(targets ${path.map((l) => target(l, f.multiplier).toString()).join(' -> ')}; orders: ${mine.map(describeOrder).join('; ')})`);
      }
    }
    const halted = b.haltedWith.get(f.id);
    if (halted) {
      for (const o of orders) if (!halted.has(o.id)) v.ordersAfterHalt.push(`${f.id}: ${describeOrder(o)} accepted after the halt`);
      continue;
    }
    for (const [symbol, path] of b.leaderPath) {
      const want = target(path.at(-1) ?? 0, f.multiplier);
      const have = b.sim.position(key, symbol);
      if (!have.eq(want)) v.unconverged.push(`${f.id} ${symbol}: holds ${have}, target ${want} (leader ${path.at(-1) ?? 0} x ${f.multiplier})`);
    }
    const working = orders.filter((o) => OPEN.includes(o.status));
    if (working.length > 0) v.unconverged.push(`${f.id}: orders still working: ${working.map(describeOrder).join('; ')}`);
  }
  return v;
}

/** True when every follower's books already satisfy (b); used to wait for settling. */
export const converged = (b: Books): boolean => judge(b).unconverged.length === 0;
