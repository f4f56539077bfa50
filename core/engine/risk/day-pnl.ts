// Day P&L of one account: realized (broker's or from the book's own fill ledger), unrealized from marks, fees.
import { Decimal } from '../../domain/decimal.js';
import type { RiskFill, RiskPosition } from './types.js';

interface Held {
  readonly instrumentId: string;
  /** qty x multiplier: money per point of the whole position. */
  readonly perPoint: Decimal;
  readonly avgPrice: Decimal | undefined;
  mark: Decimal | undefined;
  /** qty x (mark - avgPrice) x multiplier; undefined while the position has no mark or no average price. */
  open: Decimal | undefined;
  /** |qty x (mark, else avgPrice) x multiplier|. */
  value: Decimal | undefined;
  /** Held over a day reset without a price: its open P&L at its first price is carried in (taken off realized). */
  carryPending: boolean;
}

interface Lot {
  qty: Decimal;
  avg: Decimal;
}

/**
 * Positions as the broker reports them (marked to market incrementally: a new mark adjusts one position's share of the
 * open P&L) and a fill ledger (qty and average price per instrument, moved by fills only) that prices realized P&L when
 * the broker does not report it. The ledger is seeded from the broker's position when it has no entry (a restart) and
 * takes the broker's average price while both agree on the quantity; a position update that arrives before its fill
 * therefore does not lose the fill's realized P&L.
 */
export class DayPnl {
  private readonly held = new Map<string, Held>();
  private readonly ledger = new Map<string, Lot>();
  realized = Decimal.ZERO;
  fees = Decimal.ZERO;
  unrealized = Decimal.ZERO;
  private unmarked = 0;
  /** The position of the largest value, kept as marks move; rescanned only when it shrinks or goes. */
  private top: Held | undefined;
  private topStale = false;
  private topBefore = 0n;

  get marked(): boolean {
    return this.unmarked === 0;
  }

  get net(): Decimal {
    return this.realized.add(this.unrealized).sub(this.fees);
  }

  instruments(): IterableIterator<string> {
    return this.held.keys();
  }

  /** Replaces (or with qty 0 removes) a position; `lastPrice` marks it when the instrument was quoted before. */
  setPosition(p: RiskPosition, lastPrice: Decimal | undefined): void {
    const old = this.held.get(p.instrumentId);
    if (old) this.drop(old);
    const lot = this.ledger.get(p.instrumentId);
    if (!lot || lot.qty.isZero()) {
      if (!p.qty.isZero() && p.avgPrice) this.ledger.set(p.instrumentId, { qty: p.qty, avg: p.avgPrice });
    } else if (lot.qty.eq(p.qty) && p.avgPrice) {
      lot.avg = p.avgPrice;
    }
    if (p.qty.isZero()) {
      this.held.delete(p.instrumentId);
      return;
    }
    const h: Held = {
      instrumentId: p.instrumentId,
      perPoint: p.qty.mul(p.multiplier),
      avgPrice: p.avgPrice,
      mark: old?.mark ?? lastPrice,
      open: undefined,
      value: undefined,
      carryPending: old?.carryPending ?? false,
    };
    this.held.set(p.instrumentId, h);
    this.add(h);
  }

  /** A new price for an instrument; false when the account does not hold it or the mark did not move. */
  mark(instrumentId: string, price: Decimal): boolean {
    const h = this.held.get(instrumentId);
    if (!h || (h.mark && h.mark.eq(price))) return false;
    this.drop(h);
    h.mark = price;
    this.add(h);
    return true;
  }

  applyFill(f: RiskFill): void {
    if (f.fees) this.fees = this.fees.add(f.fees);
    const lot = this.ledger.get(f.instrumentId);
    let computed = Decimal.ZERO;
    if (!lot || lot.qty.isZero()) {
      this.ledger.set(f.instrumentId, { qty: f.qty, avg: f.price });
    } else if (lot.qty.sign() === f.qty.sign()) {
      const qty = lot.qty.add(f.qty);
      lot.avg = lot.avg.mul(lot.qty).add(f.price.mul(f.qty)).div(qty);
      lot.qty = qty;
    } else {
      const closing = lot.qty.abs().min(f.qty.abs());
      const direction = lot.qty.sign() > 0 ? closing : closing.neg();
      computed = f.price.sub(lot.avg).mul(direction).mul(f.multiplier);
      const qty = lot.qty.add(f.qty);
      if (qty.isZero() || qty.sign() === lot.qty.sign()) lot.qty = qty;
      else this.ledger.set(f.instrumentId, { qty, avg: f.price });
    }
    this.realized = this.realized.add(f.realizedPnl ?? computed);
  }

  /** The largest |qty x price x multiplier| of one position (mark, else average price). */
  largestPositionValue(): { instrumentId: string; value: Decimal } | undefined {
    if (this.topStale) {
      this.top = undefined;
      for (const h of this.held.values()) if (h.value && (!this.top?.value || h.value.units > this.top.value.units)) this.top = h;
      this.topStale = false;
    }
    const top = this.top;
    return top?.value && { instrumentId: top.instrumentId, value: top.value };
  }

  /** Starts a new trading day: realized and fees zeroed, the open P&L carried in is taken off the new day's realized
   * (so day P&L counts only today's moves of positions held overnight, whichever way they later close); a position
   * without a price yet is carried in at its first price. */
  newDay(): void {
    this.realized = this.unrealized.neg();
    this.fees = Decimal.ZERO;
    for (const h of this.held.values()) if (!h.open) h.carryPending = true;
  }

  private drop(h: Held): void {
    if (h.open) this.unrealized = this.unrealized.sub(h.open);
    else this.unmarked--;
    if (h === this.top && !this.topStale) {
      this.topStale = true;
      this.topBefore = h.value?.units ?? 0n;
    }
  }

  private add(h: Held): void {
    h.open = h.mark && h.avgPrice ? h.perPoint.mul(h.mark.sub(h.avgPrice)) : undefined;
    const price = h.mark ?? h.avgPrice;
    h.value = price && h.perPoint.mul(price).abs();
    if (h.open) this.unrealized = this.unrealized.add(h.open);
    else this.unmarked++;
    if (h.open && h.carryPending) {
      this.realized = this.realized.sub(h.open);
      h.carryPending = false;
    }
    if (!h.value) return;
    // The top position grew or stayed: still the top. Any other position passing the top: the new top.
    if (this.topStale && h === this.top && h.value.units >= this.topBefore) this.topStale = false;
    else if (!this.topStale && (!this.top?.value || h.value.units > this.top.value.units)) this.top = h;
  }
}
