// The sync view: "does every follower match the leader?" per link and follower symbol, read from the engine's account
// state (leader position, the link's eligible part E, target T, follower position, our working orders, drift =
// T - (position + working)) with the repair each drift needs, planned by the copier exactly as the reconciler plans one;
// and applying such a repair through the normal order path (journaled intents, breaker, send gate), audited.
import { Decimal } from '../domain/decimal.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Side } from '../domain/side.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import { contractHeld } from './act/order-request.js';
import type { EngineContext } from './context.js';
import type { Copier, PlannedCopy } from './copier.js';
import { scopeReason } from './filters.js';
import type { OrderFlow } from './order-flow.js';

export interface SyncOrder {
  readonly side: Side;
  readonly qty: string;
  readonly symbol: string;
  /** The broker instrument the order trades (futures: the contract held for a reduction, else the active one). */
  readonly instrument: string;
}

export interface SyncRow {
  readonly linkId: LinkId;
  readonly leaderAccountId: AccountId;
  readonly followerAccountId: AccountId;
  readonly symbol: string;
  readonly leaderSymbol: string;
  /** Decimal texts, signed. */
  readonly leaderPosition: string;
  readonly eligible: string;
  readonly target: string;
  readonly position: string;
  readonly working: string;
  readonly drift: string;
  /** The repair: the exact orders an apply sends now (empty when in line or not ours). */
  readonly orders: readonly SyncOrder[];
  /** Whether an apply may send them now; when not, `note` says why. */
  readonly canApply: boolean;
  readonly note?: string;
}

export interface SyncFollower {
  readonly accountId: AccountId;
  readonly state: string;
  readonly connected: boolean;
  /** Why none of its drifts is repaired now (halted, paused, not connected), if so. */
  readonly blocked?: string;
}

export interface SyncView {
  readonly at: number;
  readonly followers: readonly SyncFollower[];
  readonly rows: readonly SyncRow[];
}

export interface SyncApplyItem {
  readonly linkId: string;
  readonly symbol: string;
  /** The orders the person confirmed: the apply is refused when the plan now differs. */
  readonly orders?: readonly { readonly side: Side; readonly qty: string }[];
}

export interface SyncSent {
  readonly linkId: LinkId;
  readonly followerAccountId: AccountId;
  readonly symbol: string;
  readonly side: Side;
  readonly qty: string;
  readonly instrument: string;
  readonly clientOrderId: string;
  readonly dryRun: boolean;
}

export interface SyncApplyResult {
  readonly sent: readonly SyncSent[];
  readonly refused: readonly { readonly linkId: string; readonly symbol: string; readonly reason: string }[];
}

export class SyncDesk {
  constructor(
    private readonly ctx: EngineContext,
    private readonly copier: Copier,
    private readonly flow: OrderFlow,
  ) {}

  /** The view of every enabled link (or one follower's), from the engine's state: nothing is read or sent. */
  async view(follower?: AccountId): Promise<SyncView> {
    const { ctx } = this;
    const links = this.links(follower);
    const rows: SyncRow[] = [];
    for (const link of links) {
      for (const [symbol, leaderSymbol] of this.symbols(link)) {
        const row = await this.row(link, symbol, leaderSymbol);
        if (row) rows.push(row);
      }
    }
    const followers = [...new Set(links.map((l) => l.follower))].map((id): SyncFollower => {
      const blocked = this.followerBlocker(id);
      return { accountId: id, state: ctx.states.effective(id), connected: ctx.brokers.has(id), ...(blocked ? { blocked } : {}) };
    });
    return { at: ctx.clock.now(), followers, rows };
  }

