// Engine-decided cancels: when a plan moves against our working orders, or the broker refuses an order as a potential
// wash trade against one of ours, cancel them, await their final state (cancelled or filled), then re-plan from what
// filled. Foreign orders are never touched. Adapters only report; this is the one place such cancels are decided.
import { isOurClientId } from '../../domain/client-id.js';
import { BrokerError, errorMessage, isUnknownOutcome } from '../../domain/errors.js';
import type { BrokerOrderId, ClientOrderId } from '../../domain/ids.js';
import type { BrokerOrder } from '../../domain/order.js';
import { isTerminal, type OrderEvent } from '../../domain/order-fsm.js';
import type { EngineContext } from '../context.js';
import type { IntentRecord } from '../follower-book.js';

/** What the cancels need from the order flow. */
export interface CancelFlow {
  /** One lookup by client id, applied to the intent when found. */
  refresh(rec: IntentRecord): Promise<void>;
  /** Resolves at the intent's next status change. */
  nextChange(rec: IntentRecord): Promise<void>;
  /** Marks a sent-to-cancel intent cancel_requested. */
  cancelRequested(rec: IntentRecord): void;
  applyEvent(rec: IntentRecord, event: OrderEvent, extra?: { error?: string }): void;
  /** Plans rec's symbol again (next attempt of its source) from what the follower now holds and has working. */
  replan(rec: IntentRecord): void;
}

const CANCELLABLE = new Set(['accepted', 'partially_filled', 'cancel_requested']);

/** A broker's refusal of an order because an opposite order of the account rests on the same instrument. */
export const isWashTrade = (err: unknown): boolean =>
  err instanceof BrokerError && (err.code === 'rejected' || err.code === 'forbidden') && /wash trade/i.test(err.message);

