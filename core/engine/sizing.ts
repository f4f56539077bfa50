// Sizing: the unrounded follower target for one leader symbol from a link's eligible part E (state/episodes.ts) under
// its sizing mode. Multiply before dividing (a quotient truncated at 9 decimals and then multiplied loses a lot:
// 3 x 4/6 = 1.999999998). The mapping factor converts leader units and so applies to `multiplier` and `equity` only;
// `fixed` and `notional` sizes are already in follower units.
import { Decimal } from '../domain/decimal.js';
import type { Instrument } from '../domain/instrument.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { LeaderSymbolState, LinkPart } from './state/episodes.js';

export type SizeResult = { readonly ok: true; readonly qty: Decimal } | { readonly ok: false; readonly reason: string };

/** Follower and leader equity, for equity sizing. */
export interface EquityPair {
  readonly follower: Decimal;
  readonly leader: Decimal;
}

const ZERO: SizeResult = { ok: true, qty: Decimal.ZERO };

/** Signed follower quantity (in follower units, before rounding) that mirrors the link's part of leader state st. */
export function sizeTarget(
  link: LinkConfig,
  st: LeaderSymbolState,
  part: LinkPart,
  factor: Decimal,
  follower: Instrument,
  equity: EquityPair | undefined,
): SizeResult {
  const e = part.eligible;
  if (st.qty.isZero() || e.isZero() || part.exited !== undefined) return ZERO;
  const value = link.sizing.value;
  let qty: Decimal;
  switch (link.sizing.mode) {
    case 'multiplier':
      // A factor of exactly 1 (unmapped symbols) is skipped: x * 1 truncates to x.
      qty = factor === Decimal.ONE ? e.mul(value) : e.mul(value).mul(factor);
      break;
    case 'fixed':
      // value x |E| / peak(E): the fixed size while open, scaled down in proportion on partial exits.
      qty = value.mul(e).div(part.peak.isZero() ? e.abs() : part.peak);
      break;
    case 'equity':
      if (!equity) return { ok: false, reason: 'account equity not known yet for equity sizing' };
      qty = e.mul(value).mul(factor).mul(equity.follower).div(equity.leader);
      break;
    case 'notional': {
      const entry = st.entryPrice ?? st.lastPrice;
      if (!entry || entry.sign() <= 0) return { ok: false, reason: 'no leader entry price for notional sizing' };
      // value x |E| / (entry x multiplier x peak(E)): money per position at the entry, scaled on partial exits.
      const per = entry.mul(follower.multiplier).mul(part.peak.isZero() ? e.abs() : part.peak);
      qty = value.mul(e).div(per);
      break;
    }
  }
  return { ok: true, qty: link.reverse ? qty.neg() : qty };
}

/** The quantity step orders for this instrument must use. */
export function quantityStep(inst: Instrument, fractionalAllowed: boolean, orderIsMarket: boolean): Decimal {
  if (inst.fractionable && fractionalAllowed && orderIsMarket && inst.fractionalStep && inst.fractionalStep.sign() > 0) {
    return inst.fractionalStep;
  }
  return lotOf(inst);
}

/** The instrument's whole lot (1 when it does not say): the step for any part of an order that is or becomes short. */
export function lotOf(inst: Instrument): Decimal {
  return inst.lotSize.sign() > 0 ? inst.lotSize : Decimal.ONE;
}
