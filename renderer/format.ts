// Display formatting: decimal strings rounded as text (no float math), signs, times, durations.

/** Rounds a canonical decimal string ("-12.345") to `dp` places, half away from zero, as text. */
export function roundDec(value: string, dp: number): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) return value;
  const neg = m[1] === '-';
  const int = m[2] ?? '0';
  const frac = m[3] ?? '';
  let digits = (int + frac.padEnd(dp, '0').slice(0, dp)).split('').map(Number);
  if (Number(frac[dp] ?? '0') >= 5) {
    let i = digits.length - 1;
    while (i >= 0) {
      const d = (digits[i] ?? 0) + 1;
      digits[i] = d % 10;
      if (d < 10) break;
      i--;
    }
    if (i < 0) digits = [1, ...digits];
  }
  const s = digits.join('');
  const intPart = (s.slice(0, s.length - dp) || '0').replace(/^0+(?=\d)/, '');
  const fracPart = dp > 0 ? `.${s.slice(s.length - dp)}` : '';
  const out = `${intPart}${fracPart}`;
  return neg && /[1-9]/.test(out) ? `-${out}` : out;
}

/** Adds thousands separators to the integer part of a decimal string. */
export function group(value: string): string {
  const [int = '', frac] = value.split('.');
  const sign = int.startsWith('-') ? '-' : '';
  const digits = sign ? int.slice(1) : int;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}${grouped}${frac !== undefined ? `.${frac}` : ''}`;
}

export const money = (v: string | undefined | null, dp = 2): string => (v == null ? '—' : group(roundDec(v, dp)));
/** Display decimals of a quantity: whole contracts on ProjectX (futures), shares to 0.0001 elsewhere. */
export const qtyDecimals = (broker: string | undefined): number => (broker === 'projectx' ? 0 : 4);

/** A quantity rounded to `dp` places for display, without trailing zeros ("24.997500249" -> "24.9975"). */
export function qty(v: string | undefined | null, dp = 4): string {
  if (v == null) return '—';
  const r = roundDec(v, dp);
  return group(r.includes('.') ? r.replace(/\.?0+$/, '') : r);
}

export function signOf(v: string | undefined | null): 'pos' | 'neg' | 'zero' {
  if (v == null || !/[1-9]/.test(v)) return 'zero';
  return v.trim().startsWith('-') ? 'neg' : 'pos';
}

/** "+1,234.50" / "-3.00" for P&L. */
export function signedMoney(v: string | undefined | null, dp = 2): string {
  if (v == null) return '—';
  const s = money(v, dp);
  return signOf(v) === 'pos' ? `+${s}` : s;
}

export function clock(ms: number | undefined | null): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

export function dateTime(ms: number | undefined | null): string {
  if (ms == null) return '—';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${clock(ms).slice(0, 8)}`;
}

/** "3s ago", "2m ago"; `now` is passed in so renders stay pure. */
export function ago(ms: number | undefined | null, now: number): string {
  if (ms == null) return '—';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  return `${Math.floor(s / 3600)}h ago`;
}

export const ms = (v: number | undefined | null): string => (v == null ? '—' : `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`);
