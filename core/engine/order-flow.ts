// Follower order lifecycle: submit, apply broker order updates (FSM + fill deltas), settle unknown outcomes by lookup.
import { Decimal } from '../domain/decimal.js';
import { BrokerError, errorMessage, isUnknownOutcome } from '../domain/errors.js';
import { eventForStatus, transition, type OrderEvent } from '../domain/order-fsm.js';
import type { AccountId, ClientOrderId } from '../domain/ids.js';
import type { BrokerOrder, OrderRequest } from '../domain/order.js';
import { signed } from '../domain/side.js';
import type { IntentPatch } from '../ports/journal.js';
import { Brackets } from './act/brackets.js';
import { Cancels, isWashTrade } from './act/cancels.js';
import { orderRequest } from './act/order-request.js';
import { toIntent, type EngineContext } from './context.js';
import { inFlightOf, type IntentRecord } from './follower-book.js';
import { FollowerExits } from './state/follower-exits.js';
import { sendRefusal } from './risk/risk-gate.js';

const ACKED = new Set(['accepted', 'partially_filled', 'filled', 'cancel_requested', 'cancelled', 'expired']);

/** Price of the latest fill delta, derived from the cumulative average when possible. */
function deltaPrice(rec: IntentRecord, order: BrokerOrder, delta: Decimal): Decimal {
  const avg = order.avgFillPrice;
  if (!avg) return rec.leaderPrice ?? Decimal.ZERO;
  if (!rec.avgFillPrice || rec.filledQty.isZero()) return avg;
  const px = avg.mul(order.filledQty).sub(rec.avgFillPrice.mul(rec.filledQty)).div(delta);
  return px.sign() > 0 ? px : avg;
}

export class OrderFlow {
  readonly submits = new Set<Promise<void>>();
  /** Follower-side exits: the 'followerExit' event and the reconciler's hold on repairs. */
  readonly exits: FollowerExits;
  readonly brackets: Brackets;
  private readonly cancels: Cancels;
  /** Waiters for an intent's next status change (cancels await final states through them). */
  private readonly watchers = new Map<ClientOrderId, (() => void)[]>();
  /** Intents sent this tick whose bookkeeping waits for the writes (noteSent). */
  private sent: IntentRecord[] = [];

  constructor(
    private readonly ctx: EngineContext,
    private readonly onNotPlaced: (rec: IntentRecord) => void,
  ) {
    this.exits = new FollowerExits(ctx);
    this.brackets = new Brackets(ctx, this.exits);
    this.cancels = new Cancels(ctx, {
      refresh: (rec) => this.refresh(rec),
      nextChange: (rec) => this.nextChange(rec),
      cancelRequested: (rec) => this.applyEvent(rec, 'cancel_request'),
      applyEvent: (rec, event, extra) => this.applyEvent(rec, event, extra),
      replan: (rec) => this.onNotPlaced(rec),
    });
  }

  nextChange(rec: IntentRecord): Promise<void> {
    return new Promise((resolve) => {
      const list = this.watchers.get(rec.clientOrderId);
      if (list) list.push(resolve);
      else this.watchers.set(rec.clientOrderId, [resolve]);
    });
  }

  private notify(rec: IntentRecord): void {
    const list = this.watchers.get(rec.clientOrderId);
    if (!list) return;
    this.watchers.delete(rec.clientOrderId);
    for (const fn of list) fn();
  }

  /** Every broker report of an order on a follower account (stream): our intents, or bracket children of ours. */
  onOrder(account: AccountId, order: BrokerOrder): void {
    const rec = order.clientOrderId ? this.ctx.book(account).find(order.clientOrderId) : undefined;
    if (rec) this.applyOrder(rec, order);
    else if (order.parentOrderId !== undefined) this.brackets.onChild(order);
  }

  request(rec: IntentRecord): OrderRequest {
    return orderRequest(this.ctx, rec);
  }

  /** Sends the intents of one plan in order (close before open); different plans run concurrently. */
  dispatch(recs: readonly IntentRecord[]): void {
    if (recs.length === 0) return;
    const against = this.cancels.opposing(recs[0]!);
    if (against.length > 0) return this.cancels.holdFor(recs, against);
    const run = recs.length === 1 ? this.submit(recs[0]!) : this.submitInOrder(recs);
    this.submits.add(run);
    void run.finally(() => this.submits.delete(run));
  }

