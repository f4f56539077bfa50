// Decimal: exact parsing, arithmetic without float drift, rounding toward zero to a lot.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, dec } from '../../../core/domain/decimal.js';

describe('Decimal', () => {
  it('parses strings and numbers exactly', () => {
    expect(dec('0.1').add('0.2').toString()).toBe('0.3');
    expect(dec(0.1).add(0.2).eq('0.3')).toBe(true);
    expect(dec('-12.500').toString()).toBe('-12.5');
    expect(dec(5012.25).toString()).toBe('5012.25');
  });

  it('rejects malformed input with a clear error', () => {
    expect(() => dec('abc')).toThrow(/not a decimal/);
    expect(() => dec('1e3')).toThrow(/not a decimal/);
    expect(() => dec(Number.NaN)).toThrow(/finite/);
    expect(Decimal.tryFrom('1,5')).toBeUndefined();
    expect(Decimal.tryFrom({})).toBeUndefined();
  });

  it('multiplies and divides with truncation at 9 digits', () => {
    expect(dec('10').mul('0.1').toString()).toBe('1');
    expect(dec('1').div('3').toString()).toBe('0.333333333');
    expect(dec('-1').div('3').toString()).toBe('-0.333333333');
    expect(() => dec(1).div(0)).toThrow(/division by zero/);
  });

  it('rounds toward zero to a step', () => {
    expect(dec('2.9').roundTowardZero(1).toString()).toBe('2');
    expect(dec('-2.9').roundTowardZero(1).toString()).toBe('-2');
    expect(dec('0.99').roundTowardZero(1).isZero()).toBe(true);
    expect(dec('1.23456').roundTowardZero('0.0001').toString()).toBe('1.2345');
    expect(dec('5012.37').roundToStep('0.25').toString()).toBe('5012.25');
    expect(dec('5012.38').roundToStep('0.25').toString()).toBe('5012.5');
  });

  it('formats with fixed digits', () => {
    expect(dec('1.005').toFixed(2)).toBe('1.01');
    expect(dec('-3').toFixed(2)).toBe('-3.00');
    expect(JSON.stringify({ q: dec('1.50') })).toBe('{"q":"1.5"}');
  });

  it('property: rounding toward zero never grows magnitude, keeps the sign and lands on the step', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.constantFrom('1', '0.5', '0.0001', '10'), (n, step) => {
        const x = Decimal.fromUnits(BigInt(n) * 1000n);
        const r = x.roundTowardZero(step);
        expect(r.abs().cmp(x.abs())).toBeLessThanOrEqual(0);
        expect(r.isZero() || r.sign() === x.sign()).toBe(true);
        expect(r.isMultipleOf(step)).toBe(true);
        expect(x.abs().sub(r.abs()).lt(step)).toBe(true);
      }),
    );
  });

  it('property: toString round-trips', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (u) => {
        const x = Decimal.fromUnits(u);
        expect(dec(x.toString()).units).toBe(u);
      }),
    );
  });
});

describe('Decimal text', () => {
  /** The canonical text by BigInt arithmetic alone: what toString printed before its Number fast path. */
  const reference = (units: bigint): string => {
    const neg = units < 0n;
    const abs = neg ? -units : units;
    const frac = (abs % 10n ** 9n).toString().padStart(9, '0').replace(/0+$/, '');
    return `${neg ? '-' : ''}${abs / 10n ** 9n}${frac ? `.${frac}` : ''}`;
  };

  it('prints every value as the BigInt reference does, on both sides of the 2^53-unit fast path', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const edges = [0n, 1n, -1n, 10n, 100_000_000n, 999_999_999n, 1_000_000_000n, 1_000_000_001n, 5_012_250_000_000n, max - 1n, max, max + 1n, max + 10n, 10n ** 30n + 7n];
    const units = [...edges, ...edges.map((u) => -u)];
    let seed = 42n;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      const digits = BigInt(1 + i % 20);
      const u = seed % 10n ** digits;
      units.push(i % 2 ? -u : u, (u / 1000n) * 1000n, u * 10n ** 9n);
    }
    for (const u of units) expect(Decimal.fromUnits(u).toString(), `units ${u}`).toBe(reference(u));
  });
});
