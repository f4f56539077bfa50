// The planner (pure): rounds a raw target toward zero (whole lots for a short target: no venue takes fractional
// shorts), keeps symbols out of the link's scope untouched, applies caps to the exposure-increasing part, and turns
// target - (position + in-flight) into one order, or close + open when the order cannot cross zero in one piece.
// Eligibility filters are not applied here: they shaped the eligible part the raw target was sized from.
import { Decimal } from '../domain/decimal.js';
import type { Instrument } from '../domain/instrument.js';
import { sideOf, type Side } from '../domain/side.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import { scopeReason } from './filters.js';
import { lotOf } from './sizing.js';

export interface PlanInput {
  readonly link: LinkConfig;
  readonly symbol: string;
  readonly leaderSymbol: string;
  /** Signed, unrounded follower target from sizing. */
  readonly rawTarget: Decimal;
  /** Follower position + in-flight qty, signed. */
  readonly current: Decimal;
  readonly step: Decimal;
  readonly instrument: Instrument;
  /** A recent price for notional filters and caps (leader fill price). */
  readonly price: Decimal | undefined;
  /** Follower symbols currently open (position or in-flight), for maxOpenPositions. */
  readonly openPositions: number;
  readonly reversalInOneOrder: boolean;
}

export interface PlanLeg {
  readonly side: Side;
  readonly qty: Decimal;
  /** True when this leg adds exposure (opens or scales in); false for reductions and closes. */
  readonly increasing: boolean;
}

export interface PlanNote {
  readonly code: 'rounds_to_zero' | 'filtered' | 'cap_limited';
  /** Written when read: most notes are dropped by the alert throttle, and the text costs decimal formatting. */
  readonly message: string;
}

/** A note whose text is written on first read (a class: an object literal with a getter is built by the runtime, slowly). */
class LazyNote implements PlanNote {
  constructor(
    readonly code: PlanNote['code'],
    private readonly text: () => string,
  ) {}

  get message(): string {
    return this.text();
  }
}

const note = (code: PlanNote['code'], text: () => string): PlanNote => new LazyNote(code, text);

export interface Plan {
  /** Final signed target after rounding, filters and caps. */
  readonly target: Decimal;
  readonly legs: readonly PlanLeg[];
  readonly notes: readonly PlanNote[];
}

const NO_NOTES: readonly PlanNote[] = [];

function leg(delta: Decimal, step: Decimal, increasing: boolean, exact: boolean): PlanLeg | undefined {
  const qty = exact ? delta.abs() : delta.abs().roundTowardZero(step);
  return qty.isZero() ? undefined : { side: sideOf(delta), qty, increasing };
}

/** Limits the magnitude of an increasing target by the link's caps; never below |base| (caps never force exits). */
function capMagnitude(p: PlanInput, target: Decimal, base: Decimal, step: Decimal): { lim: Decimal; why: string[] } {
  const caps = p.link.caps;
  const floor = base.abs();
  let lim = target.abs();
  const why: string[] = [];
  if (caps.maxPositionQty && lim.gt(caps.maxPositionQty)) {
    lim = caps.maxPositionQty;
    why.push(`max position ${caps.maxPositionQty}`);
  }
  if (caps.maxPositionNotional) {
    if (!p.price || p.price.sign() <= 0) {
      lim = floor;
      why.push('no price to check the max position notional');
    } else {
      const capQty = caps.maxPositionNotional.div(p.price.mul(p.instrument.multiplier));
      if (lim.gt(capQty)) {
        lim = capQty;
        why.push(`max position notional ${caps.maxPositionNotional}`);
      }
    }
  }
  if (caps.maxOpenPositions !== undefined && p.current.isZero() && p.openPositions >= caps.maxOpenPositions) {
    lim = Decimal.ZERO;
    why.push(`max open positions ${caps.maxOpenPositions}`);
  }
  lim = lim.max(floor);
  if (caps.maxOrderQty && lim.sub(floor).gt(caps.maxOrderQty)) {
    lim = floor.add(caps.maxOrderQty);
    why.push(`max order qty ${caps.maxOrderQty}`);
  }
  return { lim: floor.add(lim.sub(floor).roundTowardZero(step)), why };
}

const hasCaps = (caps: LinkConfig['caps']): boolean =>
  caps.maxPositionQty !== undefined || caps.maxPositionNotional !== undefined || caps.maxOpenPositions !== undefined || caps.maxOrderQty !== undefined;

export function plan(p: PlanInput): Plan {
  const { current, step } = p;
  const outOfScope = scopeReason(p.link, p.leaderSymbol, p.symbol);
  if (outOfScope) return { target: current, legs: [], notes: [note('filtered', () => `${p.symbol}: ${outOfScope}; not traded on this follower`)] };
  const lot = lotOf(p.instrument);
  const targetStep = p.rawTarget.sign() < 0 ? lot : step;
  let target = p.rawTarget.roundTowardZero(targetStep);
  let notes = NO_NOTES;
  if (target.isZero() && !p.rawTarget.isZero() && current.isZero()) {
    notes = [note('rounds_to_zero', () => `target ${p.rawTarget} ${p.symbol} rounds to 0 at lot ${targetStep}; not copied`)];
  }
  const sameSide = target.sign() === current.sign();
  const increasing = !target.isZero() && (!sameSide || target.abs().gt(current.abs()));
  // Without caps, an opening from flat (or across zero) keeps its rounded target: capMagnitude would give it back.
  if (increasing && (sameSide || hasCaps(p.link.caps))) {
    const base = sameSide ? current : Decimal.ZERO;
    const { lim, why } = capMagnitude(p, target, base, targetStep);
    if (lim.lt(target.abs())) {
      const limited = target;
      notes = [note('cap_limited', () => `${p.symbol}: target ${limited} limited to ${lim} by ${why.join(', ')}`)];
      target = target.sign() < 0 ? lim.neg() : lim;
    }
  }
  const delta = target.sub(current);
  if (delta.isZero()) return { target, legs: [], notes };
  const crosses = !current.isZero() && !target.isZero() && current.sign() !== target.sign();
  const legs: PlanLeg[] = [];
  // A fractional position never reverses in one order: the short part of a leg is whole lots only.
  if (crosses && (!p.reversalInOneOrder || !current.isMultipleOf(lot) || !target.isMultipleOf(lot))) {
    const close = leg(current.neg(), step, false, true);
    const open = leg(target, targetStep, true, false);
    if (close) legs.push(close);
    if (open) legs.push(open);
  } else {
    const grows = !target.isZero() && (crosses || target.abs().gt(current.abs()));
    const one = leg(delta, step, grows, target.isZero());
    if (one) legs.push(one);
  }
  return { target, legs, notes };
}