  private async submitInOrder(recs: readonly IntentRecord[]): Promise<void> {
    for (const rec of recs) await this.submit(rec);
  }

  /**
   * Sends one planned intent. The adapter asks the gate last before the wire: a halted follower is never sent anything
   * but a flatten order; a copy stopped there ends as not placed (BrokerError 'not_sent') and is not re-planned.
   */
  async submit(rec: IntentRecord, req: OrderRequest = this.request(rec)): Promise<void> {
    const { ctx } = this;
    const adapter = ctx.brokers.get(rec.followerAccountId);
    if (rec.status !== 'planned') return;
    const refusal = this.refusal(rec);
    if (!adapter || this.halted(rec) || refusal) {
      const error = !adapter ? 'follower adapter missing' : refusal ? `refused by risk guard: ${refusal}` : 'follower halted before the order was sent';
      this.applyEvent(rec, 'not_found', { error });
      return;
    }
    rec.sentAt = ctx.clock.now();
    if (rec.receivedMono !== undefined) rec.planLatencyMs = ctx.clock.monotonic() - rec.receivedMono;
    // Before the await below: the sent bookkeeping runs ahead of anything this submit does after it.
    this.noteSent(rec);
    try {
      this.applyOrder(rec, await adapter.submitOrder(req, () => this.gate(rec)));
    } catch (err) {
      if (err instanceof BrokerError && err.code === 'not_sent') {
        ctx.counters.notPlaced++;
        this.applyEvent(rec, 'not_found', { error: `not sent: ${errorMessage(err)}` });
      } else {
        this.onSubmitError(rec, err);
      }
    }
  }

  private halted(rec: IntentRecord): boolean {
    return rec.purpose !== 'flatten' && this.ctx.states.effective(rec.followerAccountId) === 'halted';
  }

  private refusal(rec: IntentRecord): string | undefined {
    const { ctx } = this;
    return ctx.riskGate ? sendRefusal(ctx.riskGate, ctx.book(rec.followerAccountId), rec, ctx.link(rec.linkId)) : undefined;
  }

  /** The adapter's last question before the wire. */
  private gate(rec: IntentRecord): string | undefined {
    if (this.halted(rec)) return 'follower halted before the order reached the wire';
    const why = this.refusal(rec);
    return why ? `refused by risk guard: ${why}` : undefined;
  }

  /**
   * The journal patch (sentAt, plan latency) and the intent event of an order being sent, queued so that every order
   * of this tick is written first: they run in one microtask, before any answer or later step of these submits.
   */
  private noteSent(rec: IntentRecord): void {
    if (this.sent.push(rec) === 1) queueMicrotask(() => this.flushSent());
  }

  private flushSent(): void {
    const { ctx } = this;
    const list = this.sent;
    this.sent = [];
    for (const rec of list) {
      const patch: IntentPatch = { sentAt: rec.sentAt };
      try {
        ctx.journal.updateIntent(rec.id, rec.planLatencyMs === undefined ? patch : { ...patch, planLatencyMs: rec.planLatencyMs });
      } catch (err) {
        // Runs in a microtask of its own: a refused write is reported, never thrown into the event loop.
        ctx.raise({ severity: 'error', code: 'engine_error', message: `order ${rec.clientOrderId}: its send time was not journaled: ${errorMessage(err)}`, accountId: rec.followerAccountId, linkId: rec.linkId });
      }
      ctx.emitIntent(rec);
    }
  }

  private onSubmitError(rec: IntentRecord, err: unknown): void {
    if (isWashTrade(err)) {
      void this.cancels.onWashTrade(rec, err);
    } else if (err instanceof BrokerError && err.code === 'duplicate_client_id') {
      this.markUnknown(rec, 'the broker already has this client id; settling by lookup', false);
    } else if (isUnknownOutcome(err)) {
      this.markUnknown(rec, errorMessage(err), true);
    } else {
      this.applyEvent(rec, 'reject', { error: errorMessage(err) });
    }
  }