export class Cancels {
  /** Cancels in progress by client id, so two plans against one order share one cancel. */
  private readonly inProgress = new Map<ClientOrderId, Promise<void>>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly flow: CancelFlow,
  ) {}

  /**
   * Our live limit orders on the same follower and symbol whose side opposes rec's (the plan moved against them). Market
   * orders fill as they arrive, so a plan nets against them (they count as working) instead of waiting on a cancel.
   */
  opposing(rec: IntentRecord): IntentRecord[] {
    const out: IntentRecord[] = [];
    for (const other of this.ctx.book(rec.followerAccountId).liveLimitsOf(rec.symbol)) {
      if (other !== rec && other.side !== rec.side) out.push(other);
    }
    return out;
  }

  /**
   * The plan moved against our working orders: nothing of it is sent (its intents end not_placed, saying why); they
   * are cancelled and awaited (cancelled or filled), then the symbol is re-planned from what actually filled.
   */
  holdFor(recs: readonly IntentRecord[], against: readonly IntentRecord[]): void {
    const what = against.map((r) => `${r.side} ${r.qty.sub(r.filledQty)} ${r.symbol} (${r.clientOrderId})`).join(', ');
    const error = `not sent: the target moved against our working ${what}; cancelling it first, then re-planning from what filled`;
    for (const rec of recs) this.flow.applyEvent(rec, 'not_found', { error });
    void Promise.all(against.map((rec) => this.cancel(rec))).then(() => this.flow.replan(recs[0]!));
  }

  /** A potential wash trade: our opposing orders are cancelled and awaited, then re-planned; foreign ones are left alone. */
  async onWashTrade(rec: IntentRecord, err: unknown): Promise<void> {
    const reason = errorMessage(err);
    let cleared: { ours: BrokerOrder[]; foreign: BrokerOrder[] };
    try {
      cleared = await this.clearOpposing(rec);
    } catch (readErr) {
      this.flow.applyEvent(rec, 'reject', { error: `${reason}; the opposing orders could not be read: ${errorMessage(readErr)}` });
      return;
    }
    if (cleared.ours.length === 0) {
      const foreign = cleared.foreign.map((o) => `${o.side} ${o.qty} ${o.symbol} (${o.clientOrderId ?? o.brokerOrderId})`).join(', ');
      this.flow.applyEvent(rec, 'reject', { error: `${reason}; the opposing order${foreign ? ` ${foreign}` : ''} is not ours and is left alone` });
      return;
    }
    this.flow.applyEvent(rec, 'not_found', { error: `${reason}; our opposing order was cancelled, re-planning from what filled` });
    this.ctx.raise({
      severity: 'warning',
      code: 'order_rejected',
      message: `Order ${rec.side} ${rec.qty} ${rec.symbol} refused as a potential wash trade: our opposing ${cleared.ours.map((o) => `${o.side} ${o.qty}`).join(', ')} cancelled; re-planning.`,
      accountId: rec.followerAccountId,
      linkId: rec.linkId,
    });
    this.flow.replan(rec);
  }

  /**
   * The broker's open orders opposing rec that are ours (client-id prefix, or bracket children of ours) are cancelled
   * and awaited; the foreign ones are only reported.
   */
  private async clearOpposing(rec: IntentRecord): Promise<{ ours: BrokerOrder[]; foreign: BrokerOrder[] }> {
    const adapter = this.ctx.brokers.get(rec.followerAccountId);
    if (!adapter) return { ours: [], foreign: [] };
    const open = await adapter.openOrders();
    const ourIds = new Set(open.filter((o) => isOurClientId(o.clientOrderId)).map((o) => o.brokerOrderId));
    const against = open.filter((o) => o.symbol === rec.symbol && o.side !== rec.side);
    const ours = against.filter((o) => ourIds.has(o.brokerOrderId) || (o.parentOrderId !== undefined && ourIds.has(o.parentOrderId)));
    const foreign = against.filter((o) => !ours.includes(o));
    const book = this.ctx.book(rec.followerAccountId);
    await Promise.all(
      ours.map((o) => {
        const known = o.clientOrderId ? book.find(o.clientOrderId) : undefined;
        return known ? this.cancel(known) : this.cancelUntracked(o);
      }),
    );
    return { ours, foreign };
  }

  private cancel(rec: IntentRecord): Promise<void> {
    const running = this.inProgress.get(rec.clientOrderId);
    if (running) return running;
    const p = this.cancelLoop(rec).finally(() => this.inProgress.delete(rec.clientOrderId));
    this.inProgress.set(rec.clientOrderId, p);
    return p;
  }

  /** Asks once the order is at the broker, then waits for its final state (lookups when events are slow). */
  private async cancelLoop(rec: IntentRecord): Promise<void> {
    const { ctx } = this;
    let delay = ctx.risk.settle.firstDelayMs;
    let asked = false;
    while (!isTerminal(rec.status) && ctx.running) {
      if (!asked && rec.brokerOrderId && CANCELLABLE.has(rec.status)) {
        asked = await this.ask(rec, rec.brokerOrderId);
        if (isTerminal(rec.status)) break;
      }
      if (!(await this.changeWithin(rec, delay))) {
        await this.flow.refresh(rec);
        delay = Math.min(delay * 2, ctx.risk.settle.maxDelayMs);
      }
    }
  }

  /** Sends the cancel; true when it need not be sent again (accepted, or definitely refused: the order is final). */
  private async ask(rec: IntentRecord, id: BrokerOrderId): Promise<boolean> {
    const adapter = this.ctx.brokers.get(rec.followerAccountId);
    if (!adapter) return false;
    try {
      await adapter.cancelOrder(id);
      this.flow.cancelRequested(rec);
      return true;
    } catch (err) {
      if (isUnknownOutcome(err)) return false;
      await this.flow.refresh(rec);
      return true;
    }
  }

  private changeWithin(rec: IntentRecord, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.ctx.setTimer(ms, () => resolve(false));
      void this.flow.nextChange(rec).then(() => {
        this.ctx.clearTimer(timer);
        resolve(true);
      });
    });
  }

  /** An order of ours the engine has no intent for (an earlier run's, a bracket child): cancel, poll until gone. */
  private async cancelUntracked(order: BrokerOrder): Promise<void> {
    const { ctx } = this;
    const adapter = ctx.brokers.get(order.accountId);
    if (!adapter) return;
    let delay = ctx.risk.settle.firstDelayMs;
    for (let asked = false; ctx.running; ) {
      try {
        if (!asked) await adapter.cancelOrder(order.brokerOrderId);
        asked = true;
      } catch (err) {
        asked = !isUnknownOutcome(err);
      }
      try {
        const open = await adapter.openOrders();
        if (!open.some((o) => o.brokerOrderId === order.brokerOrderId)) return;
      } catch (err) {
        ctx.raise({ severity: 'warning', code: 'engine_error', message: `open orders of ${order.accountId} not read: ${errorMessage(err)}`, accountId: order.accountId }, `cancel:${order.accountId}`);
      }
      await new Promise<void>((resolve) => ctx.setTimer(delay, resolve));
      delay = Math.min(delay * 2, ctx.risk.settle.maxDelayMs);
    }
  }
}
