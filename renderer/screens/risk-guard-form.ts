// Guard-settings form model: settings -> editable strings -> the guards risk:set-guards accepts, validated by the
// contract's schema with every message in plain words; which guards apply to which broker.
import type { AccountView } from '../../core/contract/index.js';
import { riskRequests } from '../../core/contract/risk.js';
import type { GuardAction, GuardSettings, GuardSettingsInput } from '../../core/domain/guard-settings.js';
import { issuesToErrors, type FieldErrors } from '../components/field.js';
import { plainMessage } from './settings-rules.js';

export const guardSettingsSchema = riskRequests.setGuards.shape.guards.unwrap();

export interface LimitRow {
  on: boolean;
  value: string;
  action: GuardAction;
}

export interface GuardForm {
  /** Percent of each limit that warns (80). */
  warnAt: string;
  /** Trading day start; empty = the broker's default. */
  dayTime: string;
  dayZone: string;
  dailyLoss: LimitRow;
  profitTarget: LimitRow;
  trailing: LimitRow & { mode: 'intraday' | 'end_of_day'; stopAt: string };
  maxDrawdown: LimitRow;
  minBuyingPower: LimitRow;
  maxPosition: LimitRow;
  autoFlatten: { on: boolean; time: string; timeZone: string; weekdays: number[]; warnMinutes: string };
}

export type LimitKey = 'dailyLoss' | 'profitTarget' | 'trailing' | 'maxDrawdown' | 'minBuyingPower' | 'maxPosition';

/** The guards that mean something for the broker: ProjectX reports no buying power and futures have no position % cap. */
export function guardsFor(broker: AccountView['broker']): readonly LimitKey[] {
  const all: LimitKey[] = ['dailyLoss', 'profitTarget', 'trailing', 'maxDrawdown', 'minBuyingPower', 'maxPosition'];
  return broker === 'projectx' ? all.filter((k) => k !== 'minBuyingPower' && k !== 'maxPosition') : all;
}

/** The broker's default trading day (what an empty trading-day field means). */
export const defaultDay = (broker: AccountView['broker']): string => (broker === 'alpaca' ? '00:00 America/New_York' : '17:00 America/Chicago');

const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const row = (g: { enabled?: boolean; action?: GuardAction } | undefined, value: unknown): LimitRow => ({
  on: g !== undefined && g.enabled !== false,
  value: str(value),
  action: g?.action ?? 'flatten_lock',
});

export function formFromSettings(s: GuardSettings | undefined): GuardForm {
  const t = s?.trailingDrawdown;
  const a = s?.autoFlatten;
  return {
    warnAt: str(Math.round((s?.warnAt ?? 0.8) * 1000) / 10),
    dayTime: s?.tradingDay?.time ?? '',
    dayZone: s?.tradingDay?.timeZone ?? '',
    dailyLoss: row(s?.dailyLoss, s?.dailyLoss?.limit),
    profitTarget: row(s?.profitTarget, s?.profitTarget?.target),
    trailing: { ...row(t, t?.amount), mode: t?.mode ?? 'end_of_day', stopAt: str(t?.stopAt) },
    maxDrawdown: row(s?.maxDrawdownPct, s?.maxDrawdownPct?.percent),
    minBuyingPower: row(s?.minBuyingPowerPct, s?.minBuyingPowerPct?.percent),
    maxPosition: row(s?.maxPositionPct, s?.maxPositionPct?.percent),
    autoFlatten: {
      on: a !== undefined && a.enabled !== false,
      time: a?.time ?? '15:08',
      timeZone: a?.timeZone ?? 'America/Chicago',
      weekdays: [...(a?.weekdays ?? [1, 2, 3, 4, 5])],
      warnMinutes: str(a?.warnMinutes ?? 5),
    },
  };
}

/** A number as typed when it is one (so the schema checks its range), else the text (so the schema explains it). */
const num = (s: string): number | string => (/^\d+(\.\d+)?$/.test(s.trim()) ? Number(s.trim()) : s.trim());

