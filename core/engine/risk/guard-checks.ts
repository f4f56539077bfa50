// Guard checks: each configured guard read against the account's numbers -> value, limit, distance, level; the words
// and numbers of a reading (explain) are built only when a level is crossed, not on every tick.
import { Decimal } from '../../domain/decimal.js';
import type { GuardAction, GuardKind, GuardSettings } from '../../domain/guard-settings.js';

export type Level = 'ok' | 'warning' | 'breached';

export interface GuardCheck {
  readonly kind: GuardKind;
  readonly value: Decimal;
  readonly limit: Decimal;
  /** How far from the limit in the guard's unit; 0 once breached. */
  readonly distance: Decimal;
  readonly unit: 'money' | 'percent';
  readonly level: Level;
  readonly action: GuardAction;
}

/** The account's numbers the guards read (equity is the book's estimate). */
export interface GuardInputs {
  readonly dayPnl: Decimal;
  readonly equity: Decimal | undefined;
  readonly buyingPower: Decimal | undefined;
  readonly peakEquity: Decimal | undefined;
  /** Trailing drawdown: the high it trails and the floor (already capped at stopAt). */
  readonly trailing: { readonly high: Decimal; readonly floor: Decimal } | undefined;
  readonly largest: { readonly instrumentId: string; readonly value: Decimal } | undefined;
}

/** Settings with their amounts parsed once (configure), so a check does no text parsing. */
export interface CompiledGuards {
  readonly settings: GuardSettings;
  readonly warnAt: Decimal;
  readonly dailyLoss?: { readonly limit: Decimal; readonly warn: Decimal; readonly action: GuardAction };
  readonly profitTarget?: { readonly target: Decimal; readonly warn: Decimal; readonly action: GuardAction };
  readonly trailing?: {
    readonly amount: Decimal;
    readonly stopAt: Decimal | undefined;
    readonly intraday: boolean;
    readonly warnRoom: Decimal;
    readonly action: GuardAction;
  };
  readonly maxDrawdown?: { readonly limit: Decimal; readonly warn: Decimal; readonly action: GuardAction };
  readonly minBuyingPower?: { readonly limit: Decimal; readonly warn: Decimal; readonly action: GuardAction };
  readonly maxPosition?: { readonly limit: Decimal; readonly warn: Decimal; readonly action: GuardAction };
}

const HUNDRED = Decimal.from(100);
const RANK: Record<Level, number> = { ok: 0, warning: 1, breached: 2 };
export const higher = (a: Level, b: Level): boolean => RANK[a] > RANK[b];

export function compileGuards(g: GuardSettings): CompiledGuards {
  const warnAt = Decimal.from(g.warnAt);
  const on = <T extends { enabled: boolean }>(x: T | undefined): x is T => x?.enabled === true;
  const scaled = (v: string | number, action: GuardAction) => ({ limit: Decimal.from(v), warn: Decimal.from(v).mul(warnAt), action });
  return {
    settings: g,
    warnAt,
    ...(on(g.dailyLoss) ? { dailyLoss: scaled(g.dailyLoss.limit, g.dailyLoss.action) } : {}),
    ...(on(g.profitTarget) ? { profitTarget: { ...scaled(g.profitTarget.target, g.profitTarget.action), target: Decimal.from(g.profitTarget.target) } } : {}),
    ...(on(g.trailingDrawdown)
      ? {
          trailing: {
            amount: Decimal.from(g.trailingDrawdown.amount),
            stopAt: g.trailingDrawdown.stopAt === undefined ? undefined : Decimal.from(g.trailingDrawdown.stopAt),
            intraday: g.trailingDrawdown.mode === 'intraday',
            warnRoom: Decimal.from(g.trailingDrawdown.amount).mul(Decimal.ONE.sub(warnAt)),
            action: g.trailingDrawdown.action,
          },
        }
      : {}),
    ...(on(g.maxDrawdownPct) ? { maxDrawdown: scaled(g.maxDrawdownPct.percent, g.maxDrawdownPct.action) } : {}),
    // A floor: warning once the value is within (1 - warnAt) of the limit above it (20% floor, 0.8 -> below 25%).
    ...(on(g.minBuyingPowerPct)
      ? { minBuyingPower: { limit: Decimal.from(g.minBuyingPowerPct.percent), warn: Decimal.from(g.minBuyingPowerPct.percent).div(warnAt), action: g.minBuyingPowerPct.action } }
      : {}),
    ...(on(g.maxPositionPct) ? { maxPosition: scaled(g.maxPositionPct.percent, g.maxPositionPct.action) } : {}),
  };
}

