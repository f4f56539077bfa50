// Decimal: exact fixed-point arithmetic (9 fractional digits on a bigint) for quantities, prices and money.
const SCALE_DIGITS = 9;
const SCALE = 10n ** BigInt(SCALE_DIGITS);
const SCALE_NUMBER = 10 ** SCALE_DIGITS;
const MAX_EXACT_UNITS = BigInt(Number.MAX_SAFE_INTEGER);
const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;

export type DecimalInput = Decimal | string | number | bigint;

export class Decimal {
  /** The value times 10^9. */
  readonly units: bigint;

  private constructor(units: bigint) {
    this.units = units;
  }

  static readonly ZERO = new Decimal(0n);
  static readonly ONE = new Decimal(SCALE);

  static fromUnits(units: bigint): Decimal {
    return units === 0n ? Decimal.ZERO : new Decimal(units);
  }

  /** Parses a decimal string or a finite number; digits past the 9th are truncated toward zero. */
  static from(value: DecimalInput): Decimal {
    if (value instanceof Decimal) return value;
    if (typeof value === 'bigint') return new Decimal(value * SCALE);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      if (Number.isInteger(value)) return new Decimal(BigInt(value) * SCALE);
      return Decimal.parse(value.toFixed(SCALE_DIGITS + 2));
    }
    return Decimal.parse(value);
  }

  /** Like from(), but returns undefined instead of throwing on malformed input. */
  static tryFrom(value: unknown): Decimal | undefined {
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint' && !(value instanceof Decimal)) {
      return undefined;
    }
    try {
      return Decimal.from(value);
    } catch {
      return undefined;
    }
  }

  private static parse(text: string): Decimal {
    const m = DECIMAL_RE.exec(text.trim());
    if (!m) throw new RangeError(`not a decimal: ${JSON.stringify(text)}`);
    const [, sign, whole, frac = ''] = m;
    const fracDigits = (frac + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS);
    const units = BigInt(whole!) * SCALE + BigInt(fracDigits);
    return Decimal.fromUnits(sign === '-' ? -units : units);
  }

  add(o: DecimalInput): Decimal {
    return Decimal.fromUnits(this.units + Decimal.from(o).units);
  }
  sub(o: DecimalInput): Decimal {
    return Decimal.fromUnits(this.units - Decimal.from(o).units);
  }
  /** Product, truncated toward zero at 9 digits. */
  mul(o: DecimalInput): Decimal {
    return Decimal.fromUnits((this.units * Decimal.from(o).units) / SCALE);
  }
  /** Quotient, truncated toward zero at 9 digits. */
  div(o: DecimalInput): Decimal {
    const d = Decimal.from(o).units;
    if (d === 0n) throw new RangeError('division by zero');
    return Decimal.fromUnits((this.units * SCALE) / d);
  }
  neg(): Decimal {
    return Decimal.fromUnits(-this.units);
  }
  abs(): Decimal {
    return this.units < 0n ? this.neg() : this;
  }
  sign(): -1 | 0 | 1 {
    return this.units > 0n ? 1 : this.units < 0n ? -1 : 0;
  }
  isZero(): boolean {
    return this.units === 0n;
  }
  cmp(o: DecimalInput): -1 | 0 | 1 {
    const u = Decimal.from(o).units;
    return this.units > u ? 1 : this.units < u ? -1 : 0;
  }
  eq(o: DecimalInput): boolean {
    return this.cmp(o) === 0;
  }
  lt(o: DecimalInput): boolean {
    return this.cmp(o) < 0;
  }
  gt(o: DecimalInput): boolean {
    return this.cmp(o) > 0;
  }
  min(o: DecimalInput): Decimal {
    const d = Decimal.from(o);
    return this.cmp(d) <= 0 ? this : d;
  }
  max(o: DecimalInput): Decimal {
    const d = Decimal.from(o);
    return this.cmp(d) >= 0 ? this : d;
  }

  /** Rounds toward zero to a whole multiple of step (step > 0). */
  roundTowardZero(step: DecimalInput): Decimal {
    const s = Decimal.from(step).units;
    if (s <= 0n) throw new RangeError('step must be positive');
    return Decimal.fromUnits((this.units / s) * s);
  }

  /** Rounds to the nearest multiple of step, half away from zero. */
  roundToStep(step: DecimalInput): Decimal {
    const s = Decimal.from(step).units;
    if (s <= 0n) throw new RangeError('step must be positive');
    const q = this.units / s;
    const r = this.units - q * s;
    const abs = r < 0n ? -r : r;
    const bump = abs * 2n >= s ? (this.units < 0n ? -1n : 1n) : 0n;
    return Decimal.fromUnits((q + bump) * s);
  }

  isMultipleOf(step: DecimalInput): boolean {
    const s = Decimal.from(step).units;
    return s > 0n && this.units % s === 0n;
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** Canonical text: no exponent, no trailing fractional zeros ("1.5", "-3", "0.000001"). */
  toString(): string {
    const u = this.units;
    // Within 2^53 units (about 9 million) Number arithmetic is exact and several times faster than BigInt's: the
    // journal binds every quantity and price as text.
    if (u <= MAX_EXACT_UNITS && u >= -MAX_EXACT_UNITS) return exactText(Number(u));
    const neg = u < 0n;
    const abs = neg ? -u : u;
    const whole = abs / SCALE;
    const frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
    return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
  }

  toFixed(digits: number): string {
    const rounded = this.roundToStep(Decimal.fromUnits(10n ** BigInt(SCALE_DIGITS - digits)));
    const [w, f = ''] = rounded.toString().split('.');
    return digits > 0 ? `${w}.${f.padEnd(digits, '0')}` : w!;
  }

  toJSON(): string {
    return this.toString();
  }
}

export const dec = Decimal.from;

/** Canonical text of a units count that is a safe integer (see Decimal.toString). */
function exactText(units: number): string {
  const abs = units < 0 ? -units : units;
  let frac = abs % SCALE_NUMBER;
  const whole = (abs - frac) / SCALE_NUMBER;
  const sign = units < 0 ? '-' : '';
  if (frac === 0) return `${sign}${whole}`;
  let digits = SCALE_DIGITS;
  while (frac % 10 === 0) {
    frac /= 10;
    digits--;
  }
  return `${sign}${whole}.${String(frac).padStart(digits, '0')}`;
}
