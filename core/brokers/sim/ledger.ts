// SimLedger: one simulated account's money and positions (average price, realised and unrealised P&L).
import { Decimal } from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';

export interface LedgerPosition {
  /** Signed: positive long, negative short. */
  readonly qty: Decimal;
  readonly avgPrice: Decimal;
}

/**
 * Cash moves only by realised P&L (every instrument is margined, futures-style), so
 * equity = cash + sum(qty * (last - avg) * multiplier) and day P&L = equity - starting cash.
 */
export class SimLedger {
  readonly startCash: Decimal;
  private cashBalance: Decimal;
  private readonly book = new Map<string, LedgerPosition>();

  constructor(cash: Decimal) {
    this.startCash = cash;
    this.cashBalance = cash;
  }

  get cash(): Decimal {
    return this.cashBalance;
  }

  position(symbol: string): LedgerPosition | undefined {
    return this.book.get(symbol);
  }

  /** Open positions, sorted by symbol. */
  positions(): [string, LedgerPosition][] {
    return [...this.book.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Books a signed fill; returns the signed position after it. */
  applyFill(inst: Instrument, delta: Decimal, price: Decimal): Decimal {
    const cur = this.book.get(inst.symbol);
    const qty = cur?.qty ?? Decimal.ZERO;
    const avg = cur?.avgPrice ?? Decimal.ZERO;
    const after = qty.add(delta);
    if (qty.isZero() || qty.sign() === delta.sign()) {
      const cost = qty.abs().mul(avg).add(delta.abs().mul(price));
      this.book.set(inst.symbol, { qty: after, avgPrice: cost.div(after.abs()) });
      return after;
    }
    const closing = delta.abs().min(qty.abs());
    const perUnit = qty.sign() > 0 ? price.sub(avg) : avg.sub(price);
    this.cashBalance = this.cashBalance.add(closing.mul(perUnit).mul(inst.multiplier));
    if (after.isZero()) this.book.delete(inst.symbol);
    else if (after.sign() === qty.sign()) this.book.set(inst.symbol, { qty: after, avgPrice: avg });
    else this.book.set(inst.symbol, { qty: after, avgPrice: price });
    return after;
  }

  unrealised(inst: Instrument, last: Decimal): Decimal {
    const pos = this.book.get(inst.symbol);
    return pos ? pos.qty.mul(last.sub(pos.avgPrice)).mul(inst.multiplier) : Decimal.ZERO;
  }
}
