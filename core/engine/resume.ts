// Resuming after a halt or a pause: the preview of the orders that would bring each resumed follower in line with its
// target now (a dry plan, nothing sent), and the two choices a person makes:
// - 'align': send those orders at once (purpose 'repair', journaled and shown like any repair);
// - 'new_only': leave the follower's current positions as they are: the reconciler does not repair those symbols until
//   the leader trades the symbol again; that next leader trade is copied by the normal rule (target minus holding),
//   which is the first time the follower is touched there. Kept in memory: a restart falls back to the link's policy.
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Side } from '../domain/side.js';
import type { Scope } from '../domain/trading-state.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { EngineContext } from './context.js';
import type { Copier, PlannedCopy } from './copier.js';
import type { LeaderFlow } from './leader-flow.js';
import type { Reconciler } from './reconciler.js';

export type ResumeMode = 'align' | 'new_only';

export interface ResumePreviewItem {
  readonly linkId: LinkId;
  readonly followerAccountId: AccountId;
  readonly symbol: string;
  /** Signed follower position (decimal text), as tracked after a fresh read of the broker. */
  readonly position: string;
  /** Signed target now (decimal text). */
  readonly target: string;
  /** The orders a resume 'align' would send. */
  readonly orders: readonly { readonly side: Side; readonly qty: string }[];
  /** Set when the follower's market is closed and the link holds or skips the orders (link outsideHours). */
  readonly held?: string;
}

export interface ResumePreview {
  readonly scope: Scope;
  readonly at: number;
  readonly items: readonly ResumePreviewItem[];
  /** Accounts that could not be read (their followers are not in the preview). */
  readonly errors: readonly { readonly accountId: AccountId; readonly message: string }[];
}

export class Resumer {
  constructor(
    private readonly ctx: EngineContext,
    private readonly copier: Copier,
    private readonly reconciler: Reconciler,
    private readonly leaders: LeaderFlow,
  ) {}

  /** Reads the brokers once, then plans every follower symbol of the scope without sending anything. */
  async preview(scope: Scope): Promise<ResumePreview> {
    const { ctx, copier } = this;
    const report = await this.reconciler.run('resume preview');
    const items: ResumePreviewItem[] = [];
    for (const link of this.links(scope)) {
      for (const [symbol, leaderSymbol] of this.symbols(link)) {
        if (!(await copier.ensureInstrument(link, symbol))) continue;
        const planned = copier.planSymbol(link, symbol, leaderSymbol, { purpose: 'repair', sourceId: 'resume-preview', attempt: 0, receivedAt: ctx.clock.now() });
        if (!planned || planned.plan.legs.length === 0) continue;
        items.push({
          linkId: link.id,
          followerAccountId: link.follower,
          symbol,
          position: ctx.book(link.follower).position(symbol).toString(),
          target: planned.plan.target.toString(),
          orders: planned.plan.legs.map((l) => ({ side: l.side, qty: l.qty.toString() })),
          ...(planned.held ? { held: planned.held.reason } : {}),
        });
      }
    }
    return { scope, at: ctx.clock.now(), items, errors: report.errors };
  }

  /** Sends the preview's orders (after a fresh read), as repairs of the resumed followers. */
  async align(scope: Scope): Promise<void> {
    const { ctx } = this;
    await this.reconciler.run('resume align');
    const now = ctx.clock.now();
    for (const link of this.links(scope)) await this.alignLink(link, 'resume', now);
  }

  /**
   * Sends the repairs that bring one link's follower to its target now (source ids `<kind>:<link>:<symbol>:<now>`);
   * with `accept`, only for the symbols whose plan it accepts.
   */
  async alignLink(link: LinkConfig, kind: string, now: number, accept?: (symbol: string, planned: PlannedCopy | undefined) => boolean): Promise<void> {
    for (const [symbol, leaderSymbol] of this.symbols(link)) {
      if (!(await this.copier.ensureInstrument(link, symbol))) continue;
      if (accept && !accept(symbol, this.copier.planSymbol(link, symbol, leaderSymbol, { purpose: 'repair', sourceId: `${kind}-check`, attempt: 0, receivedAt: now }))) continue;
      this.leaders.replan(link, symbol, leaderSymbol, `${kind}:${link.id}:${symbol}:${now}`, { purpose: 'repair' });
    }
  }

  /** 'new_only': every follower symbol of the scope is left as it is until the leader trades it again. */
  leaveAlone(scope: Scope): void {
    for (const link of this.links(scope, false)) for (const symbol of this.symbols(link).keys()) this.ctx.leaveAlone(link.id, symbol);
  }

  private links(scope: Scope, armedOnly = true): LinkConfig[] {
    return this.ctx.links.filter((l) => l.enabled && (!armedOnly || this.ctx.isArmed(l)) && (scope === 'global' || l.follower === scope));
  }

  /** Follower symbol -> leader symbol: what the leader's positions map to, plus follower positions in the link's scope. */
  private symbols(link: LinkConfig): Map<string, string> {
    const out = new Map<string, string>();
    for (const ls of this.ctx.leaders.symbols(link.leader)) {
      const m = this.copier.mapSymbol(link, ls);
      if (m && !out.has(m.symbol)) out.set(m.symbol, ls);
    }
    for (const sym of this.ctx.book(link.follower).positions.keys()) if (!out.has(sym) && this.copier.inScope(link, sym)) out.set(sym, sym);
    return out;
  }
}
