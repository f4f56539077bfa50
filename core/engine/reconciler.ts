// The reconciler: reads leader and follower positions and open orders, rebuilds the follower account state from them
// (positions by instrument, set whenever every live intent is seen in the view; bracket children of ours counted as
// ours and cut to the position), and repairs or reports drift per link policy for every follower symbol with nothing in
// flight or waiting for the open, except where the follower's own exit ended its part of the leader's episode.
import { Decimal } from '../domain/decimal.js';
import { errorMessage } from '../domain/errors.js';
import { isOurClientId } from '../domain/client-id.js';
import type { AccountId } from '../domain/ids.js';
import type { BrokerOrder, Position } from '../domain/order.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { EngineContext } from './context.js';
import type { Copier } from './copier.js';
import type { DriftItem, ReconcileReport } from './events.js';
import type { OrderFlow } from './order-flow.js';
import type { OutsideHours } from './outside-hours.js';

interface FollowerView {
  readonly positions: Position[];
  readonly openOrders: BrokerOrder[];
}

export class Reconciler {
  private seq = 0;
  private chain: Promise<unknown> = Promise.resolve();
  last?: ReconcileReport;

  constructor(
    private readonly ctx: EngineContext,
    private readonly copier: Copier,
    private readonly flow: OrderFlow,
    private readonly hours: OutsideHours,
  ) {}

  /** Runs one pass after any pass already running (passes never overlap). */
  run(reason: string): Promise<ReconcileReport> {
    const next = this.chain.then(() => this.pass(reason));
    this.chain = next.catch(() => undefined);
    return next;
  }

  async refreshEquity(): Promise<void> {
    const { ctx } = this;
    const accounts = new Set<AccountId>();
    for (const l of ctx.links) if (l.enabled && l.sizing.mode === 'equity') accounts.add(l.leader).add(l.follower);
    await Promise.all(
      [...accounts].map(async (id) => {
        try {
          const snap = await ctx.brokers.get(id)?.account();
          if (snap) ctx.equity.set(id, snap.equity);
        } catch (err) {
          ctx.raise({ severity: 'warning', code: 'engine_error', message: `equity of ${id} not refreshed: ${errorMessage(err)}`, accountId: id }, `equity:${id}`);
        }
      }),
    );
  }

  private async pass(reason: string): Promise<ReconcileReport> {
    const { ctx } = this;
    const seq = ++this.seq;
    const startedAt = ctx.clock.now();
    const errors: { accountId: AccountId; message: string }[] = [];
    const links = ctx.links.filter((l) => l.enabled && ctx.brokers.has(l.leader) && ctx.brokers.has(l.follower));
    const leaderOk = new Set<AccountId>();
    await this.refreshEquity();
    await Promise.all(
      [...new Set(links.map((l) => l.leader))].map(async (id) => {
        try {
          const since = ctx.leaders.changeVersion;
          ctx.leaders.resetFrom(id, await ctx.brokers.get(id)!.positions(), since);
          leaderOk.add(id);
        } catch (err) {
          errors.push({ accountId: id, message: errorMessage(err) });
        }
      }),
    );
    const drifts: DriftItem[] = [];
    for (const link of links) {
      if (!leaderOk.has(link.leader)) continue;
      let view: FollowerView;
      const since = ctx.book(link.follower).changeVersion;
      try {
        const adapter = ctx.brokers.get(link.follower)!;
        // Positions first: a fill landing between the two reads then shows in the order's filledQty (applied below,
        // which marks the symbol changed) instead of being counted twice.
        const positions = await adapter.positions();
        view = { positions, openOrders: await adapter.openOrders() };
      } catch (err) {
        errors.push({ accountId: link.follower, message: errorMessage(err) });
        continue;
      }
      await this.refreshLive(link.follower, view.openOrders);
      const symbols = await this.symbolsFor(link, view);
      drifts.push(...this.reconcileLink(link, view, symbols, seq, since));
    }
    const report: ReconcileReport = { seq, reason, startedAt, finishedAt: ctx.clock.now(), drifts, errors };
    this.last = report;
    ctx.events.emit('reconciled', report);
    return report;
  }

  /** Live intents the broker no longer lists as open (filled or cancelled while events were lost) are looked up. */
  private async refreshLive(follower: AccountId, open: readonly BrokerOrder[]): Promise<void> {
    const listed = new Set(open.map((o) => o.clientOrderId));
    const stale = [...this.ctx.book(follower).live.values()].filter(
      (rec) => rec.status !== 'planned' && rec.status !== 'unknown' && !listed.has(rec.clientOrderId),
    );
    await Promise.all(stale.map((rec) => this.flow.refresh(rec)));
  }

