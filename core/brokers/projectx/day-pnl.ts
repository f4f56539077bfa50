// ProjectX day P&L of one account: realized from the trading day's fills (profitAndLoss minus fees), unrealized
// from open positions at the last traded price the login has seen for the contract (where one is known).
import { Decimal } from '../../domain/decimal.js';
import type { PxContract, PxTrade } from './parse.js';

/** CME Globex trading days (and Topstep's daily reset) begin at 17:00 Chicago time. */
const DAY_START_HOUR = 17;
const DAY_MS = 86_400_000;
const chicago = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/Chicago', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
  hour: '2-digit', minute: '2-digit', second: '2-digit',
});

/** A trading day lasts at least this long (23 h on the day clocks spring forward): the last start holds that long. */
const SHORTEST_DAY_MS = 23 * 3_600_000;
let lastStart: number | undefined;

/** Start (ms since epoch) of the futures trading day that contains `nowMs` (the last answer reused within its day). */
export function tradingDayStart(nowMs: number): number {
  if (lastStart !== undefined && nowMs >= lastStart && nowMs < lastStart + SHORTEST_DAY_MS) return lastStart;
  lastStart = computeDayStart(nowMs);
  return lastStart;
}

/** Chicago wall-clock time at `ms`, as if that wall time were UTC (ms since epoch). */
function chicagoWall(ms: number): number {
  const p = Object.fromEntries(chicago.formatToParts(new Date(ms)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (((ms % 1000) + 1000) % 1000);
}

/**
 * The last 17:00 Chicago at or before nowMs, in real time: on the days clocks change the day is 23 h or 25 h long,
 * so the wall-clock distance to 17:00 is not the elapsed time. The offset is read again at the start itself.
 */
function computeDayStart(nowMs: number): number {
  const wall = chicagoWall(nowMs);
  const midnight = Math.floor(wall / DAY_MS) * DAY_MS;
  const five = DAY_START_HOUR * 3_600_000;
  const startWall = wall - midnight >= five ? midnight + five : midnight - DAY_MS + five;
  const guess = startWall - (wall - nowMs);
  return startWall - (chicagoWall(guess) - guess);
}

export interface OpenPosition {
  readonly contractId: string;
  readonly qty: Decimal;
  readonly avgPrice?: Decimal;
}

export class DayPnl {
  private readonly fills = new Map<string, { at: number; net: Decimal }>();
  /** The realized sum for one day start, kept until a fill is added or the day changes. */
  private realized: { start: number; total: Decimal } | undefined;

  /** Counts one fill once (by trade id); voided fills count nothing. */
  add(t: PxTrade): void {
    if (t.voided || this.fills.has(t.id)) return;
    const net = (t.profitAndLoss ?? Decimal.ZERO).sub(t.fees ?? Decimal.ZERO);
    this.fills.set(t.id, { at: t.creationTimestamp, net });
    this.realized = undefined;
  }

  /** Realized since the trading day began, plus unrealized where a price and the contract's tick value are known. */
  value(nowMs: number, positions: readonly OpenPosition[], lastPrice: (contractId: string) => Decimal | undefined,
    contract: (contractId: string) => PxContract | undefined): Decimal {
    const start = tradingDayStart(nowMs);
    if (this.realized?.start !== start) {
      let sum = Decimal.ZERO;
      for (const [id, f] of this.fills) {
        if (f.at < start) this.fills.delete(id);
        else sum = sum.add(f.net);
      }
      this.realized = { start, total: sum };
    }
    let total = this.realized.total;
    for (const p of positions) {
      const price = lastPrice(p.contractId);
      const c = contract(p.contractId);
      if (!price || !p.avgPrice || !c || p.qty.isZero()) continue;
      total = total.add(price.sub(p.avgPrice).mul(p.qty).mul(c.tickValue).div(c.tickSize));
    }
    return total;
  }
}
