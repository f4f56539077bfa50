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

/** Start (ms since epoch) of the futures trading day that contains `nowMs`. */
export function tradingDayStart(nowMs: number): number {
  const p = Object.fromEntries(chicago.formatToParts(new Date(nowMs)).map((x) => [x.type, Number(x.value)]));
  const wall = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) + (nowMs % 1000);
  const sinceFive = (wall - Date.UTC(p.year!, p.month! - 1, p.day!, DAY_START_HOUR) + DAY_MS) % DAY_MS;
  return nowMs - sinceFive;
}

export interface OpenPosition {
  readonly contractId: string;
  readonly qty: Decimal;
  readonly avgPrice?: Decimal;
}

export class DayPnl {
  private readonly fills = new Map<string, { at: number; net: Decimal }>();

  /** Counts one fill once (by trade id); voided fills count nothing. */
  add(t: PxTrade): void {
    if (t.voided || this.fills.has(t.id)) return;
    const net = (t.profitAndLoss ?? Decimal.ZERO).sub(t.fees ?? Decimal.ZERO);
    this.fills.set(t.id, { at: t.creationTimestamp, net });
  }

  /** Realized since the trading day began, plus unrealized where a price and the contract's tick value are known. */
  value(nowMs: number, positions: readonly OpenPosition[], lastPrice: (contractId: string) => Decimal | undefined,
    contract: (contractId: string) => PxContract | undefined): Decimal {
    const start = tradingDayStart(nowMs);
    let total = Decimal.ZERO;
    for (const [id, f] of this.fills) {
      if (f.at < start) this.fills.delete(id);
      else total = total.add(f.net);
    }
    for (const p of positions) {
      const price = lastPrice(p.contractId);
      const c = contract(p.contractId);
      if (!price || !p.avgPrice || !c || p.qty.isZero()) continue;
      total = total.add(price.sub(p.avgPrice).mul(p.qty).mul(c.tickValue).div(c.tickSize));
    }
    return total;
  }
}
