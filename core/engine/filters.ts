// Copy filters (allow/deny, direction, trading windows, strategy tag, minimum notional) for exposure-increasing orders.
import type { Decimal } from '../domain/decimal.js';
import type { TradingWindow } from '../domain/link-settings.js';
import type { LinkConfig } from '../domain/workspace-config.js';

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** True when time (ms since epoch) falls inside the window in its own time zone; end < start spans midnight. */
export function inWindow(w: TradingWindow, time: number): boolean {
  let day = 0;
  let minute = 0;
  for (const part of formatterFor(w.timeZone).formatToParts(time)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') minute += Number(part.value) * 60;
    else if (part.type === 'minute') minute += Number(part.value);
  }
  const start = minutesOf(w.start);
  const end = minutesOf(w.end);
  if (start <= end) return (!w.days || w.days.includes(day)) && minute >= start && minute < end;
  if (minute >= start) return !w.days || w.days.includes(day);
  const yesterday = day === 1 ? 7 : day - 1;
  return minute < end && (!w.days || w.days.includes(yesterday));
}

export interface FilterInput {
  readonly symbol: string;
  readonly leaderSymbol: string;
  /** Signed target the increase heads to. */
  readonly target: Decimal;
  /** Notional of the exposure increase, when a price is known. */
  readonly increaseNotional: Decimal | undefined;
  /** The triggering leader order's tag; undefined for repairs. */
  readonly orderTag: string | undefined;
  readonly isRepair: boolean;
  readonly now: number;
}

/** Why an exposure-increasing order may not go, or undefined when it passes every filter. */
export function filterReason(link: LinkConfig, f: FilterInput): string | undefined {
  const flt = link.filters;
  if (flt.allowSymbols && !flt.allowSymbols.includes(f.symbol) && !flt.allowSymbols.includes(f.leaderSymbol)) {
    return `${f.symbol} is not in the allow list`;
  }
  if (flt.denySymbols.includes(f.symbol) || flt.denySymbols.includes(f.leaderSymbol)) return `${f.symbol} is in the deny list`;
  if (flt.direction === 'long_only' && f.target.sign() < 0) return 'link is long-only';
  if (flt.direction === 'short_only' && f.target.sign() > 0) return 'link is short-only';
  if (flt.tradingWindows.length > 0 && !flt.tradingWindows.some((w) => inWindow(w, f.now))) return 'outside the trading windows';
  if (flt.tagPrefix !== undefined) {
    if (f.isRepair) return `repairs cannot prove the strategy tag "${flt.tagPrefix}"`;
    if (!f.orderTag || !f.orderTag.startsWith(flt.tagPrefix)) return `leader order tag does not start with "${flt.tagPrefix}"`;
  }
  if (flt.minNotional !== undefined && !flt.minNotional.isZero()) {
    if (!f.increaseNotional) return 'no price to check the minimum notional';
    if (f.increaseNotional.lt(flt.minNotional)) return `notional ${f.increaseNotional.toFixed(2)} is below the minimum ${flt.minNotional}`;
  }
  return undefined;
}