/** Guards that are off are left out; guards that do not apply to the broker are never sent. */
export function formToSettings(f: GuardForm, applies: readonly LimitKey[]): GuardSettingsInput {
  const on = (k: LimitKey) => f[k].on && applies.includes(k);
  const warn = num(f.warnAt);
  return {
    warnAt: typeof warn === 'number' ? Math.round(warn * 10) / 1000 : (warn as unknown as number),
    ...(f.dayTime.trim() || f.dayZone.trim() ? { tradingDay: { time: f.dayTime.trim(), timeZone: f.dayZone.trim() } } : {}),
    ...(on('dailyLoss') ? { dailyLoss: { limit: f.dailyLoss.value.trim(), action: f.dailyLoss.action } } : {}),
    ...(on('profitTarget') ? { profitTarget: { target: f.profitTarget.value.trim(), action: f.profitTarget.action } } : {}),
    ...(on('trailing')
      ? {
          trailingDrawdown: {
            amount: f.trailing.value.trim(),
            mode: f.trailing.mode,
            ...(f.trailing.stopAt.trim() ? { stopAt: f.trailing.stopAt.trim() } : {}),
            action: f.trailing.action,
          },
        }
      : {}),
    ...(on('maxDrawdown') ? { maxDrawdownPct: { percent: num(f.maxDrawdown.value) as number, action: f.maxDrawdown.action } } : {}),
    ...(on('minBuyingPower') ? { minBuyingPowerPct: { percent: num(f.minBuyingPower.value) as number, action: f.minBuyingPower.action } } : {}),
    ...(on('maxPosition') ? { maxPositionPct: { percent: num(f.maxPosition.value) as number, action: f.maxPosition.action } } : {}),
    ...(f.autoFlatten.on
      ? {
          autoFlatten: {
            time: f.autoFlatten.time.trim(),
            timeZone: f.autoFlatten.timeZone.trim(),
            weekdays: [...f.autoFlatten.weekdays].sort((x, y) => x - y),
            warnMinutes: num(f.autoFlatten.warnMinutes) as number,
          },
        }
      : {}),
  };
}

/** Schema paths -> the form's field keys. */
const FIELD: Record<string, string> = {
  dailyLoss: 'dailyLoss',
  profitTarget: 'profitTarget',
  trailingDrawdown: 'trailing',
  maxDrawdownPct: 'maxDrawdown',
  minBuyingPowerPct: 'minBuyingPower',
  maxPositionPct: 'maxPosition',
};

const PLAIN: readonly [RegExp, string][] = [
  [/^expected a positive amount/, 'Enter an amount above 0, like 1000 or 1000.50'],
  [/^expected a time "HH:MM"/, 'Enter a time like 15:08 (HH:MM, 24-hour clock)'],
  [/^unknown time zone/, 'Unknown time zone: use a name like America/Chicago'],
];

function plain(key: string, message: string): string {
  for (const [re, text] of PLAIN) if (re.test(message)) return text;
  if (key === 'warnAt') return 'Enter a percent above 0 and below 100, like 80';
  if (/\.percent$/.test(key)) return 'Enter a percent above 0 and at most 100, like 20';
  if (key === 'autoFlatten.warnMinutes') return 'Enter whole minutes from 0 to 120';
  if (key.startsWith('autoFlatten.weekdays')) return 'Pick at least one weekday';
  return plainMessage(message);
}

/** Field errors keyed "dailyLoss.value", "trailing.stopAt", "autoFlatten.time", "warnAt", "dayTime"...; empty when valid. */
export function validateGuardForm(f: GuardForm, applies: readonly LimitKey[]): FieldErrors {
  const errors: FieldErrors = {};
  const r = guardSettingsSchema.safeParse(formToSettings(f, applies));
  if (!r.success) {
    for (const [path, message] of Object.entries(issuesToErrors(r.error.issues))) {
      const [head = '', leaf = ''] = path.split('.');
      const key =
        head === 'tradingDay' ? (leaf === 'timeZone' ? 'dayZone' : 'dayTime')
        : FIELD[head] ? `${FIELD[head]}.${leaf === 'stopAt' ? 'stopAt' : 'value'}`
        : path;
      errors[key] ??= plain(path, message);
    }
  }
  if ((f.dayTime.trim() === '') !== (f.dayZone.trim() === '')) errors[f.dayTime.trim() ? 'dayZone' : 'dayTime'] = 'Give both the time and the time zone, or neither for the default';
  if (f.autoFlatten.on && f.autoFlatten.weekdays.length === 0) errors['autoFlatten.weekdays'] = 'Pick at least one weekday';
  return errors;
}
