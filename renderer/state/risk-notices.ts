// Risk guard words and what the dashboard says about them: guard and action names, the toast of each risk alert
// (warning, breach, lock, unlock), the status-bar reasons for guarded accounts, the bar's share and countdowns.
import type { AlertView } from '../../core/contract/index.js';
import type { AccountRiskView } from '../../core/contract/risk.js';
import { money, roundDec } from '../format.js';
import type { Toast } from './store.js';
import type { StatusReason } from './worst-status.js';

export type GuardReading = AccountRiskView['guards'][number];
type GuardKindName = GuardReading['kind'];

export const GUARD_LABEL: Record<GuardKindName, string> = {
  daily_loss: 'Daily loss limit',
  profit_target: 'Daily profit target',
  trailing_drawdown: 'Trailing drawdown',
  max_drawdown: 'Maximum drawdown',
  min_buying_power: 'Minimum buying power',
  max_position: 'Maximum position size',
  auto_flatten: 'Auto-flatten',
  unfilled_copy: 'Unfilled copy',
  manual: 'Manual lock',
};

export const ACTION_LABEL: Record<GuardReading['action'], string> = {
  alert: 'alert only',
  block: 'block new exposure',
  flatten_lock: 'flatten and lock',
};

export const STATE_LABEL: Record<AccountRiskView['state'], string> = {
  ok: 'OK',
  warning: 'Warning',
  blocked: 'Blocked',
  locked: 'Locked',
};

/** A reading's number in its unit: "1,000.00 USD" or "12.5%". */
export function guardAmount(v: string, unit: GuardReading['unit'], currency = ''): string {
  return unit === 'percent' ? `${roundDec(v, 1)}%` : `${money(v)}${currency ? ` ${currency}` : ''}`;
}

/**
 * How much of the room to the limit is used (0..1) for the bar: 1 - distance / span. The span is the limit, except for
 * the trailing drawdown whose limit is an equity floor: its span is the drawdown amount (undefined when unknown).
 */
export function usedFraction(g: Pick<GuardReading, 'kind' | 'distance' | 'limit' | 'level'>, trailingAmount?: string): number | undefined {
  if (g.level === 'breached') return 1;
  const span = Math.abs(Number(g.kind === 'trailing_drawdown' ? trailingAmount : g.limit));
  if (!(span > 0)) return undefined;
  return Math.min(1, Math.max(0, 1 - Number(g.distance) / span));
}

/** Where on the bar the warning starts (0..1), given the warning level: the floor guard (buying power) warns once its
 * value is within limit / warnAt, i.e. at 2 - 1 / warnAt of the bar. */
export function warnMark(kind: GuardKindName, warnAt: number | undefined): number | undefined {
  if (warnAt === undefined || !(warnAt > 0 && warnAt < 1)) return undefined;
  const at = kind === 'min_buying_power' ? 2 - 1 / warnAt : warnAt;
  return at > 0 && at < 1 ? at : undefined;
}

/** The limit as it compares with the value: a daily loss limit of 1,000 reads -1,000 next to the day P&L. */
export const comparableLimit = (g: Pick<GuardReading, 'kind' | 'limit'>): string => (g.kind === 'daily_loss' && !g.limit.startsWith('-') ? `-${g.limit}` : g.limit);

type RiskAlert = Pick<AlertView, 'code' | 'severity' | 'message' | 'accountId'>;
const TOAST_KIND: Partial<Record<AlertView['code'], Toast['kind']>> = {
  risk_warning: 'warning',
  risk_breached: 'critical',
  risk_locked: 'critical',
  risk_unlocked: 'info',
};

/** The toast for a risk alert (warning, breach, lock, unlock), naming the account by its label; undefined otherwise. */
export function riskToast(a: RiskAlert, label: (id: string) => string): { kind: Toast['kind']; text: string } | undefined {
  const kind = TOAST_KIND[a.code];
  if (!kind) return undefined;
  if (!a.accountId) return { kind, text: a.message };
  const name = label(a.accountId);
  const text = a.message.startsWith(a.accountId) ? `${name}${a.message.slice(a.accountId.length)}` : a.message.includes(name) ? a.message : `${name}: ${a.message}`;
  return { kind, text };
}

/** Status-bar reasons for accounts whose guards hold them back or warn. */
export function riskReasons(views: readonly AccountRiskView[], label: (id: string) => string): StatusReason[] {
  const out: StatusReason[] = [];
  for (const v of views) {
    const lock = v.locks[0];
    const who = label(v.accountId);
    if (v.state === 'locked') out.push({ level: 'bad', short: 'Risk lock', text: `${who} is locked by a risk guard${lock ? `: ${lock.reason}` : ''}.` });
    else if (v.state === 'blocked') out.push({ level: 'warn', short: 'Risk block', text: `${who} takes no new exposure (risk guard)${lock ? `: ${lock.reason}` : ''}.` });
    else if (v.state === 'warning') {
      const names = v.guards.filter((g) => g.level !== 'ok').map((g) => GUARD_LABEL[g.kind].toLowerCase());
      out.push({ level: 'warn', short: 'Risk warning', text: `${who} is near a risk limit${names.length > 0 ? ` (${names.join(', ')})` : ''}.` });
    }
  }
  return out;
}

/** Time left until `at`: "1h 02m", "4m 09s", "12s"; "now" once passed. */
export function countdown(at: number, now: number): string {
  const s = Math.ceil((at - now) / 1000);
  if (s <= 0) return 'now';
  const p = (n: number) => String(n).padStart(2, '0');
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${p(Math.floor((s % 3600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${p(s % 60)}s`;
  return `${s}s`;
}
