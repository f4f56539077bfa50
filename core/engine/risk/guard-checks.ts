// Guard checks: each configured guard read against the account's numbers -> value, limit, distance, level, message.
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
  readonly message: string;
  readonly numbers: Readonly<Record<string, string>>;
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

const HUNDRED = Decimal.from(100);
const RANK: Record<Level, number> = { ok: 0, warning: 1, breached: 2 };
export const higher = (a: Level, b: Level): boolean => RANK[a] > RANK[b];

/** Money as people read it: 2 decimals, thousands separated ("-1,012.50"). */
export function money(d: Decimal): string {
  const [whole = '0', frac] = d.toFixed(2).split('.');
  const neg = whole.startsWith('-');
  const digits = (neg ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${digits}.${frac}`;
}
const pct = (d: Decimal): string => `${d.toFixed(2)}%`;
const zeroFloor = (d: Decimal): Decimal => (d.sign() < 0 ? Decimal.ZERO : d);

/** Checks every enabled guard that has the numbers it needs (auto-flatten is scheduled, not read: see auto-flatten.ts). */
export function checkGuards(g: GuardSettings, x: GuardInputs): GuardCheck[] {
  const warnAt = Decimal.from(g.warnAt);
  const out: GuardCheck[] = [];
  const common = { dayPnl: x.dayPnl.toString(), warnAt: warnAt.toString() };
  if (g.dailyLoss?.enabled) {
    const limit = Decimal.from(g.dailyLoss.limit);
    const loss = x.dayPnl.neg();
    const level: Level = loss.cmp(limit) >= 0 ? 'breached' : loss.cmp(limit.mul(warnAt)) >= 0 ? 'warning' : 'ok';
    out.push({
      kind: 'daily_loss', value: x.dayPnl, limit, distance: zeroFloor(limit.sub(loss)), unit: 'money', level, action: g.dailyLoss.action,
      message: `day P&L ${money(x.dayPnl)} ${level === 'breached' ? 'reached' : 'is near'} the daily loss limit ${money(limit)}`,
      numbers: { ...common, limit: limit.toString() },
    });
  }
  if (g.profitTarget?.enabled) {
    const target = Decimal.from(g.profitTarget.target);
    const level: Level = x.dayPnl.cmp(target) >= 0 ? 'breached' : x.dayPnl.cmp(target.mul(warnAt)) >= 0 ? 'warning' : 'ok';
    out.push({
      kind: 'profit_target', value: x.dayPnl, limit: target, distance: zeroFloor(target.sub(x.dayPnl)), unit: 'money', level,
      action: g.profitTarget.action,
      message: `day P&L ${money(x.dayPnl)} ${level === 'breached' ? 'reached' : 'is near'} the daily profit target ${money(target)}`,
      numbers: { ...common, target: target.toString() },
    });
  }
  if (g.trailingDrawdown?.enabled && x.trailing && x.equity) {
    const t = g.trailingDrawdown;
    const room = x.equity.sub(x.trailing.floor);
    const warnRoom = Decimal.from(t.amount).mul(Decimal.ONE.sub(warnAt));
    const level: Level = room.sign() <= 0 ? 'breached' : room.cmp(warnRoom) <= 0 ? 'warning' : 'ok';
    out.push({
      kind: 'trailing_drawdown', value: x.equity, limit: x.trailing.floor, distance: zeroFloor(room), unit: 'money', level, action: t.action,
      message: `equity ${money(x.equity)} ${level === 'breached' ? 'reached' : 'is near'} the trailing drawdown floor ${money(x.trailing.floor)} (${t.mode === 'intraday' ? 'intraday' : 'end-of-day'} high ${money(x.trailing.high)})`,
      numbers: { ...common, equity: x.equity.toString(), floor: x.trailing.floor.toString(), high: x.trailing.high.toString(), amount: String(t.amount), mode: t.mode, ...(t.stopAt ? { stopAt: t.stopAt } : {}) },
    });
  }
  if (g.maxDrawdownPct?.enabled && x.equity && x.peakEquity && x.peakEquity.sign() > 0) {
    const limit = Decimal.from(g.maxDrawdownPct.percent);
    const dd = x.peakEquity.sub(x.equity).mul(HUNDRED).div(x.peakEquity);
    const level: Level = dd.cmp(limit) >= 0 ? 'breached' : dd.cmp(limit.mul(warnAt)) >= 0 ? 'warning' : 'ok';
    out.push({
      kind: 'max_drawdown', value: dd, limit, distance: zeroFloor(limit.sub(dd)), unit: 'percent', level, action: g.maxDrawdownPct.action,
      message: `drawdown ${pct(dd)} from peak equity ${money(x.peakEquity)} ${level === 'breached' ? 'reached' : 'is near'} the limit ${pct(limit)}`,
      numbers: { ...common, equity: x.equity.toString(), peakEquity: x.peakEquity.toString(), drawdownPct: dd.toString(), limitPct: limit.toString() },
    });
  }
  if (g.minBuyingPowerPct?.enabled && x.equity && x.equity.sign() > 0 && x.buyingPower) {
    const limit = Decimal.from(g.minBuyingPowerPct.percent);
    const bp = x.buyingPower.mul(HUNDRED).div(x.equity);
    // A floor: warning once the value is within (1 - warnAt) of the limit above it (20% floor, 0.8 -> below 25%).
    const level: Level = bp.cmp(limit) < 0 ? 'breached' : bp.cmp(limit.div(warnAt)) < 0 ? 'warning' : 'ok';
    out.push({
      kind: 'min_buying_power', value: bp, limit, distance: level === 'breached' ? Decimal.ZERO : bp.sub(limit), unit: 'percent', level,
      action: g.minBuyingPowerPct.action,
      message: `buying power ${money(x.buyingPower)} is ${pct(bp)} of equity, ${level === 'breached' ? 'below' : 'near'} the minimum ${pct(limit)}`,
      numbers: { ...common, buyingPower: x.buyingPower.toString(), equity: x.equity.toString(), buyingPowerPct: bp.toString(), limitPct: limit.toString() },
    });
  }
  if (g.maxPositionPct?.enabled && x.equity && x.equity.sign() > 0) {
    const limit = Decimal.from(g.maxPositionPct.percent);
    const share = x.largest ? x.largest.value.mul(HUNDRED).div(x.equity) : Decimal.ZERO;
    const level: Level = share.cmp(limit) > 0 ? 'breached' : share.cmp(limit.mul(warnAt)) >= 0 ? 'warning' : 'ok';
    out.push({
      kind: 'max_position', value: share, limit, distance: zeroFloor(limit.sub(share)), unit: 'percent', level, action: g.maxPositionPct.action,
      message: `${x.largest?.instrumentId ?? 'largest position'} is ${pct(share)} of equity, ${level === 'breached' ? 'above' : 'near'} the maximum ${pct(limit)}`,
      numbers: { ...common, equity: x.equity.toString(), instrumentId: x.largest?.instrumentId ?? '', positionValue: x.largest?.value.toString() ?? '0', positionPct: share.toString(), limitPct: limit.toString() },
    });
  }
  return out;
}