  private markUnknown(rec: IntentRecord, message: string, alert: boolean): void {
    const { ctx } = this;
    this.applyEvent(rec, 'outcome_unknown', { error: message });
    ctx.counters.unknownOutcomes++;
    if (alert) {
      ctx.raise({
        severity: 'warning',
        code: 'unknown_outcome',
        message: `Order ${rec.clientOrderId} (${rec.side} ${rec.qty} ${rec.symbol}) may or may not be placed: ${message}. Settling by lookup; it will not be resent blindly.`,
        accountId: rec.followerAccountId,
        linkId: rec.linkId,
      });
    }
    this.settle(rec, ctx.risk.settle.firstDelayMs);
  }

  /** Looks the order up by client id after delayMs, doubling up to maxDelayMs, until found or past the grace. */
  settle(rec: IntentRecord, delayMs: number): void {
    const { ctx } = this;
    rec.unknownSince ??= ctx.clock.now();
    ctx.setTimer(delayMs, () => void this.lookup(rec, delayMs));
  }

  private async lookup(rec: IntentRecord, delayMs: number): Promise<void> {
    const { ctx } = this;
    if (!ctx.running || (rec.status !== 'unknown' && rec.status !== 'planned')) return;
    const next = Math.min(Math.max(1, delayMs * 2), ctx.risk.settle.maxDelayMs);
    const adapter = ctx.brokers.get(rec.followerAccountId);
    if (!adapter) return this.settle(rec, next);
    let found: BrokerOrder | null;
    try {
      found = await adapter.findOrderByClientId(rec.clientOrderId);
    } catch {
      return this.settle(rec, next);
    }
    if (rec.status !== 'unknown' && rec.status !== 'planned') return;
    if (found) {
      this.applyOrder(rec, found);
      ctx.raise({
        severity: 'info',
        code: 'outcome_settled',
        message: `Order ${rec.clientOrderId} was found at the broker (${found.status}).`,
        accountId: rec.followerAccountId,
        linkId: rec.linkId,
      });
    } else if (ctx.clock.now() - (rec.unknownSince ?? 0) >= ctx.risk.settle.notFoundGraceMs) {
      this.applyEvent(rec, 'not_found', { error: 'not placed: the broker has no order with this client id' });
      ctx.counters.notPlaced++;
      ctx.raise({
        severity: 'info',
        code: 'outcome_settled',
        message: `Order ${rec.clientOrderId} was not placed; re-planning ${rec.symbol}.`,
        accountId: rec.followerAccountId,
        linkId: rec.linkId,
      });
      this.onNotPlaced(rec);
    } else {
      this.settle(rec, next);
    }
  }

  /**
   * Catches up a live intent whose broker events may have been missed (restart, dropped stream): one lookup by
   * client id, applied when found. Unknown and planned intents go through settle() instead.
   */
  async refresh(rec: IntentRecord): Promise<void> {
    const adapter = this.ctx.brokers.get(rec.followerAccountId);
    if (!adapter) return;
    try {
      const found = await adapter.findOrderByClientId(rec.clientOrderId);
      if (found) this.applyOrder(rec, found);
    } catch (err) {
      this.ctx.raise(
        { severity: 'warning', code: 'engine_error', message: `order ${rec.clientOrderId} could not be looked up: ${errorMessage(err)}`, accountId: rec.followerAccountId },
        `refresh:${rec.followerAccountId}`,
      );
    }
  }

