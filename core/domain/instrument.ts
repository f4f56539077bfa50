// Instrument: what a broker trades, with the sizes and steps that rounding and notional math need.
import { Decimal } from './decimal.js';

export type AssetClass = 'equity' | 'future';
export type BrokerKind = 'sim' | 'alpaca' | 'projectx';

export interface Instrument {
  /** The symbol the engine maps and plans on: a ticker (AAPL) or a futures root (MES). */
  readonly symbol: string;
  readonly assetClass: AssetClass;
  /** The broker's tradable id for the active contract (futures), e.g. CON.F.US.MES.Z26. */
  readonly contractId?: string;
  /** Quantity increment for whole-lot orders (1 share, 1 contract). */
  readonly lotSize: Decimal;
  /** Smallest increment when fractional orders are allowed (equities only). */
  readonly fractionalStep?: Decimal;
  readonly fractionable: boolean;
  readonly tickSize: Decimal;
  /** Money per tick for futures (MES 1.25, ES 12.5). */
  readonly tickValue?: Decimal;
  /** Money per point per unit: 1 for equities, 5 for MES, 50 for ES. */
  readonly multiplier: Decimal;
  readonly currency: string;
  readonly shortable?: boolean;
  readonly tradable?: boolean;
}

/** Notional value of a quantity at a price. */
export const notional = (inst: Instrument, qty: Decimal, price: Decimal): Decimal =>
  qty.abs().mul(price).mul(inst.multiplier);
