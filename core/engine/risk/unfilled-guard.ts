// The follower guard per link (LinkSettings.unfilledGuard): a copy not filled within afterSeconds of the leader's fill
// raises an alert, or flattens that symbol on that follower (cancel our working orders there, close the position with
// journaled flatten intents) and ends the follower's part of the leader's episode (no repair back in).
import { isTerminal } from '../../domain/order-fsm.js';
import type { IntentId } from '../../domain/ids.js';
import type { CopyIntent } from '../../ports/journal.js';
import type { TimerHandle } from '../../ports/clock.js';
import type { EngineContext } from '../context.js';
import { flattenSymbol } from '../kill-switch.js';
import type { OrderFlow } from '../order-flow.js';
import type { RiskActions } from './risk-actions.js';

export class UnfilledGuard {
  private readonly timers = new Map<IntentId, TimerHandle>();
  private readonly latest = new Map<IntentId, CopyIntent>();
  private off: (() => void) | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly flow: OrderFlow,
    private readonly actions: RiskActions,
  ) {}

  /** Listens to copies only while some enabled link has the guard (the intent event costs the hot path otherwise). */
  sync(): void {
    const any = this.ctx.running && this.ctx.links.some((l) => l.enabled && l.unfilledGuard);
    if (any && !this.off) this.off = this.ctx.events.on('intent', (i) => this.onIntent(i));
    if (!any) this.stop();
  }

  stop(): void {
    this.off?.();
    this.off = undefined;
    for (const t of this.timers.values()) this.ctx.clearTimer(t);
    this.timers.clear();
    this.latest.clear();
  }

  /** Flattens started by the guard (tests wait for them). */
  pending(): Promise<void>[] {
    return [...this.running];
  }

  private onIntent(i: CopyIntent): void {
    if (i.purpose !== 'copy' || i.dryRun) return;
    const guard = this.ctx.link(i.linkId)?.unfilledGuard;
    if (!guard) return;
    if (this.timers.has(i.id)) {
      this.latest.set(i.id, i);
      // Filled, or ended with nothing filled (rejected, cancelled, not placed: alerted or re-planned elsewhere).
      if (i.status === 'filled' || (isTerminal(i.status) && i.filledQty.isZero())) this.forget(i.id);
      return;
    }
    if (i.status !== 'planned') return;
    this.watch(i, guard.afterSeconds);
  }

  /**
   * A copy a previous run left working (restored at start): watched for the time it has left, counted from the
   * leader's fill as before the restart (at once when that time is already up).
   */
  restored(i: CopyIntent): void {
    if (!this.off || i.purpose !== 'copy' || i.dryRun || isTerminal(i.status) || this.timers.has(i.id)) return;
    const guard = this.ctx.link(i.linkId)?.unfilledGuard;
    if (guard) this.watch(i, guard.afterSeconds);
  }

  private watch(i: CopyIntent, afterSeconds: number): void {
    this.latest.set(i.id, i);
    const due = i.leaderReceivedAt + afterSeconds * 1000;
    this.timers.set(i.id, this.ctx.setTimer(Math.max(0, due - this.ctx.clock.now()), () => this.due(i.id)));
  }

  private forget(id: IntentId): void {
    const t = this.timers.get(id);
    if (t) this.ctx.clearTimer(t);
    this.timers.delete(id);
    this.latest.delete(id);
  }

  private due(id: IntentId): void {
    const i = this.latest.get(id);
    this.timers.delete(id);
    this.latest.delete(id);
    const link = i ? this.ctx.link(i.linkId) : undefined;
    const guard = link?.unfilledGuard;
    if (!i || !link || !guard || i.status === 'filled') return;
    const { ctx } = this;
    const what = `${link.id}: copy ${i.side} ${i.qty} ${i.symbol} not filled ${guard.afterSeconds} s after the leader's fill (${i.status}, filled ${i.filledQty})`;
    const numbers = { qty: i.qty.toString(), filled: i.filledQty.toString(), afterSeconds: String(guard.afterSeconds), status: i.status };
    this.actions.record({ accountId: i.followerAccountId, kind: 'unfilled_copy', level: 'breached', action: guard.action === 'flatten' ? 'flatten' : 'alert', message: what, numbers });
    if (guard.action === 'alert') {
      const alert = ctx.raise({ severity: 'warning', code: 'copy_unfilled', message: what, accountId: i.followerAccountId, linkId: link.id });
      if (alert) ctx.notifier.notify(alert);
      return;
    }
    ctx.raise({ severity: 'critical', code: 'copy_unfilled', message: `${what}: flattening ${i.symbol} on ${i.followerAccountId}`, accountId: i.followerAccountId, linkId: link.id });
    this.flow.exits.record({ linkId: link.id, followerAccountId: i.followerAccountId, symbol: i.symbol, leaderSymbol: i.leaderSymbol, reason: 'unfilled_copy', qty: i.filledQty.toString(), time: ctx.clock.now() });
    const run = flattenSymbol(ctx, this.flow, i.followerAccountId, i.symbol)
      .then((results) => {
        const failed = results.filter((r) => !r.ok);
        if (failed.length > 0) ctx.raise({ severity: 'critical', code: 'flatten_failed', message: `${i.symbol} on ${i.followerAccountId} not flattened: ${failed.map((r) => r.error).join('; ')}`, accountId: i.followerAccountId });
      })
      .catch(() => undefined)
      .finally(() => this.running.delete(run));
    this.running.add(run);
  }
}
