// Acting on the risk book's decisions, each once: journal the action with its numbers, alert (and notify) at warning
// and breach, block new exposure, or flatten and lock a follower through the kill switch's flatten path (journaled
// flatten intents; the lock is a follower-side exit: its part of the leader's episode ends, no repair back in).
import type { AccountId } from '../../domain/ids.js';
import type { GuardKind } from '../../domain/guard-settings.js';
import type { RiskActionRecord } from '../../ports/journal.js';
import type { EngineContext } from '../context.js';
import { haltSteps } from '../kill-switch.js';
import type { OrderFlow } from '../order-flow.js';
import type { RiskBookPort, RiskDecision, RiskLock } from './types.js';

const ACTION_WORDS = {
  alert: 'alert only',
  block: 'new exposure blocked (exits still copied)',
  flatten_lock: 'flattening and locking the account',
} as const;

export class RiskActions {
  /** Flattens in progress per account (a second breach while one runs joins it). */
  private readonly flattening = new Map<AccountId, Promise<void>>();

  constructor(
    private readonly ctx: EngineContext,
    private readonly flow: OrderFlow,
    private readonly book: RiskBookPort,
  ) {}

  record(entry: Omit<RiskActionRecord, 'time'>): void {
    try {
      this.ctx.journal.recordRiskAction({ ...entry, time: this.ctx.clock.now() });
    } catch (err) {
      this.ctx.raise({ severity: 'error', code: 'engine_error', message: `risk action of ${entry.accountId} not journaled: ${String(err)}`, accountId: entry.accountId });
    }
  }

  /** Journals, alerts and acts on one decision; returns true when the account's lock state changed. */
  act(d: RiskDecision): boolean {
    const { ctx } = this;
    this.record({ accountId: d.accountId, kind: d.kind, level: d.level, action: d.action, message: d.message, numbers: d.numbers });
    if (d.level === 'warning') {
      const alert = ctx.raise({ severity: 'warning', code: 'risk_warning', message: d.message, accountId: d.accountId, details: { kind: d.kind, ...d.numbers } });
      if (alert) ctx.notifier.notify(alert);
      return false;
    }
    const follower = ctx.links.some((l) => l.enabled && l.follower === d.accountId);
    const words = follower || d.action === 'alert' ? ACTION_WORDS[d.action] : 'copying new exposure from this leader paused (exits still copied)';
    ctx.raise({ severity: 'critical', code: 'risk_breached', message: `${d.message}: ${words}`, accountId: d.accountId, details: { kind: d.kind, ...d.numbers } });
    if (d.action === 'alert') return false;
    const mode = d.action === 'block' ? 'block' : 'lock';
    const changed = this.ensureLock(d.accountId, { kind: d.kind, reason: d.message, at: ctx.clock.now(), mode, ...(d.until !== undefined ? { until: d.until } : {}) });
    if (mode === 'lock') void this.flatten(d.accountId, d.kind, d.message, 'risk guard');
    return changed;
  }

  /** Puts the lock on unless the book already holds one as strict for this guard. */
  ensureLock(id: AccountId, lock: RiskLock): boolean {
    const held = this.book.persisted(id)?.locks ?? [];
    if (held.some((l) => l.mode === 'lock' || (l.mode === lock.mode && l.kind === lock.kind))) return false;
    this.book.lock(id, lock);
    return true;
  }

  /**
   * Cancels the follower's working orders and closes its positions (journaled 'flatten' intents, the gate lets only
   * those through), after ending its part of every open leader episode. Leaders are not traded by the copier: a lock
   * on a leader pauses copying new exposure from it (the gate).
   */
  flatten(id: AccountId, kind: GuardKind, reason: string, actor: string): Promise<void> {
    const { ctx } = this;
    const running = this.flattening.get(id);
    if (running) return running;
    if (!ctx.links.some((l) => l.enabled && l.follower === id)) return Promise.resolve();
    const run = (async () => {
      this.endEpisodes(id);
      const report = await haltSteps(ctx, this.flow, { scope: id, cancelOpenOrders: true, flattenPositions: true, actor, reason });
      const f = report.followers[0];
      const closed = [...(f?.flattened ?? []), ...(f?.swept ?? [])].filter((r) => r.ok).map((r) => r.symbol);
      const numbers = { closed: closed.join(' ') || 'none', cancelled: String(f?.cancelled.filter((r) => r.ok).length ?? 0), errors: f?.errors.join('; ') || 'none' };
      this.record({ accountId: id, kind, level: 'breached', action: 'flatten', message: `flattened ${id}: ${reason}`, numbers, actor });
    })()
      .catch((err: unknown) => {
        ctx.raise({ severity: 'critical', code: 'flatten_failed', message: `flattening ${id} for its risk guard failed: ${String(err)}`, accountId: id });
      })
      .finally(() => this.flattening.delete(id));
    this.flattening.set(id, run);
    return run;
  }

  /** Flattens in progress (tests and the benchmark wait for them). */
  pending(): Promise<void>[] {
    return [...this.flattening.values()];
  }

  /** The lock is a follower-side exit: every open leader episode the follower mirrors ends for it (journaled). */
  private endEpisodes(id: AccountId): void {
    const { ctx } = this;
    const now = ctx.clock.now();
    for (const link of ctx.links) {
      if (!link.enabled || link.follower !== id) continue;
      for (const ls of [...ctx.leaders.symbols(link.leader)]) {
        if (ctx.leaders.get(link.leader, ls).qty.isZero()) continue;
        const symbol = Object.hasOwn(link.symbolMap, ls) ? link.symbolMap[ls]!.symbol : link.copyUnmapped ? ls : undefined;
        if (!symbol) continue;
        this.flow.exits.record({ linkId: link.id, followerAccountId: id, symbol, leaderSymbol: ls, reason: 'risk_guard', qty: ctx.book(id).position(symbol).abs().toString(), time: now });
      }
    }
  }
}
