// The order request for an intent: brackets only on exposure-increasing orders, and a reduction sent to the
// instrument (futures contract) the position is held in; new exposure goes to the venue's active contract.
import { Decimal } from '../../domain/decimal.js';
import type { OrderRequest } from '../../domain/order.js';
import { signed } from '../../domain/side.js';
import type { EngineContext } from '../context.js';
import { inFlightOf, type IntentRecord } from '../follower-book.js';

export function orderRequest(ctx: EngineContext, rec: IntentRecord): OrderRequest {
  const link = ctx.link(rec.linkId);
  const brackets = ctx.brokers.get(rec.followerAccountId)?.capabilities.brackets ?? false;
  // What the follower holds or has working before this order (a reversal's open leg counts its close leg as done).
  const before = ctx.book(rec.followerAccountId).effective(rec.symbol).sub(inFlightOf(rec));
  const increasing = before.isZero() || before.sign() === (rec.side === 'buy' ? 1 : -1);
  const bracket = brackets && link?.bracket && increasing && rec.purpose !== 'flatten' && !rec.extendedHours ? link.bracket : undefined;
  const instrumentId = increasing ? undefined : contractHeld(ctx, rec);
  // Built without spreads (one request per follower order); optional fields only when set.
  const req: { -readonly [K in keyof OrderRequest]: OrderRequest[K] } = {
    accountId: rec.followerAccountId,
    clientOrderId: rec.clientOrderId,
    symbol: rec.symbol,
    side: rec.side,
    qty: rec.qty,
    type: rec.orderType,
    timeInForce: 'day',
    purpose: rec.purpose,
  };
  if (instrumentId) req.instrumentId = instrumentId;
  if (rec.limitPrice) req.limitPrice = rec.limitPrice;
  if (rec.extendedHours) req.extendedHours = true;
  if (bracket) req.bracket = bracket;
  return req;
}

/**
 * The instrument a reduction closes in: one holding the whole quantity on the other side, an earlier contract before
 * the active one. Undefined (the venue's active contract) when none does, e.g. a reversal or a spread over contracts.
 */
export function contractHeld(ctx: EngineContext, rec: IntentRecord): string | undefined {
  const active = ctx.instruments.get(ctx.instrumentKey(rec.followerAccountId, rec.symbol))?.contractId;
  const side = signed(rec.side, Decimal.ONE).sign();
  let pick: string | undefined;
  for (const [id, qty] of ctx.book(rec.followerAccountId).holdingsOf(rec.symbol)) {
    if (id === rec.symbol || qty.sign() === side || rec.qty.gt(qty.abs())) continue;
    if (pick === undefined || pick === active) pick = id;
  }
  return pick;
}