  /**
   * Sends the repairs of the given rows (or of every drift of one follower) through the normal order path, each only
   * when its plan now is still the orders the person confirmed. Audited with the actor, what was sent and refused.
   */
  async apply(target: { items: readonly SyncApplyItem[] } | { follower: AccountId }, actor: string): Promise<SyncApplyResult> {
    const { ctx } = this;
    const items: SyncApplyItem[] =
      'items' in target
        ? [...target.items]
        : (await this.view(target.follower)).rows.filter((r) => r.orders.length > 0).map((r) => ({ linkId: r.linkId, symbol: r.symbol }));
    const sent: SyncSent[] = [];
    const refused: { linkId: string; symbol: string; reason: string }[] = [];
    for (const item of items) {
      const why = await this.applyOne(item, sent);
      if (why) refused.push({ linkId: item.linkId, symbol: item.symbol, reason: why });
    }
    const scope = 'follower' in target ? { follower: target.follower } : {};
    ctx.journal.audit({ actor, action: 'sync_apply', details: { ...scope, sent, refused } }, ctx.clock.now());
    return { sent, refused };
  }

  private async applyOne(item: SyncApplyItem, sent: SyncSent[]): Promise<string | undefined> {
    const { ctx, copier } = this;
    const link = ctx.link(item.linkId as LinkId);
    if (!link?.enabled) return `no enabled link "${item.linkId}"`;
    const leaderSymbol = this.symbols(link).get(item.symbol);
    if (leaderSymbol === undefined) return `${item.symbol} is not a symbol of ${link.id}`;
    const outOfScope = scopeReason(link, leaderSymbol, item.symbol);
    if (outOfScope) return `not ours: ${outOfScope}`;
    const blocked = this.followerBlocker(link.follower) ?? this.linkBlocker(link, item.symbol);
    if (blocked) return blocked;
    if (!(await copier.ensureInstrument(link, item.symbol))) return `${item.symbol} cannot be resolved on ${link.follower}`;
    const now = ctx.clock.now();
    const sourceId = `sync:${link.id}:${item.symbol}:${now}`;
    const attempt = ctx.journal.lastAttempt(link.follower, sourceId) + 1;
    const planned = copier.planSymbol(link, item.symbol, leaderSymbol, { purpose: 'repair', sourceId, attempt, receivedAt: now });
    if (!planned || planned.plan.legs.length === 0) return 'in line now: nothing to send';
    if (planned.held) return `held: ${planned.held.reason}`;
    const legs = planned.plan.legs.map((l) => ({ side: l.side, qty: l.qty.toString() }));
    if (item.orders && !sameOrders(item.orders, legs)) return 'the drift changed since it was shown: review the new repair';
    const live = planned.intents.filter((r) => !r.dryRun);
    if (live.length > 0 && !ctx.admit(link.follower, live.length)) return 'the circuit breaker refused more orders';
    const orders = this.orders(link, item.symbol, planned);
    ctx.journal.insertIntents(planned.intents);
    copier.register(planned.intents);
    copier.raiseNotes(link, item.symbol, planned.plan);
    ctx.raise({
      severity: 'info',
      code: 'repair_sent',
      message: `${link.follower} ${item.symbol}: sync repair ${orders.map((o) => `${o.side} ${o.qty}`).join(', ')} (target ${planned.plan.target})`,
      accountId: link.follower,
      linkId: link.id,
    });
    planned.intents.forEach((rec, i) =>
      sent.push({ linkId: link.id, followerAccountId: link.follower, symbol: item.symbol, side: rec.side, qty: rec.qty.toString(), instrument: orders[i]!.instrument, clientOrderId: rec.clientOrderId, dryRun: rec.dryRun }),
    );
    this.flow.dispatch(live);
    return undefined;
  }

