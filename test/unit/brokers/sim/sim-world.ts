// Test helpers for the sim: a venue on a TestClock, order requests and event capture.
import { dec, type Decimal } from '../../../../core/domain/decimal.js';
import { accountId, clientOrderId } from '../../../../core/domain/ids.js';
import type { OrderRequest } from '../../../../core/domain/order.js';
import type { Side } from '../../../../core/domain/side.js';
import { SimExchange, type SimEvent, type SimExchangeOptions } from '../../../../core/brokers/sim/index.js';
import { TestClock } from '../../../support/test-clock.js';

export function world(opts: Partial<Omit<SimExchangeOptions, 'clock'>> = {}) {
  const clock = new TestClock(Date.UTC(2026, 10, 20, 15, 0));
  const ex = new SimExchange({ clock, seed: 11, ...opts });
  ex.addAccount('A', { cash: 100_000 });
  const events: SimEvent[] = [];
  ex.subscribe('A', (e) => events.push(e));
  let seq = 0;
  const req = (side: Side, qty: string | Decimal, symbol = 'MES', extra: Partial<OrderRequest> = {}): OrderRequest => ({
    accountId: accountId('A'),
    clientOrderId: clientOrderId(`t-${++seq}`),
    symbol,
    side,
    qty: dec(qty),
    type: 'market',
    timeInForce: 'day',
    purpose: 'copy',
    ...extra,
  });
  const of = <K extends SimEvent['kind']>(kind: K) =>
    events.filter((e): e is Extract<SimEvent, { kind: K }> => e.kind === kind);
  return { clock, ex, events, req, of };
}
