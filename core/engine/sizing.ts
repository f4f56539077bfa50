// Sizing: the unrounded follower target for one leader symbol under a link's sizing mode, mapping factor and reverse.
import { Decimal } from '../domain/decimal.js';
import type { Instrument } from '../domain/instrument.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { LeaderSymbolState } from './leader-book.js';

export type SizeResult = { readonly ok: true; readonly qty: Decimal } | { readonly ok: false; readonly reason: string };

/** min(1, |L| / peak): how much of the episode's peak the leader still holds. */
function episodeScale(st: LeaderSymbolState): Decimal {
  if (st.peak.isZero()) return Decimal.ONE;
  return st.qty.abs().div(st.peak).min(Decimal.ONE);
}

/**
 * Signed follower quantity (in follower units, before rounding) that mirrors leader state st.
 * equityRatio = follower equity / leader equity (equity mode only).
 */
export function sizeTarget(
  link: LinkConfig,
  st: LeaderSymbolState,
  factor: Decimal,
  follower: Instrument,
  equityRatio: Decimal | undefined,
): SizeResult {
  if (st.qty.isZero()) return { ok: true, qty: Decimal.ZERO };
  const value = link.sizing.value;
  let qty: Decimal;
  switch (link.sizing.mode) {
    case 'multiplier':
      qty = st.qty.mul(value);
      break;
    case 'fixed':
      qty = value.mul(episodeScale(st));
      if (st.qty.sign() < 0) qty = qty.neg();
      break;
    case 'equity':
      if (!equityRatio) return { ok: false, reason: 'account equity not known yet for equity sizing' };
      qty = st.qty.mul(equityRatio).mul(value);
      break;
    case 'notional': {
      const entry = st.entryPrice;
      if (!entry || entry.sign() <= 0) return { ok: false, reason: 'no leader entry price for notional sizing' };
      qty = value.div(entry.mul(follower.multiplier)).mul(episodeScale(st));
      if (st.qty.sign() < 0) qty = qty.neg();
      break;
    }
  }
  qty = qty.mul(factor);
  return { ok: true, qty: link.reverse ? qty.neg() : qty };
}

/** The quantity step orders for this instrument must use. */
export function quantityStep(inst: Instrument, fractionalAllowed: boolean, orderIsMarket: boolean): Decimal {
  if (inst.fractionable && fractionalAllowed && orderIsMarket && inst.fractionalStep && inst.fractionalStep.sign() > 0) {
    return inst.fractionalStep;
  }
  return inst.lotSize.sign() > 0 ? inst.lotSize : Decimal.ONE;
}