  private async row(link: LinkConfig, symbol: string, leaderSymbol: string): Promise<SyncRow | undefined> {
    const { ctx, copier } = this;
    const book = ctx.book(link.follower);
    const st = ctx.leaders.get(link.leader, leaderSymbol);
    const position = book.position(symbol);
    const working = book.pending(symbol);
    const base = {
      linkId: link.id,
      leaderAccountId: link.leader,
      followerAccountId: link.follower,
      symbol,
      leaderSymbol,
      leaderPosition: st.qty.toString(),
      position: position.toString(),
      working: working.toString(),
    };
    const outOfScope = scopeReason(link, leaderSymbol, symbol);
    if (outOfScope) {
      const held = position.add(working).toString();
      return { ...base, eligible: '0', target: held, drift: '0', orders: [], canApply: false, note: `not copied by this link (${outOfScope}): not ours` };
    }
    if (!(await copier.ensureInstrument(link, symbol))) return undefined;
    const part = ctx.leaders.part(link.leader, leaderSymbol, link.id);
    const planned = copier.planSymbol(link, symbol, leaderSymbol, { purpose: 'repair', sourceId: 'sync-view', attempt: 0, receivedAt: ctx.clock.now() });
    if (!planned) return undefined;
    const target = planned.plan.target;
    const orders = this.orders(link, symbol, planned);
    const notes: string[] = [];
    if (part.exited !== undefined) notes.push(`the follower's own exit ended its part of this episode (${part.exited})`);
    if (ctx.isLeftAlone(link.id, symbol)) notes.push('left alone until the leader trades it again (copy new trades only)');
    const blocked = orders.length > 0 ? (this.followerBlocker(link.follower) ?? this.linkBlocker(link, symbol) ?? (planned.held ? `held: ${planned.held.reason}` : undefined)) : undefined;
    if (blocked) notes.unshift(blocked);
    return {
      ...base,
      eligible: (part.exited !== undefined ? Decimal.ZERO : part.eligible).toString(),
      target: target.toString(),
      drift: target.sub(position.add(working)).toString(),
      orders,
      canApply: orders.length > 0 && blocked === undefined,
      ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
    };
  }

  /** The planned legs as orders, with the instrument each trades (the order request's own rule). */
  private orders(link: LinkConfig, symbol: string, planned: PlannedCopy): SyncOrder[] {
    const active = this.copier.instrument(link.follower, symbol)?.contractId ?? symbol;
    return planned.plan.legs.map((leg, i) => {
      const rec = planned.intents[i];
      const held = !leg.increasing && rec ? contractHeld(this.ctx, rec) : undefined;
      return { side: leg.side, qty: leg.qty.toString(), symbol, instrument: held ?? active };
    });
  }

  /** Why no repair goes to this follower now, if so. */
  private followerBlocker(id: AccountId): string | undefined {
    const state = this.ctx.states.effective(id);
    if (state === 'halted') return 'follower halted: no orders until a person resumes it';
    if (state === 'paused') return 'follower paused: no repairs until copying resumes';
    if (!this.ctx.brokers.has(id)) return 'follower not connected';
    const risk = this.ctx.riskGate?.standing(id);
    if (risk?.state === 'locked') return `follower locked by its risk guard: ${risk.reason}`;
    return undefined;
  }

  private linkBlocker(link: LinkConfig, symbol: string): string | undefined {
    if (!this.ctx.isArmed(link)) return 'link not armed yet: its leader and follower have not both been read';
    if (this.ctx.book(link.follower).hasLiveIntent(symbol)) return 'our orders on this symbol are still working: wait for them';
    return undefined;
  }

  private links(follower?: AccountId): LinkConfig[] {
    return this.ctx.links.filter((l) => l.enabled && (follower === undefined || l.follower === follower));
  }

  /** Follower symbol -> leader symbol: the leader's mapped symbols, then the follower's positions and working orders. */
  private symbols(link: LinkConfig): Map<string, string> {
    const out = new Map<string, string>();
    for (const ls of this.ctx.leaders.symbols(link.leader)) {
      const m = this.copier.mapSymbol(link, ls);
      if (m && !out.has(m.symbol)) out.set(m.symbol, ls);
    }
    const book = this.ctx.book(link.follower);
    for (const sym of [...book.positions.keys(), ...book.inFlight.keys()]) if (!out.has(sym)) out.set(sym, leaderSymbolOf(link, sym));
    return out;
  }
}

/** The leader symbol mapped onto a follower symbol (the symbol itself when unmapped). */
function leaderSymbolOf(link: LinkConfig, symbol: string): string {
  for (const [ls, m] of Object.entries(link.symbolMap)) if (m.symbol === symbol) return ls;
  return symbol;
}

function sameOrders(a: readonly { side: Side; qty: string }[], b: readonly { side: Side; qty: string }[]): boolean {
  return a.length === b.length && a.every((o, i) => o.side === b[i]!.side && Decimal.from(o.qty).eq(Decimal.from(b[i]!.qty)));
}
