// Doubtful fill facts (a position_qty that contradicts our fills, a zero or negative price): alerted, never acted on,
// and settled by one REST read off the copy path (the position, or the order's average price).
import { Decimal } from '../../domain/decimal.js';
import type { AlertInput } from '../../domain/alert.js';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AccountId } from '../../domain/ids.js';
import type { BrokerOrder, Position } from '../../domain/order.js';
import type { AlpacaRestClient } from './client.js';
import type { Derived, ExecutionTracker } from './executions.js';
import { isObj, parseOrder, parsePosition } from './parse.js';

export interface FactSink {
  /** A derived fill to report; `recheck` false when it came from a check (no second check). */
  derived(d: Derived, recheck: boolean): void;
  position(p: Position): void;
  order(o: BrokerOrder): void;
  alert(a: Omit<AlertInput, 'accountId'>): void;
}

export class FactChecker {
  constructor(
    private readonly rest: AlpacaRestClient,
    private readonly tracker: ExecutionTracker,
    private readonly accountId: AccountId,
    private readonly sink: FactSink,
  ) {}

  /** Alerts on the doubtful facts of a derived fill and starts their REST checks. */
  review(d: Derived, recheck: boolean): void {
    const m = d.mismatch;
    if (m) {
      if (m.alert) {
        const expected = m.expected !== undefined ? `, expected ${m.expected.toString()} from fills` : '';
        this.sink.alert({
          severity: 'warning',
          code: 'drift',
          message: `Alpaca position_qty for ${m.symbol} is ${m.reported.toString()}${expected}; not believed, checking the position with Alpaca`,
        });
      }
      void this.checkPosition(m.symbol);
    }
    const b = d.badPrice;
    if (b) {
      const what = b.price !== undefined ? `price ${b.price.toString()}` : 'no usable price';
      this.sink.alert({
        severity: 'error',
        code: 'malformed_message',
        message: recheck
          ? `Alpaca reported a ${b.symbol} fill of order ${b.orderId} with ${what}; not reported until Alpaca's order shows a real price`
          : `Alpaca's order ${b.orderId} (${b.symbol}) still shows ${what}; the fill is not reported (reconcile corrects positions)`,
      });
      if (recheck) void this.checkOrder(b.orderId);
    }
  }

  /** A position the stream contradicted, read once over REST and reported as the position. */
  private async checkPosition(symbol: string): Promise<void> {
    try {
      const { status, body } = await this.rest.get(`/v2/positions/${encodeURIComponent(symbol)}`, { allow: [404] });
      const qty = status === 404 ? Decimal.ZERO : parsePosition(body, this.accountId).qty;
      this.tracker.setPosition(symbol, qty);
      this.sink.position({ accountId: this.accountId, symbol, qty });
    } catch (err) {
      this.sink.alert({ severity: 'warning', code: 'broker_notice', message: `Alpaca position check for ${symbol} failed: ${errorMessage(err)}` });
    }
  }

  /** A fill without a believable price: the order read over REST decides (its average price), once. */
  private async checkOrder(orderId: string): Promise<void> {
    try {
      const { body } = await this.rest.get(`/v2/orders/${encodeURIComponent(orderId)}`);
      if (!isObj(body)) throw new BrokerError('protocol', 'Alpaca order is not an object');
      this.sink.derived(this.tracker.fromOrder(body, 'stream'), false);
      this.sink.order(parseOrder(body, this.accountId));
    } catch (err) {
      this.sink.alert({ severity: 'warning', code: 'broker_notice', message: `Alpaca order check for ${orderId} failed: ${errorMessage(err)}` });
    }
  }
}
