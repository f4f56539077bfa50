// PriceWalk: the simulated venue's last prices, moved by a seeded random walk in whole ticks.
import { Decimal, type DecimalInput } from '../../domain/decimal.js';
import { mulberry32, randomInt, type RandomSource } from '../shared/random.js';
import type { SimInstrumentSpec } from './instruments.js';

export class PriceWalk {
  private readonly random: RandomSource;
  private readonly specs: readonly SimInstrumentSpec[];
  private readonly prices = new Map<string, Decimal>();

  constructor(specs: readonly SimInstrumentSpec[], seed: number) {
    this.specs = specs;
    this.random = mulberry32(seed);
    for (const s of specs) this.prices.set(s.instrument.symbol, s.startPrice);
  }

  last(symbol: string): Decimal | undefined {
    return this.prices.get(symbol);
  }

  /** Sets a price, rounded to the instrument's tick; throws RangeError for an unknown symbol or a price <= 0. */
  set(symbol: string, price: DecimalInput): Decimal {
    const spec = this.specs.find((s) => s.instrument.symbol === symbol);
    if (!spec) throw new RangeError(`sim: unknown symbol ${JSON.stringify(symbol)}`);
    const p = Decimal.from(price).roundToStep(spec.instrument.tickSize);
    if (p.sign() <= 0) throw new RangeError(`sim: price for ${symbol} must be positive, got ${String(price)}`);
    this.prices.set(symbol, p);
    return p;
  }

  /** Moves every symbol by -walkTicks..+walkTicks ticks (never below one tick), in a fixed order. */
  step(): void {
    for (const s of this.specs) {
      const tick = s.instrument.tickSize;
      const ticks = randomInt(this.random, -s.walkTicks, s.walkTicks);
      const moved = this.prices.get(s.instrument.symbol)!.add(tick.mul(ticks));
      this.prices.set(s.instrument.symbol, moved.max(tick));
    }
  }
}