  /** Follower symbols to check: those the leader's positions map to plus follower positions in the link's scope. */
  private async symbolsFor(link: LinkConfig, view: FollowerView): Promise<Map<string, string>> {
    const { ctx, copier } = this;
    const out = new Map<string, string>();
    for (const ls of ctx.leaders.symbols(link.leader)) {
      const m = copier.mapSymbol(link, ls);
      if (m && !out.has(m.symbol)) out.set(m.symbol, ls);
    }
    for (const p of view.positions) if (!out.has(p.symbol) && copier.inScope(link, p.symbol)) out.set(p.symbol, p.symbol);
    for (const sym of [...out.keys()]) if (!(await copier.ensureInstrument(link, sym))) out.delete(sym);
    return out;
  }

  /** `since`: the book's version when the view was requested; symbols that changed after it are left to the next pass. */
  private reconcileLink(link: LinkConfig, view: FollowerView, symbols: Map<string, string>, seq: number, since: number): DriftItem[] {
    const { ctx, copier, flow } = this;
    const book = ctx.book(link.follower);
    const busy = new Set<string>();
    for (const o of view.openOrders) {
      const rec = o.clientOrderId ? book.find(o.clientOrderId) : undefined;
      if (rec) flow.applyOrder(rec, o);
      else if (o.parentOrderId !== undefined && flow.brackets.isOurs(o, view.openOrders)) flow.brackets.onChild(o, true);
      else if (!isOurClientId(o.clientOrderId)) busy.add(o.symbol);
    }
    const listed = new Set(view.openOrders.map((o) => o.clientOrderId));
    const brokerQty = new Map<string, Map<string, Decimal>>();
    for (const p of view.positions) {
      const by = brokerQty.get(p.symbol) ?? new Map<string, Decimal>();
      by.set(p.instrumentId ?? p.symbol, (by.get(p.instrumentId ?? p.symbol) ?? Decimal.ZERO).add(p.qty));
      brokerQty.set(p.symbol, by);
    }
    for (const sym of new Set([...book.positions.keys(), ...brokerQty.keys()])) {
      // Every live intent of the symbol must be seen in this view (its fills applied); otherwise the next pass decides.
      const seen = [...book.liveOf(sym)].every((rec) => listed.has(rec.clientOrderId));
      if (seen && !book.changedSince(sym, since)) {
        book.setHoldings(sym, brokerQty.get(sym) ?? new Map<string, Decimal>());
        flow.brackets.align(link.follower, sym);
      }
    }
    const drifts: DriftItem[] = [];
    const state = ctx.states.effective(link.follower);
    for (const [symbol, leaderSymbol] of symbols) {
      const position = book.position(symbol);
      const item = (target: Decimal, action: DriftItem['action']): DriftItem => ({
        linkId: link.id,
        followerAccountId: link.follower,
        symbol,
        target: target.toString(),
        position: position.toString(),
        action,
      });
      if (book.hasLiveIntent(symbol) || busy.has(symbol) || book.changedSince(symbol, since) || this.hours.isWaiting(link.id, symbol)) continue;
      // The follower's own exit (bracket stop/target) ended its part of the leader's episode: no repair back in.
      if (flow.exits.blocks(link.id, leaderSymbol)) continue;
      if (ctx.isLeftAlone(link.id, symbol)) continue;
      const repair = link.reconcilePolicy === 'repair' && state === 'active';
      const sourceId = `repair:${link.id}:${symbol}:${ctx.clock.now()}:${seq}`;
      const attempt = repair ? ctx.journal.lastAttempt(link.follower, sourceId) + 1 : 0;
      const planned = copier.planSymbol(link, symbol, leaderSymbol, { purpose: 'repair', sourceId, attempt, receivedAt: ctx.clock.now() });
      if (!planned || planned.plan.legs.length === 0) continue;
      if (!repair) {
        drifts.push(item(planned.plan.target, state === 'active' ? 'alerted' : 'skipped_not_active'));
        if (state === 'halted') continue;
        ctx.raise(
          {
            severity: 'warning',
            code: 'drift',
            message: `${link.follower} ${symbol}: holds ${position}, target ${planned.plan.target}${state === 'active' ? '' : ` (follower ${state})`}`,
            accountId: link.follower,
            linkId: link.id,
          },
          `drift:${link.id}:${symbol}:${position}:${planned.plan.target}`,
        );
        continue;
      }
      if (planned.held) {
        this.hours.hold(link, symbol, leaderSymbol, planned.held, { purpose: 'repair', sourceId });
        drifts.push(item(planned.plan.target, 'blocked'));
        continue;
      }
      if (!ctx.admit(link.follower, planned.intents.length)) {
        drifts.push(item(planned.plan.target, 'blocked'));
        continue;
      }
      ctx.journal.insertIntents(planned.intents);
      copier.register(planned.intents);
      copier.raiseNotes(link, symbol, planned.plan);
      ctx.raise({
        severity: 'info',
        code: 'repair_sent',
        message: `${link.follower} ${symbol}: held ${position}, target ${planned.plan.target}; repair sent`,
        accountId: link.follower,
        linkId: link.id,
      });
      drifts.push(item(planned.plan.target, 'repaired'));
      flow.dispatch(planned.intents.filter((r) => !r.dryRun));
    }
    return drifts;
  }
}
