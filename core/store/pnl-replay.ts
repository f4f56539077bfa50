// Realized P&L of an account's copier fills by average cost, replayed incrementally (only fills journaled since the
// last read are read again), kept as points x qty per symbol so a multiplier learnt later still applies.
import type BetterSqlite3 from 'better-sqlite3';
import { Decimal } from '../domain/decimal.js';
import type { AccountId } from '../domain/ids.js';
import type { Side } from '../domain/side.js';
import { statement } from './statements.js';

interface Book {
  qty: Decimal;
  avg: Decimal;
  /** Points x qty realized since the position was last flat. */
  trip: Decimal;
}

interface FillRow {
  seq: number;
  symbol: string;
  side: Side;
  qty: string;
  price: string;
  time: number;
}

export interface RealizedSummary {
  /** Points x qty realized per symbol in the range (times the symbol's multiplier = money). */
  readonly bySymbol: ReadonlyMap<string, Decimal>;
  /** Round trips (flat to flat, or through a reversal) that ended in the range, and how many made money. */
  readonly trades: number;
  readonly wins: number;
}

const NEW_FILLS_SQL = 'SELECT seq, symbol, side, qty, price, time FROM fills WHERE account_id = ? AND seq > ? ORDER BY seq';

/** One account's replay state: open books, every realizing fill and every finished round trip. */
export class PnlReplay {
  private lastSeq = 0;
  private readonly books = new Map<string, Book>();
  private readonly closes: { time: number; symbol: string; points: Decimal }[] = [];
  private readonly trips: { time: number; win: boolean }[] = [];

  constructor(private readonly accountId: AccountId) {}

  /** Applies the fills journaled since the last call. */
  catchUp(db: BetterSqlite3.Database): void {
    const rows = statement(db, NEW_FILLS_SQL).all(this.accountId, this.lastSeq) as FillRow[];
    for (const f of rows) this.apply(f);
    if (rows.length > 0) this.lastSeq = rows[rows.length - 1]!.seq;
  }

  symbols(): string[] {
    return [...this.books.keys()].sort();
  }

  summary(from?: number, to?: number): RealizedSummary {
    const inRange = (t: number) => (from === undefined || t >= from) && (to === undefined || t < to);
    const bySymbol = new Map<string, Decimal>();
    for (const c of this.closes) if (inRange(c.time)) bySymbol.set(c.symbol, (bySymbol.get(c.symbol) ?? Decimal.ZERO).add(c.points));
    let trades = 0;
    let wins = 0;
    for (const t of this.trips) {
      if (!inRange(t.time)) continue;
      trades++;
      if (t.win) wins++;
    }
    return { bySymbol, trades, wins };
  }

  private apply(f: FillRow): void {
    let book = this.books.get(f.symbol);
    if (!book) this.books.set(f.symbol, (book = { qty: Decimal.ZERO, avg: Decimal.ZERO, trip: Decimal.ZERO }));
    const signed = f.side === 'buy' ? Decimal.from(f.qty) : Decimal.from(f.qty).neg();
    const price = Decimal.from(f.price);
    if (book.qty.isZero() || book.qty.sign() === signed.sign()) {
      const total = book.qty.add(signed);
      book.avg = book.avg.mul(book.qty.abs()).add(price.mul(signed.abs())).div(total.abs());
      book.qty = total;
      return;
    }
    const closed = signed.abs().min(book.qty.abs());
    const points = price.sub(book.avg).mul(closed).mul(book.qty.sign());
    book.trip = book.trip.add(points);
    this.closes.push({ time: f.time, symbol: f.symbol, points });
    const rest = book.qty.add(signed);
    if (rest.isZero() || rest.sign() !== book.qty.sign()) {
      this.trips.push({ time: f.time, win: book.trip.gt(0) });
      book.trip = Decimal.ZERO;
      book.avg = price;
    }
    book.qty = rest;
  }
}
