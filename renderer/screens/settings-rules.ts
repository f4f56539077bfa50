// Copy-settings rules the schema alone does not say plainly: one way to reverse, sane sizing bounds, readable messages.
import type { SettingsForm } from './settings-model.js';

/** The largest sizing value the dashboard accepts per mode (a typo guard, not a risk limit). */
export const SIZING_MAX: Record<SettingsForm['mode'], { max: number; unit: string }> = {
  multiplier: { max: 100, unit: "× the leader's quantity" },
  equity: { max: 100, unit: '× the equity ratio' },
  fixed: { max: 100_000, unit: 'units' },
  notional: { max: 100_000_000, unit: 'in money per position' },
};

/** The sizing value's problem in plain words, or undefined. */
export function sizingValueError(mode: SettingsForm['mode'], text: string): string | undefined {
  const v = text.trim();
  if (!v) return 'Enter a sizing value, like 1';
  if (v.startsWith('-')) return 'Enter a positive number; to copy long as short, turn on Reverse instead';
  if (/e/i.test(v)) return 'Write the number out in full, like 2.5 (no exponent such as 1e23)';
  if (!/^\d+(\.\d+)?$/.test(v) && !/^\.\d+$/.test(v)) return 'Enter a decimal number, like 1 or 0.5';
  if (!/[1-9]/.test(v)) return 'The value must not be 0';
  const { max, unit } = SIZING_MAX[mode];
  if (Number(v) > max) return `Too large: at most ${max.toLocaleString('en-US')} ${unit}. Check for a typo`;
  return undefined;
}

const PLAIN: readonly [RegExp, string][] = [
  [/^expected a decimal number/, 'Enter a decimal number, like 1 or 0.5'],
  [/^must be greater than 0$/, 'must be more than 0'],
  [/^must be 0 or more$/, 'must be 0 or more (not negative)'],
  [/^expected HH:MM/, 'Enter a time like 09:30 (HH:MM, 24-hour clock)'],
  [/^unknown time zone$/, 'Unknown time zone: use a name like America/New_York or UTC'],
  [/^letters, digits and/, 'Use only letters, digits and . / _ : - in symbols'],
  [/expected (int|number)|received NaN|Invalid input: expected number/i, 'Enter a whole number'],
  [/Too small: expected number to be >=?(\d+)/, 'Enter a whole number of at least $1'],
  [/Too big: expected number to be <=?(\d+)/, 'Enter a whole number of at most $1'],
  [/Too small: expected (string|array) to have >=?1/, 'This is required'],
];

/** A schema message rewritten for a trader (unknown ones pass through). */
export function plainMessage(message: string): string {
  for (const [re, plain] of PLAIN) {
    const m = re.exec(message);
    if (m) return plain.replace('$1', m[1] ?? '');
  }
  return message;
}
