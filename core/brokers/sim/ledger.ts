// SimLedger: one simulated account's money and positions (average price, realised and unrealised P&L).
import { Decimal } from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';

export interface LedgerPosition {
  /** The instrument's symbol (futures: the root; the ledger key is then the contract id). */
  readonly symbol: string;
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

  /** By ledger key: the symbol, or for futures the contract id. */
  position(key: string): LedgerPosition | undefined {
    return this.book.get(key);
  }

  /** Signed net position of a symbol across every contract it is held in. */
  net(symbol: string): Decimal {
    let qty = Decimal.ZERO;
    for (const p of this.book.values()) if (p.symbol === symbol) qty = qty.add(p.qty);
    return qty;
  }

  /** Open positions by ledger key, sorted by key. */
  positions(): [string, LedgerPosition][] {
    return [...this.book.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Books a signed fill under `key` (default the symbol); returns the signed position of that key after it. */
  applyFill(inst: Instrument, delta: Decimal, price: Decimal, key = inst.symbol): Decimal {
    const symbol = inst.symbol;
    const cur = this.book.get(key);
    const qty = cur?.qty ?? Decimal.ZERO;
    const avg = cur?.avgPrice ?? Decimal.ZERO;
    const after = qty.add(delta);
    if (qty.isZero() || qty.sign() === delta.sign()) {
      const cost = qty.abs().mul(avg).add(delta.abs().mul(price));
      this.book.set(key, { symbol, qty: after, avgPrice: cost.div(after.abs()) });
      return after;
    }
    const closing = delta.abs().min(qty.abs());
    const perUnit = qty.sign() > 0 ? price.sub(avg) : avg.sub(price);
    this.cashBalance = this.cashBalance.add(closing.mul(perUnit).mul(inst.multiplier));
    if (after.isZero()) this.book.delete(key);
    else if (after.sign() === qty.sign()) this.book.set(key, { symbol, qty: after, avgPrice: avg });
    else this.book.set(key, { symbol, qty: after, avgPrice: price });
    return after;
  }

  unrealised(inst: Instrument, last: Decimal, key = inst.symbol): Decimal {
    const pos = this.book.get(key);
    return pos ? pos.qty.mul(last.sub(pos.avgPrice)).mul(inst.multiplier) : Decimal.ZERO;
  }
}
