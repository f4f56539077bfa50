// Auto-flatten: the occurrence inside a trading day (weekdays in its own zone), its warning instant and the level now.
import type { GuardSettings } from '../../domain/guard-settings.js';
import { nextWallTime, type TradingDay } from '../../domain/trading-day.js';
import type { Level } from './guard-checks.js';

export interface FlattenSchedule {
  readonly at: number;
  /** warnMinutes before `at`; absent when warnMinutes is 0. */
  readonly warnAt: number | undefined;
}

/** Today's auto-flatten, or undefined (disabled, or no configured weekday falls inside the trading day). */
export function flattenSchedule(g: GuardSettings['autoFlatten'], day: TradingDay): FlattenSchedule | undefined {
  if (!g?.enabled) return undefined;
  const at = nextWallTime(day.startMs, g.time, g.timeZone, g.weekdays);
  if (at === undefined || at >= day.endMs) return undefined;
  return { at, warnAt: g.warnMinutes > 0 ? at - g.warnMinutes * 60_000 : undefined };
}

export function flattenLevel(s: FlattenSchedule | undefined, now: number): Level {
  if (!s) return 'ok';
  if (now >= s.at) return 'breached';
  return s.warnAt !== undefined && now >= s.warnAt ? 'warning' : 'ok';
}

/** The next auto-flatten after `now` (today's or a later weekday's), for the dashboard's countdown. */
export function nextFlatten(g: GuardSettings['autoFlatten'], now: number): number | undefined {
  return g?.enabled ? nextWallTime(now + 1, g.time, g.timeZone, g.weekdays) : undefined;
}
