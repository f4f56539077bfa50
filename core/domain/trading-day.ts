// Trading days: the day an instant belongs to for a boundary given as a wall-clock time in a time zone (DST-correct).
import { z } from 'zod';

/** A wall-clock time "HH:MM" (24 h). */
export const wallTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time "HH:MM" (24 h)');

const zoneCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = zoneCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
    });
    zoneCache.set(timeZone, f);
  }
  return f;
}

/** True when the runtime knows the IANA time zone name. */
export function isTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'unknown time zone (expected an IANA name such as "America/Chicago")');

export interface WallClock {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 = Sunday .. 6 = Saturday. */
  readonly weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall clock in a zone at an instant. */
export function wallClock(ms: number, timeZone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Offset of the zone from UTC at an instant, in ms (Chicago in winter: -6 h). */
function offsetAt(ms: number, timeZone: string): number {
  const w = wallClock(ms, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant a wall-clock time occurs in a zone on a calendar date. A time skipped by a spring-forward change is
 * taken an hour later (02:30 -> 03:30); a time repeated by a fall-back change is its first occurrence.
 */
export function instantOf(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const guess = Date.UTC(year, month - 1, day, hour, minute);
  const before = guess - offsetAt(guess - 86_400_000, timeZone);
  const after = guess - offsetAt(guess + 86_400_000, timeZone);
  const reads = (t: number): boolean => {
    const w = wallClock(t, timeZone);
    return w.year === year && w.month === month && w.day === day && w.hour === hour && w.minute === minute;
  };
  const hits = [before, after].filter(reads);
  if (hits.length > 0) return Math.min(...hits);
  return before;
}

export interface TradingDayBoundary {
  /** Wall-clock time the trading day starts, "HH:MM". */
  readonly time: string;
  readonly timeZone: string;
}

export interface TradingDay {
  /** The calendar date the day ends on, YYYY-MM-DD (a futures day starting Sunday 17:00 CT is Monday's). */
  readonly date: string;
  readonly startMs: number;
  readonly endMs: number;
}

/** Futures default: the CME day, 17:00 Chicago. Equities default: midnight New York. */
export const FUTURES_DAY: TradingDayBoundary = { time: '17:00', timeZone: 'America/Chicago' };
export const EQUITIES_DAY: TradingDayBoundary = { time: '00:00', timeZone: 'America/New_York' };

/** An account's trading day: its own setting, else by broker (Alpaca equities; ProjectX and the sim's futures venue). */
export const tradingDayBoundary = (broker: string, own?: TradingDayBoundary): TradingDayBoundary =>
  own ?? (broker === 'alpaca' ? EQUITIES_DAY : FUTURES_DAY);

const pad = (n: number): string => String(n).padStart(2, '0');
const parseTime = (t: string): [number, number] => [Number(t.slice(0, 2)), Number(t.slice(3, 5))];

/** Shifts a calendar date by whole days (no time zone involved). */
function addDays(year: number, month: number, day: number, days: number): [number, number, number] {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/** The trading day an instant belongs to. Days are 23, 24 or 25 hours long around DST changes. */
export function tradingDayOf(ms: number, boundary: TradingDayBoundary): TradingDay {
  const [h, m] = parseTime(boundary.time);
  const w = wallClock(ms, boundary.timeZone);
  const todayStart = instantOf(w.year, w.month, w.day, h, m, boundary.timeZone);
  // A boundary after midnight opens the day named by tomorrow's date (17:00 Sunday starts Monday); at 00:00 it is today.
  const startsToday = ms >= todayStart;
  const [sy, sm, sd] = startsToday ? [w.year, w.month, w.day] : addDays(w.year, w.month, w.day, -1);
  const startMs = startsToday ? todayStart : instantOf(sy, sm, sd, h, m, boundary.timeZone);
  const [ey, em, ed] = addDays(sy, sm, sd, 1);
  const endMs = instantOf(ey, em, ed, h, m, boundary.timeZone);
  const [ny, nm, nd] = h === 0 && m === 0 ? [sy, sm, sd] : [ey, em, ed];
  return { date: `${ny}-${pad(nm)}-${pad(nd)}`, startMs, endMs };
}

/**
 * The next instant at or after `fromMs` when the wall clock in the zone reads `time` on one of `weekdays`
 * (0 = Sunday .. 6 = Saturday), within the next 8 days; undefined when no weekday is given.
 */
export function nextWallTime(fromMs: number, time: string, timeZone: string, weekdays: readonly number[]): number | undefined {
  if (weekdays.length === 0) return undefined;
  const [h, m] = parseTime(time);
  const w = wallClock(fromMs, timeZone);
  for (let i = 0; i <= 8; i++) {
    const [y, mo, d] = addDays(w.year, w.month, w.day, i);
    const weekday = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    if (!weekdays.includes(weekday)) continue;
    const at = instantOf(y, mo, d, h, m, timeZone);
    if (at >= fromMs) return at;
  }
  return undefined;
}
