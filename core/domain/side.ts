// Order side and signed-quantity helpers.
import { Decimal } from './decimal.js';

export type Side = 'buy' | 'sell';

export const opposite = (s: Side): Side => (s === 'buy' ? 'sell' : 'buy');

/** +qty for buys, -qty for sells. */
export const signed = (side: Side, qty: Decimal): Decimal => (side === 'buy' ? qty : qty.neg());

/** The side and absolute quantity of a signed delta. */
export const sideOf = (delta: Decimal): Side => (delta.sign() >= 0 ? 'buy' : 'sell');
