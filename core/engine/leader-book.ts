// Leader positions as the engine tracks them: signed net qty per symbol plus the episode facts sizing needs.
import { Decimal } from '../domain/decimal.js';
import type { Execution, Position } from '../domain/order.js';
import { signed } from '../domain/side.js';

/** One leader symbol: net position, the peak |position| of the current episode and the episode's entry price. */
export interface LeaderSymbolState {
  readonly qty: Decimal;
  readonly peak: Decimal;
  readonly entryPrice?: Decimal;
  readonly lastPrice?: Decimal;
}

export const FLAT: LeaderSymbolState = { qty: Decimal.ZERO, peak: Decimal.ZERO };

/** The leader state after a position change to qty at price (a new episode starts when the sign changes). */
export function moveTo(prev: LeaderSymbolState, qty: Decimal, price: Decimal | undefined): LeaderSymbolState {
  const lastPrice = price ?? prev.lastPrice;
  if (qty.isZero()) return lastPrice ? { qty, peak: Decimal.ZERO, lastPrice } : FLAT;
  const abs = qty.abs();
  if (qty.sign() !== prev.qty.sign()) {
    return { qty, peak: abs, ...(price ? { entryPrice: price } : {}), ...(lastPrice ? { lastPrice } : {}) };
  }
  return { ...prev, qty, peak: prev.peak.max(abs), ...(lastPrice ? { lastPrice } : {}) };
}

/** Pure: the leader state after one execution (positionAfter wins when the broker reports it). */
export function afterExecution(prev: LeaderSymbolState, exec: Execution): LeaderSymbolState {
  const qty = exec.positionAfter ?? prev.qty.add(signed(exec.side, exec.qty));
  return moveTo(prev, qty, exec.price);
}

export class LeaderBook {
  private readonly accounts = new Map<string, Map<string, LeaderSymbolState>>();
  /** Moves on every change; per account and symbol, the version of its last change. */
  private version = 0;
  private readonly versions = new Map<string, Map<string, number>>();

  /** Read before awaiting the broker's positions; resetFrom then leaves alone what executions changed meanwhile. */
  get changeVersion(): number {
    return this.version;
  }

  get(account: string, symbol: string): LeaderSymbolState {
    return this.accounts.get(account)?.get(symbol) ?? FLAT;
  }

  set(account: string, symbol: string, state: LeaderSymbolState): void {
    let m = this.accounts.get(account);
    if (!m) this.accounts.set(account, (m = new Map()));
    m.set(symbol, state);
    let v = this.versions.get(account);
    if (!v) this.versions.set(account, (v = new Map()));
    v.set(symbol, ++this.version);
  }

  private changedSince(account: string, symbol: string, version: number): boolean {
    return (this.versions.get(account)?.get(symbol) ?? 0) > version;
  }

  symbols(account: string): IterableIterator<string> {
    return (this.accounts.get(account) ?? new Map<string, LeaderSymbolState>()).keys();
  }

  /**
   * Resets an account from the broker's positions (authoritative at reconcile); absent symbols become flat. Symbols an
   * execution changed after `since` (read before the positions were requested) keep their newer state.
   */
  resetFrom(account: string, positions: readonly Position[], since = Number.POSITIVE_INFINITY): void {
    const seen = new Set<string>();
    for (const p of positions) {
      seen.add(p.symbol);
      if (this.changedSince(account, p.symbol, since)) continue;
      const prev = this.get(account, p.symbol);
      if (prev.qty.eq(p.qty)) continue;
      this.set(account, p.symbol, moveTo(prev, p.qty, prev.qty.sign() === p.qty.sign() ? undefined : p.avgPrice));
    }
    for (const sym of [...this.symbols(account)]) {
      if (!seen.has(sym) && !this.changedSince(account, sym, since)) this.set(account, sym, moveTo(this.get(account, sym), Decimal.ZERO, undefined));
    }
  }

  toRecord(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [acct, m] of this.accounts) {
      const row: Record<string, string> = {};
      for (const [sym, st] of m) if (!st.qty.isZero()) row[sym] = st.qty.toString();
      out[acct] = row;
    }
    return out;
  }
}
