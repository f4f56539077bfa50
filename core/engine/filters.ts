// Copy filters: a link's symbol scope (allow/deny lists, case-insensitive: a symbol out of scope is never traded on
// that follower) and the eligibility of a leader execution's opening part (direction, trading windows, tag prefix,
// minimum notional). Eligibility decides what adds to the eligible part E (state/episodes.ts), never what reduces it.
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

const listHas = (list: readonly string[], symbol: string): boolean => {
  if (list.length === 0) return false;
  const up = symbol.toUpperCase();
  return list.some((s) => s.toUpperCase() === up);
};

/**
 * Why a link does not trade this leader symbol / follower symbol pair at all (deny list, or missing from the allow
 * list), or undefined when it is in scope. Lists compare case-insensitively.
 */
export function scopeReason(link: LinkConfig, leaderSymbol: string, symbol: string): string | undefined {
  const flt = link.filters;
  if (listHas(flt.denySymbols, symbol) || listHas(flt.denySymbols, leaderSymbol)) return `${symbol} is in the deny list`;
  if (flt.allowSymbols && !listHas(flt.allowSymbols, symbol) && !listHas(flt.allowSymbols, leaderSymbol)) return `${symbol} is not in the allow list`;
  return undefined;
}

export interface FilterInput {
  readonly symbol: string;
  readonly leaderSymbol: string;
  /** Signed opening qty in leader units (the part of the execution that adds to the leader's position). */
  readonly open: Decimal;
  /** Follower-side value of one leader unit at price 1 (mapping factor x follower contract multiplier), if known. */
  readonly unitValue: Decimal | undefined;
  readonly price: Decimal | undefined;
  /** The leader order's tag; undefined when the qty was not seen as an execution. */
  readonly orderTag: string | undefined;
  readonly now: number;
}

/** Why an opening part is not eligible for the link, or undefined when it is. */
export function filterReason(link: LinkConfig, f: FilterInput): string | undefined {
  const scope = scopeReason(link, f.leaderSymbol, f.symbol);
  if (scope) return scope;
  const flt = link.filters;
  const flip = (link.reverse ? -1 : 1) * (link.sizing.mode === 'multiplier' ? link.sizing.value.sign() : 1);
  const dir = f.open.sign() * flip;
  if (flt.direction === 'long_only' && dir < 0) return 'link is long-only';
  if (flt.direction === 'short_only' && dir > 0) return 'link is short-only';
  if (flt.tradingWindows.length > 0 && !flt.tradingWindows.some((w) => inWindow(w, f.now))) return 'outside the trading windows';
  if (flt.tagPrefix !== undefined && (!f.orderTag || !f.orderTag.startsWith(flt.tagPrefix))) {
    return f.orderTag === undefined ? `no leader order tag to prove the prefix "${flt.tagPrefix}"` : `leader order tag does not start with "${flt.tagPrefix}"`;
  }
  if (flt.minNotional !== undefined && !flt.minNotional.isZero()) {
    if (!f.price || !f.unitValue) return 'no price to check the minimum notional';
    const value = f.open.abs().mul(f.price).mul(f.unitValue);
    if (value.lt(flt.minNotional)) return `notional ${value.toFixed(2)} is below the minimum ${flt.minNotional}`;
  }
  return undefined;
}