  /** One path for every broker view of an order (submit result, stream event, lookup, reconcile). */
  applyOrder(rec: IntentRecord, order: BrokerOrder): void {
    const { ctx } = this;
    const book = ctx.book(rec.followerAccountId);
    const before = inFlightOf(rec);
    const patch: { -readonly [K in keyof IntentPatch]: IntentPatch[K] } = {};
    const now = ctx.clock.now();
    const delta = order.filledQty.sub(rec.filledQty);
    if (delta.sign() > 0) {
      const price = deltaPrice(rec, order, delta);
      book.applyFill(rec.symbol, signed(rec.side, delta), order.instrumentId);
      rec.filledQty = patch.filledQty = order.filledQty;
      if (order.avgFillPrice) rec.avgFillPrice = patch.avgFillPrice = order.avgFillPrice;
      ctx.journal.recordFill({ intentId: rec.id, accountId: rec.followerAccountId, symbol: rec.symbol, side: rec.side, qty: delta, price, time: now });
      ctx.counters.fills++;
    }
    if (order.brokerOrderId && rec.brokerOrderId !== order.brokerOrderId) rec.brokerOrderId = patch.brokerOrderId = order.brokerOrderId;
    const prevStatus = rec.status;
    const t = transition(rec.status, eventForStatus(order.status));
    if (!t.ok) {
      ctx.raise({
        severity: 'error',
        code: 'impossible_transition',
        message: `Order ${rec.clientOrderId}: broker reported ${order.status} while the order is ${rec.status}; state kept.`,
        accountId: rec.followerAccountId,
        linkId: rec.linkId,
        details: { from: t.from, event: t.event },
      });
    } else if (t.changed) {
      rec.status = patch.status = t.next;
      if (t.next === 'rejected') rec.error = patch.error = order.rejectReason ?? 'rejected by the broker';
    }
    if (!rec.ackAt && ACKED.has(rec.status)) rec.ackAt = patch.ackAt = now;
    if (!rec.filledAt && rec.status === 'filled') rec.filledAt = patch.filledAt = now;
    book.adjustInFlight(rec.symbol, inFlightOf(rec).sub(before));
    book.settle(rec);
    // An update that changes nothing (a late or repeated message) is neither journaled nor published again.
    this.save(rec, order.raw === undefined || Object.keys(patch).length === 0 ? patch : { ...patch, raw: order.raw });
    if (rec.status !== prevStatus) this.afterStatus(rec);
    if (delta.sign() > 0) this.brackets.align(rec.followerAccountId, rec.symbol);
  }

  /** Applies an engine-side event (reject, outcome_unknown, not_found) through the FSM. */
  applyEvent(rec: IntentRecord, event: OrderEvent, extra: { error?: string } = {}): void {
    const { ctx } = this;
    const t = transition(rec.status, event);
    if (!t.ok || !t.changed) return;
    const before = inFlightOf(rec);
    rec.status = t.next;
    if (extra.error !== undefined) rec.error = extra.error;
    const book = ctx.book(rec.followerAccountId);
    book.adjustInFlight(rec.symbol, inFlightOf(rec).sub(before));
    book.settle(rec);
    this.save(rec, { status: rec.status, ...extra });
    this.afterStatus(rec);
  }

  /** Drops an intent whose journal write did not commit: it was never sent, so it is not placed (memory only). */
  abandon(rec: IntentRecord, reason: string): void {
    const book = this.ctx.book(rec.followerAccountId);
    const before = inFlightOf(rec);
    rec.status = 'not_placed';
    rec.error = reason;
    book.adjustInFlight(rec.symbol, inFlightOf(rec).sub(before));
    book.settle(rec);
    this.ctx.emitIntent(rec);
    this.notify(rec);
  }

  private save(rec: IntentRecord, patch: IntentPatch): void {
    if (Object.keys(patch).length === 0) return;
    this.ctx.journal.updateIntent(rec.id, patch);
    this.ctx.emitIntent(rec);
  }

  private afterStatus(rec: IntentRecord): void {
    const { ctx } = this;
    this.notify(rec);
    if (rec.status === 'rejected') {
      ctx.counters.rejects++;
      ctx.raise({
        severity: 'error',
        code: 'order_rejected',
        message: `Order ${rec.side} ${rec.qty} ${rec.symbol} rejected: ${rec.error ?? 'no reason given'}`,
        accountId: rec.followerAccountId,
        linkId: rec.linkId,
        details: { intent: toIntent(rec).id },
      });
      if (ctx.breaker.onReject(rec.followerAccountId)) {
        ctx.trip(rec.followerAccountId, `${ctx.risk.breaker.maxConsecutiveRejects} consecutive rejects`);
      }
    } else if (rec.status === 'accepted' || rec.status === 'partially_filled' || rec.status === 'filled') {
      ctx.breaker.onAccepted(rec.followerAccountId);
    }
  }
}
