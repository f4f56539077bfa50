// Bracket children of our entries: recognised by their parent (they carry no client id) and counted as ours; their
// fills move the follower's position and are follower-side exits; the engine cancels the children that would protect
// more than the follower holds (the leader reduced or closed), last entry's first. The port has no order modify, so a
// bracket is cut down by whole entries; a remainder left without one is said in an alert.
import { Decimal } from '../../domain/decimal.js';
import { errorMessage } from '../../domain/errors.js';
import { isOurClientId } from '../../domain/client-id.js';
import type { AccountId, BrokerOrderId } from '../../domain/ids.js';
import type { BrokerOrder } from '../../domain/order.js';
import { isTerminal } from '../../domain/order-fsm.js';
import { signed } from '../../domain/side.js';
import type { EngineContext } from '../context.js';
import type { IntentRecord } from '../follower-book.js';
import type { FollowerExits } from '../state/follower-exits.js';

interface Child {
  order: BrokerOrder;
  readonly parent: IntentRecord;
}

export class Brackets {
  private readonly byAccount = new Map<AccountId, Map<BrokerOrderId, Child>>();
  private readonly cancelling = new Set<BrokerOrderId>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly exits: FollowerExits,
  ) {}

  private children(account: AccountId): Map<BrokerOrderId, Child> {
    let m = this.byAccount.get(account);
    if (!m) this.byAccount.set(account, (m = new Map()));
    return m;
  }

  /** Whether an order without our client id is a bracket child of one of ours (its parent is ours). */
  isOurs(order: BrokerOrder, view: readonly BrokerOrder[] = []): boolean {
    if (order.parentOrderId === undefined) return false;
    if (this.parentOf(order)) return true;
    return view.some((o) => o.brokerOrderId === order.parentOrderId && isOurClientId(o.clientOrderId));
  }

  /**
   * The entry a child belongs to: tracked, live in the book, or journaled (an entry that filled in an earlier run: its
   * children are still ours after a restart, cut down and cancelled with the position like any other).
   */
  private parentOf(order: BrokerOrder): IntentRecord | undefined {
    const known = this.children(order.accountId).get(order.brokerOrderId);
    if (known) return known.parent;
    if (order.parentOrderId === undefined) return undefined;
    const live = this.ctx.book(order.accountId).findByBrokerId(order.parentOrderId);
    if (live) return live;
    const journaled = this.ctx.journal.intentByBrokerOrder(order.accountId, order.parentOrderId);
    return journaled && { ...journaled };
  }

  /**
   * A broker report of a bracket child. Stream reports apply fills (a follower-side exit); a snapshot report
   * (`baseline`) only starts tracking, since the snapshot's positions already hold what it filled. False when foreign.
   */
  onChild(order: BrokerOrder, baseline = false): boolean {
    const kids = this.children(order.accountId);
    const known = kids.get(order.brokerOrderId);
    const parent = this.parentOf(order);
    if (!parent) return false;
    const delta = baseline ? Decimal.ZERO : order.filledQty.sub(known?.order.filledQty ?? Decimal.ZERO);
    if (isTerminal(order.status)) {
      kids.delete(order.brokerOrderId);
      this.cancelling.delete(order.brokerOrderId);
    } else {
      kids.set(order.brokerOrderId, { order, parent });
    }
    if (delta.sign() > 0) {
      this.ctx.book(order.accountId).applyFill(order.symbol, signed(order.side, delta), order.instrumentId);
      this.exits.record({
        linkId: parent.linkId,
        followerAccountId: parent.followerAccountId,
        symbol: parent.symbol,
        leaderSymbol: parent.leaderSymbol,
        reason: order.role === 'take_profit' ? 'take_profit' : 'stop_loss',
        qty: delta.toString(),
        time: this.ctx.clock.now(),
      });
    }
    return true;
  }

  /** Cancels the children that protect more than the follower now holds (all of them when flat or reversed). */
  align(account: AccountId, symbol: string): void {
    const groups = new Map<BrokerOrderId, Decimal>();
    for (const c of this.children(account).values()) {
      if (c.order.symbol !== symbol || this.cancelling.has(c.order.brokerOrderId)) continue;
      const parentId = c.order.parentOrderId!;
      const left = c.order.qty.sub(c.order.filledQty);
      groups.set(parentId, (groups.get(parentId) ?? Decimal.ZERO).max(left));
    }
    if (groups.size === 0) return;
    const held = this.ctx.book(account).position(symbol);
    const side = [...this.children(account).values()].find((c) => c.order.symbol === symbol)!.order.side;
    const protects = !held.isZero() && signed(side, Decimal.ONE).sign() !== held.sign();
    let covered = Decimal.ZERO;
    for (const q of groups.values()) covered = covered.add(q);
    const drop: BrokerOrderId[] = [];
    for (const parentId of [...groups.keys()].reverse()) {
      if (protects && !covered.gt(held.abs())) break;
      covered = covered.sub(groups.get(parentId)!);
      drop.push(parentId);
    }
    if (drop.length === 0) return;
    for (const c of [...this.children(account).values()]) if (drop.includes(c.order.parentOrderId!)) this.cancel(c.order);
    if (protects && covered.lt(held.abs())) {
      this.ctx.raise(
        {
          severity: 'warning',
          code: 'engine_error',
          message: `${account} ${symbol}: bracket cut down with the position; ${held.abs().sub(covered)} of ${held.abs()} now has no stop/target (brackets are cancelled by whole entries)`,
          accountId: account,
        },
        `bracket:${account}:${symbol}`,
      );
    }
  }

  private cancel(order: BrokerOrder): void {
    const adapter = this.ctx.brokers.get(order.accountId);
    if (!adapter) return;
    this.cancelling.add(order.brokerOrderId);
    adapter.cancelOrder(order.brokerOrderId).catch((err: unknown) => {
      this.cancelling.delete(order.brokerOrderId);
      this.ctx.raise(
        { severity: 'warning', code: 'engine_error', message: `bracket ${order.role ?? 'child'} ${order.brokerOrderId} on ${order.accountId} not cancelled: ${errorMessage(err)}`, accountId: order.accountId },
        `bracket-cancel:${order.brokerOrderId}`,
      );
    });
  }
}