/** Money as people read it: 2 decimals, thousands separated ("-1,012.50"). */
export function money(d: Decimal): string {
  const [whole = '0', frac] = d.toFixed(2).split('.');
  const neg = whole.startsWith('-');
  const digits = (neg ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${digits}.${frac}`;
}
const pct = (d: Decimal): string => `${d.toFixed(2)}%`;
const zeroFloor = (d: Decimal): Decimal => (d.sign() < 0 ? Decimal.ZERO : d);
const verb = (l: Level, breached = 'reached'): string => (l === 'breached' ? breached : 'is near');
/** Level of a value that breaches at or above the limit and warns at or above the warn threshold. */
const upward = (v: Decimal, limit: Decimal, warn: Decimal): Level => (v.cmp(limit) >= 0 ? 'breached' : v.cmp(warn) >= 0 ? 'warning' : 'ok');

/** Checks every enabled guard that has the numbers it needs (auto-flatten is scheduled, not read: see auto-flatten.ts). */
export function checkGuards(c: CompiledGuards, x: GuardInputs): GuardCheck[] {
  const out: GuardCheck[] = [];
  if (c.dailyLoss) {
    const { limit, warn, action } = c.dailyLoss;
    const loss = x.dayPnl.neg();
    out.push({ kind: 'daily_loss', value: x.dayPnl, limit, distance: zeroFloor(limit.sub(loss)), unit: 'money', level: upward(loss, limit, warn), action });
  }
  if (c.profitTarget) {
    const { target, warn, action } = c.profitTarget;
    out.push({ kind: 'profit_target', value: x.dayPnl, limit: target, distance: zeroFloor(target.sub(x.dayPnl)), unit: 'money', level: upward(x.dayPnl, target, warn), action });
  }
  if (c.trailing && x.trailing && x.equity) {
    const room = x.equity.sub(x.trailing.floor);
    const level: Level = room.sign() <= 0 ? 'breached' : room.cmp(c.trailing.warnRoom) <= 0 ? 'warning' : 'ok';
    out.push({ kind: 'trailing_drawdown', value: x.equity, limit: x.trailing.floor, distance: zeroFloor(room), unit: 'money', level, action: c.trailing.action });
  }
  if (c.maxDrawdown && x.equity && x.peakEquity && x.peakEquity.sign() > 0) {
    const { limit, warn, action } = c.maxDrawdown;
    const dd = x.peakEquity.sub(x.equity).mul(HUNDRED).div(x.peakEquity);
    out.push({ kind: 'max_drawdown', value: dd, limit, distance: zeroFloor(limit.sub(dd)), unit: 'percent', level: upward(dd, limit, warn), action });
  }
  if (c.minBuyingPower && x.equity && x.equity.sign() > 0 && x.buyingPower) {
    const { limit, warn, action } = c.minBuyingPower;
    const bp = x.buyingPower.mul(HUNDRED).div(x.equity);
    const level: Level = bp.cmp(limit) < 0 ? 'breached' : bp.cmp(warn) < 0 ? 'warning' : 'ok';
    out.push({ kind: 'min_buying_power', value: bp, limit, distance: level === 'breached' ? Decimal.ZERO : bp.sub(limit), unit: 'percent', level, action });
  }
  if (c.maxPosition && x.equity && x.equity.sign() > 0) {
    const { limit, warn, action } = c.maxPosition;
    const share = x.largest ? x.largest.value.mul(HUNDRED).div(x.equity) : Decimal.ZERO;
    const level: Level = share.cmp(limit) > 0 ? 'breached' : share.cmp(warn) >= 0 ? 'warning' : 'ok';
    out.push({ kind: 'max_position', value: share, limit, distance: zeroFloor(limit.sub(share)), unit: 'percent', level, action });
  }
  return out;
}

/** Plain words with the numbers, and the numbers themselves, for a reading that crossed a level. */
export function explain(r: GuardCheck, c: CompiledGuards, x: GuardInputs): { message: string; numbers: Record<string, string> } {
  const common = { dayPnl: x.dayPnl.toString(), warnAt: c.warnAt.toString() };
  const v = verb(r.level);
  const equity = x.equity?.toString() ?? '';
  switch (r.kind) {
    case 'daily_loss':
      return { message: `day P&L ${money(x.dayPnl)} ${v} the daily loss limit ${money(r.limit)}`, numbers: { ...common, limit: r.limit.toString() } };
    case 'profit_target':
      return { message: `day P&L ${money(x.dayPnl)} ${v} the daily profit target ${money(r.limit)}`, numbers: { ...common, target: r.limit.toString() } };
    case 'trailing_drawdown': {
      const t = c.trailing!;
      const high = x.trailing!.high;
      return {
        message: `equity ${money(r.value)} ${v} the trailing drawdown floor ${money(r.limit)} (${t.intraday ? 'intraday' : 'end-of-day'} high ${money(high)})`,
        numbers: {
          ...common, equity, floor: r.limit.toString(), high: high.toString(), amount: t.amount.toString(), mode: t.intraday ? 'intraday' : 'end_of_day',
          ...(t.stopAt ? { stopAt: t.stopAt.toString() } : {}),
        },
      };
    }
    case 'max_drawdown': {
      const peak = x.peakEquity!;
      return {
        message: `drawdown ${pct(r.value)} from peak equity ${money(peak)} ${v} the limit ${pct(r.limit)}`,
        numbers: { ...common, equity, peakEquity: peak.toString(), drawdownPct: r.value.toString(), limitPct: r.limit.toString() },
      };
    }
    case 'min_buying_power': {
      const bp = x.buyingPower!;
      return {
        message: `buying power ${money(bp)} is ${pct(r.value)} of equity, ${verb(r.level, 'below')} the minimum ${pct(r.limit)}`,
        numbers: { ...common, buyingPower: bp.toString(), equity, buyingPowerPct: r.value.toString(), limitPct: r.limit.toString() },
      };
    }
    default: {
      const l = x.largest;
      return {
        message: `${l?.instrumentId ?? 'largest position'} is ${pct(r.value)} of equity, ${verb(r.level, 'above')} the maximum ${pct(r.limit)}`,
        numbers: { ...common, equity, instrumentId: l?.instrumentId ?? '', positionValue: l?.value.toString() ?? '0', positionPct: r.value.toString(), limitPct: r.limit.toString() },
      };
    }
  }
}
