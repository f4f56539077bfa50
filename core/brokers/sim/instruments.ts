// The simulated venue's instruments: US equities (AAPL fractionable) and CME index futures by root symbol.
import { dec, type Decimal } from '../../domain/decimal.js';
import type { Instrument } from '../../domain/instrument.js';

export interface SimInstrumentSpec {
  readonly instrument: Instrument;
  /** Opening price of the price walk. */
  readonly startPrice: Decimal;
  /** Largest move of one walk step, in ticks. */
  readonly walkTicks: number;
}

/** The active contract of the simulated futures (a fixed December 2026 month). */
export const SIM_CONTRACT_MONTH = 'Z26';

function equity(symbol: string, price: string, fractionable: boolean, walkTicks: number): SimInstrumentSpec {
  return {
    instrument: {
      symbol,
      assetClass: 'equity',
      lotSize: dec(1),
      ...(fractionable ? { fractionalStep: dec('0.0001') } : {}),
      fractionable,
      tickSize: dec('0.01'),
      multiplier: dec(1),
      currency: 'USD',
      shortable: true,
      tradable: true,
    },
    startPrice: dec(price),
    walkTicks,
  };
}

function future(symbol: string, price: string, multiplier: string, walkTicks: number): SimInstrumentSpec {
  const tickSize = dec('0.25');
  return {
    instrument: {
      symbol,
      assetClass: 'future',
      contractId: `SIM.F.US.${symbol}.${SIM_CONTRACT_MONTH}`,
      lotSize: dec(1),
      fractionable: false,
      tickSize,
      tickValue: tickSize.mul(multiplier),
      multiplier: dec(multiplier),
      currency: 'USD',
      shortable: true,
      tradable: true,
    },
    startPrice: dec(price),
    walkTicks,
  };
}

export const DEFAULT_SIM_INSTRUMENTS: readonly SimInstrumentSpec[] = [
  equity('AAPL', '230.00', true, 5),
  equity('MSFT', '420.00', false, 8),
  equity('SPY', '580.00', false, 6),
  future('MES', '6000.00', '5', 2),
  future('ES', '6000.00', '50', 2),
  future('MNQ', '21000.00', '2', 4),
  future('NQ', '21000.00', '20', 4),
];
