// Chaos scenario: a seeded (mulberry32) script of leader trades, simulator faults, SIGKILLs, restarts and halts.
import { mulberry32, pick, randomInt, type RandomSource } from '../../core/brokers/shared/random.js';
import type { RestFaultKind } from '../sims/alpaca/faults.js';

/** Whole-share, shortable, easy-to-borrow assets the harness adds to the simulator: targets round to whole shares. */
export const SYMBOLS = ['XWS', 'YWS'] as const;
export type ChaosSymbol = (typeof SYMBOLS)[number];

export interface FollowerSpec {
  readonly id: string;
  readonly multiplier: string;
}

export type Step =
  | { readonly kind: 'trade'; readonly symbol: ChaosSymbol; readonly side: 'buy' | 'sell'; readonly qty: number; readonly fills: readonly number[]; readonly label: string }
  | { readonly kind: 'rest_fault'; readonly follower: string; readonly fault: RestFaultKind; readonly when: 'before' | 'after'; readonly times: number }
  | { readonly kind: 'stream_fault'; readonly account: string; readonly fault: 'drop' | 'duplicate' | 'reorder' }
  | { readonly kind: 'fill_delay'; readonly ms: number }
  /** SIGKILL `afterMs` after the previous step; `whileDown` trades happen before the restart. */
  | { readonly kind: 'kill'; readonly afterMs: number; readonly whileDown: readonly Extract<Step, { kind: 'trade' }>[] }
  | { readonly kind: 'halt'; readonly scope: string; readonly cancelOpenOrders: boolean }
  | { readonly kind: 'pause'; readonly ms: number };

export interface Scenario {
  readonly seed: number;
  readonly followers: readonly FollowerSpec[];
  /** Runs with a halt need the bridge (the kill switch goes through the contract like a person's click). */
  readonly bridge: boolean;
  readonly steps: readonly Step[];
}

const MULTIPLIERS_THIRD = ['1.5', '-1', '2', '0.3'];

function split(random: RandomSource, qty: number): number[] {
  if (qty < 2 || random() >= 0.4) return [qty];
  const first = randomInt(random, 1, qty - 1);
  return [first, qty - first];
}

/** The next leader trade from the current positions: open, scale-in, partial exit, flat or reversal. */
function nextTrade(random: RandomSource, pos: Map<ChaosSymbol, number>): Extract<Step, { kind: 'trade' }> {
  const symbol = random() < 0.75 ? SYMBOLS[0] : SYMBOLS[1];
  const l = pos.get(symbol) ?? 0;
  let delta: number;
  let label: string;
  if (l === 0) {
    delta = randomInt(random, 1, 8) * (random() < 0.5 ? 1 : -1);
    label = 'open';
  } else {
    const dir = Math.sign(l);
    const kind = pick(random, ['scale_in', 'partial_exit', 'flat', 'reversal'] as const);
    label = kind;
    if (kind === 'scale_in') delta = dir * randomInt(random, 1, 5);
    else if (kind === 'partial_exit' && Math.abs(l) > 1) delta = -dir * randomInt(random, 1, Math.abs(l) - 1);
    else if (kind === 'reversal') delta = -dir * (Math.abs(l) + randomInt(random, 1, 6));
    else {
      delta = -l;
      label = 'flat';
    }
  }
  pos.set(symbol, l + delta);
  const qty = Math.abs(delta);
  return { kind: 'trade', symbol, side: delta > 0 ? 'buy' : 'sell', qty, fills: split(random, qty), label };
}

export function makeScenario(seed: number): Scenario {
  const random = mulberry32(seed);
  const followers: FollowerSpec[] = [
    { id: 'f-one', multiplier: '1' },
    { id: 'f-half', multiplier: '0.5' },
  ];
  if (random() < 0.6) followers.push({ id: 'f-third', multiplier: pick(random, MULTIPLIERS_THIRD) });
  const withHalt = random() < 0.3;
  const trades = randomInt(random, 4, 6);
  const kills = random() < 0.3 ? 2 : 1;
  const killAt = new Set<number>();
  while (killAt.size < kills) killAt.add(randomInt(random, 0, trades - 1));
  const haltAt = withHalt ? randomInt(random, 1, trades - 2) : -1;
  const pos = new Map<ChaosSymbol, number>();
  const steps: Step[] = [];
  for (let i = 0; i < trades; i++) {
    if (random() < 0.5) {
      const f = pick(random, followers).id;
      const fault = pick(random, ['500', '503', '429', 'drop'] as const);
      steps.push({ kind: 'rest_fault', follower: f, fault, when: random() < 0.5 ? 'before' : 'after', times: randomInt(random, 1, 2) });
    }
    if (random() < 0.25) {
      const account = random() < 0.5 ? 'leader' : pick(random, followers).id;
      steps.push({ kind: 'stream_fault', account, fault: account === 'leader' ? pick(random, ['drop', 'duplicate', 'reorder'] as const) : 'drop' });
    }
    if (random() < 0.15) steps.push({ kind: 'fill_delay', ms: pick(random, [2, 40, 150]) });
    if (i === haltAt) {
      const scope = random() < 0.5 ? 'global' : pick(random, followers).id;
      steps.push({ kind: 'halt', scope, cancelOpenOrders: random() < 0.5 });
    }
    steps.push(nextTrade(random, pos));
    if (killAt.has(i)) {
      const afterMs = randomInt(random, 0, 60);
      steps.push({ kind: 'kill', afterMs, whileDown: random() < 0.4 ? [nextTrade(random, pos)] : [] });
    }
    else steps.push({ kind: 'pause', ms: randomInt(random, 0, 150) });
  }
  if (random() < 0.5) {
    const flat: Step[] = [];
    for (const [symbol, l] of pos) {
      if (l !== 0) flat.push({ kind: 'trade', symbol, side: l > 0 ? 'sell' : 'buy', qty: Math.abs(l), fills: [Math.abs(l)], label: 'flat' });
    }
    steps.push(...flat);
  }
  return { seed, followers, bridge: withHalt, steps };
}
