// Copy-settings form model: link view -> editable strings -> links:update patch, validated by the contract's schema
// plus the dashboard's own sane bounds, with every message in plain words.
import type { LinkView } from '../../core/contract/index.js';
import { contractRest } from '../state/contract-schemas.js';
import { issuesToErrors, type FieldErrors } from '../components/field.js';
import { plainMessage, sizingValueError } from './settings-rules.js';

export interface MapRow {
  from: string;
  to: string;
  factor: string;
}
export interface WindowRow {
  days: string;
  start: string;
  end: string;
  timeZone: string;
}

export interface SettingsForm {
  mode: 'multiplier' | 'fixed' | 'equity' | 'notional';
  value: string;
  reverse: boolean;
  copyUnmapped: boolean;
  symbolMap: MapRow[];
  allowSymbols: string;
  denySymbols: string;
  minNotional: string;
  direction: 'both' | 'long_only' | 'short_only';
  tagPrefix: string;
  windows: WindowRow[];
  maxOrderQty: string;
  maxPositionQty: string;
  maxPositionNotional: string;
  maxOpenPositions: string;
  orderType: 'market' | 'marketable_limit';
  limitBufferTicks: string;
  reconcilePolicy: 'repair' | 'alert';
  dryRun: boolean;
  outsideHours: 'wait' | 'skip' | 'extended_limit';
  stopLossTicks: string;
  takeProfitTicks: string;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const obj = (v: unknown): Loose => (v && typeof v === 'object' ? (v as Loose) : {});
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

export function formFromLink(link: LinkView): SettingsForm {
  const l = link as unknown as Loose;
  const f = obj(l.filters);
  const c = obj(l.caps);
  const b = obj(l.bracket);
  // One way to reverse: a negative multiplier shows as its size with the Reverse switch flipped (same target).
  const negative = link.sizing.mode === 'multiplier' && link.sizing.value.trim().startsWith('-');
  return {
    mode: link.sizing.mode,
    value: negative ? link.sizing.value.trim().slice(1) : link.sizing.value,
    reverse: (l.reverse === true) !== negative,
    copyUnmapped: l.copyUnmapped !== false,
    symbolMap: Object.entries(obj(l.symbolMap)).map(([from, e]) => ({ from, to: str(obj(e).symbol), factor: str(obj(e).factor ?? '1') })),
    allowSymbols: list(f.allowSymbols).join(', '),
    denySymbols: list(f.denySymbols).join(', '),
    minNotional: str(f.minNotional),
    direction: (f.direction as SettingsForm['direction']) ?? 'both',
    tagPrefix: str(f.tagPrefix),
    windows: (Array.isArray(f.tradingWindows) ? f.tradingWindows : []).map((w) => {
      const o = obj(w);
      return { days: list(o.days).join(','), start: str(o.start), end: str(o.end), timeZone: str(o.timeZone ?? 'UTC') };
    }),
    maxOrderQty: str(c.maxOrderQty),
    maxPositionQty: str(c.maxPositionQty),
    maxPositionNotional: str(c.maxPositionNotional),
    maxOpenPositions: str(c.maxOpenPositions),
    orderType: (l.orderType as SettingsForm['orderType']) ?? 'market',
    limitBufferTicks: str(l.limitBufferTicks ?? 4),
    reconcilePolicy: (l.reconcilePolicy as SettingsForm['reconcilePolicy']) ?? 'alert',
    dryRun: l.dryRun === true,
    outsideHours: (l.outsideHours as SettingsForm['outsideHours']) ?? 'skip',
    stopLossTicks: str(b.stopLossTicks),
    takeProfitTicks: str(b.takeProfitTicks),
  };
}

const symbols = (s: string): string[] =>
  s
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
/** A whole number as a number; anything else is passed as typed so the schema explains it. */
const int = (s: string): number | string => (/^-?\d+$/.test(s.trim()) ? Number(s.trim()) : s.trim());
const opt = <T>(key: string, v: T | '' | undefined): Record<string, T> => (v === '' || v === undefined ? {} : { [key]: v as T });

export function formToPatch(f: SettingsForm): Record<string, unknown> {
  return {
    sizing: { mode: f.mode, value: f.value.trim() },
    reverse: f.reverse,
    copyUnmapped: f.copyUnmapped,
    symbolMap: Object.fromEntries(f.symbolMap.map((r) => [r.from.trim(), { symbol: r.to.trim(), factor: r.factor.trim() || '1' }])),
    filters: {
      ...(f.allowSymbols.trim() ? { allowSymbols: symbols(f.allowSymbols) } : {}),
      denySymbols: symbols(f.denySymbols),
      ...opt('minNotional', f.minNotional.trim()),
      direction: f.direction,
      tradingWindows: f.windows.map((w) => ({
        ...(w.days.trim() ? { days: w.days.split(/[\s,]+/).filter(Boolean).map(int) } : {}),
        start: w.start.trim(),
        end: w.end.trim(),
        timeZone: w.timeZone.trim() || 'UTC',
      })),
      ...opt('tagPrefix', f.tagPrefix.trim()),
    },
    caps: {
      ...opt('maxOrderQty', f.maxOrderQty.trim()),
      ...opt('maxPositionQty', f.maxPositionQty.trim()),
      ...opt('maxPositionNotional', f.maxPositionNotional.trim()),
      ...opt('maxOpenPositions', f.maxOpenPositions.trim() ? int(f.maxOpenPositions) : ''),
    },
    orderType: f.orderType,
    limitBufferTicks: int(f.limitBufferTicks),
    reconcilePolicy: f.reconcilePolicy,
    dryRun: f.dryRun,
    outsideHours: f.outsideHours,
    bracket: {
      ...opt('stopLossTicks', f.stopLossTicks.trim() ? int(f.stopLossTicks) : ''),
      ...opt('takeProfitTicks', f.takeProfitTicks.trim() ? int(f.takeProfitTicks) : ''),
    },
  };
}

/** Field errors for the form ("sizing.value", "symbolMap.2", "filters.tradingWindows.0.start", ...); empty when valid. */
export function validateForm(f: SettingsForm): FieldErrors {
  const errors: FieldErrors = {};
  const seen = new Set<string>();
  f.symbolMap.forEach((r, i) => {
    const from = r.from.trim();
    if (!from) errors[`symbolMap.${i}`] = 'leader symbol is required';
    else if (seen.has(from)) errors[`symbolMap.${i}`] = `"${from}" is mapped twice`;
    seen.add(from);
  });
  const r = contractRest().linkPatchSchema.safeParse(formToPatch(f));
  if (!r.success) {
    const byPath = issuesToErrors(r.error.issues);
    for (const [key, message] of Object.entries(byPath)) {
      const m = /^symbolMap\.([^.]+)(?:\.(\w+))?/.exec(key);
      if (m) {
        const i = f.symbolMap.findIndex((row) => row.from.trim() === m[1]);
        errors[`symbolMap.${i >= 0 ? i : 0}`] ??= m[2] ? `${m[2]}: ${plainMessage(message)}` : plainMessage(message);
      } else errors[key] = plainMessage(message);
    }
  }
  const sizing = sizingValueError(f.mode, f.value);
  if (sizing) errors['sizing.value'] = sizing;
  for (const k of ['stopLossTicks', 'takeProfitTicks'] as const) {
    const v = f[k].trim();
    if (v && !(/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 10_000)) errors[`bracket.${k}`] = 'Enter a whole number of ticks from 1 to 10000, or leave it empty';
  }
  return errors;
}
