// How a newly added link starts when its leader already holds positions (a person's choice in the link wizard):
// - 'align': once armed, the orders that bring the follower to its target now are sent (repairs, journaled);
// - 'new_only': the link takes no part in the leader's open episodes (E = 0 there, journaled with the episode) and the
//   follower's own positions are left alone: only what the leader trades from now on is copied (a scale-in adds its
//   own qty; the next episode is copied in full).
// Until the link arms, the reconciler leaves it alone and, under 'new_only', leader qty not seen as an execution is
// not eligible for it. Also the preview of 'align' for a link config not added yet (nothing is sent or kept).
import { Decimal } from '../domain/decimal.js';
import { errorMessage } from '../domain/errors.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Position } from '../domain/order.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { EngineContext } from './context.js';
import type { Copier, PlannedCopy } from './copier.js';
import { filterReason } from './filters.js';
import { FLAT, type LeaderSymbolState } from './leader-book.js';
import type { ResumePreview, ResumePreviewItem, Resumer } from './resume.js';
import { NO_PART } from './state/episodes.js';

export type LinkStart = 'align' | 'new_only';
/** An order a person confirmed from the preview. */
export interface ConfirmedOrder {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: string;
}

export class LinkStarts {
  constructor(
    private readonly ctx: EngineContext,
    private readonly copier: Copier,
    private readonly resumer: Resumer,
  ) {}

  /**
   * Call before the link is handed to the engine (setLinks): it arms the way the person chose (journaled, so a restart
   * before it arms keeps the choice). With `orders` (what the person saw in the preview), 'align' sends a symbol's
   * orders only when they are still exactly those; a symbol whose plan changed meanwhile is left alone until the leader
   * trades it again (an alert says so).
   */
  request(linkId: LinkId, start: LinkStart, orders?: readonly ConfirmedOrder[]): void {
    this.ctx.holds.requestStart(linkId, start, orders);
  }

  /** After these links armed: applies their start (the arming pass has just read their leader and follower). */
  async armed(ids: ReadonlySet<string>): Promise<void> {
    const { ctx } = this;
    for (const id of ids) {
      const start = ctx.holds.startOf(id);
      const link = ctx.link(id);
      if (!start || !link) continue;
      if (start === 'new_only') {
        // Judged while still starting: the open qty is not eligible, so the link's part of each episode is 0.
        for (const ls of [...ctx.leaders.symbols(link.leader)]) ctx.leaders.part(link.leader, ls, link.id);
        for (const sym of ctx.book(link.follower).positions.keys()) if (this.copier.inScope(link, sym)) ctx.leaveAlone(link.id, sym);
      }
      const orders = ctx.holds.takeStart(id)?.orders;
      if (start === 'align') await this.resumer.alignLink(link, 'start', ctx.clock.now(), orders ? (sym, planned) => this.asConfirmed(link, sym, planned, orders) : undefined);
    }
  }

  /** Whether a symbol's align plan is what the person confirmed; if not, the symbol is left alone and an alert says so. */
  private asConfirmed(link: LinkConfig, symbol: string, planned: PlannedCopy | undefined, orders: readonly ConfirmedOrder[]): boolean {
    const legs = planned?.plan.legs ?? [];
    const mine = orders.filter((o) => o.symbol === symbol);
    if (legs.length === mine.length && legs.every((l, i) => l.side === mine[i]!.side && l.qty.eq(Decimal.from(mine[i]!.qty)))) return true;
    this.ctx.leaveAlone(link.id, symbol);
    if (legs.length > 0) {
      const now = legs.map((l) => `${l.side} ${l.qty}`).join(', ');
      this.ctx.raise({
        severity: 'warning',
        code: 'drift',
        message: `${link.follower} ${symbol}: not matched at start: the leader's position changed since the preview (now ${now}); left alone until the leader trades it, see Sync`,
        accountId: link.follower,
        linkId: link.id,
      });
    }
    return false;
  }

  /** What 'align' would send for a link not added yet: fresh reads of both accounts, nothing kept, nothing sent. */
  async preview(link: LinkConfig): Promise<ResumePreview> {
    const { ctx, copier } = this;
    const errors: { accountId: AccountId; message: string }[] = [];
    const read = async (id: AccountId): Promise<Position[] | undefined> => {
      const adapter = ctx.brokers.get(id);
      if (!adapter) return void errors.push({ accountId: id, message: 'not connected' });
      try {
        if (link.sizing.mode === 'equity') ctx.equity.set(id, (await adapter.account()).equity);
        return await adapter.positions();
      } catch (err) {
        return void errors.push({ accountId: id, message: errorMessage(err) });
      }
    };
    const [leaderPositions, followerPositions] = await Promise.all([read(link.leader), read(link.follower)]);
    const items: ResumePreviewItem[] = [];
    if (!leaderPositions || !followerPositions) return { scope: link.follower, at: ctx.clock.now(), items, errors };
    const held = new Map<string, Decimal>();
    for (const p of followerPositions) held.set(p.symbol, (held.get(p.symbol) ?? Decimal.ZERO).add(p.qty));
    this.trackUnlinked(link.follower, followerPositions);
    // Follower symbol -> leader symbols with an open position mapped onto it.
    const sources = new Map<string, Position[]>();
    for (const p of leaderPositions) {
      const m = copier.mapSymbol(link, p.symbol);
      if (m && !p.qty.isZero()) sources.set(m.symbol, [...(sources.get(m.symbol) ?? []), p]);
    }
    for (const sym of held.keys()) if (!sources.has(sym) && copier.inScope(link, sym)) sources.set(sym, []);
    for (const [symbol, from] of sources) {
      const position = held.get(symbol) ?? Decimal.ZERO;
      const base = { linkId: link.id, followerAccountId: link.follower, symbol, position: position.toString() };
      if (from.length > 1 || !(await copier.ensureInstrument(link, symbol))) {
        const why = from.length > 1 ? `several leader symbols map to ${symbol}: not previewed` : `${symbol} cannot be resolved on ${link.follower}`;
        items.push({ ...base, target: position.toString(), orders: [], held: why });
        continue;
      }
      const p = from[0];
      const leaderSymbol = p?.symbol ?? symbol;
      const plan = this.planFresh(link, symbol, leaderSymbol, p, position);
      if (!plan) continue;
      items.push({ ...base, ...plan });
    }
    return { scope: link.follower, at: ctx.clock.now(), items, errors };
  }

  /** The align plan of one follower symbol from the positions just read (the book's state is not used or changed). */
  private planFresh(link: LinkConfig, symbol: string, leaderSymbol: string, p: Position | undefined, position: Decimal): Omit<ResumePreviewItem, 'linkId' | 'followerAccountId' | 'symbol' | 'position'> | undefined {
    const { ctx, copier } = this;
    // Another leader symbol mapped here that the engine tracks would be sized from the book (and judged for this link).
    const others = [...ctx.leaders.symbols(link.leader)].some((ls) => ls !== leaderSymbol && copier.mapSymbol(link, ls)?.symbol === symbol && !ctx.leaders.get(link.leader, ls).qty.isZero());
    if (others) return { target: position.toString(), orders: [], held: `several leader symbols map to ${symbol}: not previewed` };
    const state = p ? this.stateOf(link, symbol, p) : FLAT;
    const planned = copier.planSymbol(link, symbol, leaderSymbol, { purpose: 'repair', sourceId: 'link-preview', attempt: 0, receivedAt: ctx.clock.now() }, { symbol: leaderSymbol, state });
    if (!planned) return undefined;
    const orders = planned.plan.legs.map((l) => ({ side: l.side, qty: l.qty.toString() }));
    return { target: planned.plan.target.toString(), orders, ...(planned.held ? { held: planned.held.reason } : {}) };
  }

  /**
   * A follower no link uses yet has no tracked state: it is set from the positions just read, so the plan starts from
   * what the account holds (nothing else uses that state until a link arms, which reads the account again).
   */
  private trackUnlinked(follower: AccountId, positions: readonly Position[]): void {
    const { ctx } = this;
    if (ctx.links.some((l) => l.enabled && l.follower === follower)) return;
    const book = ctx.book(follower);
    const by = new Map<string, Map<string, Decimal>>();
    for (const p of positions) {
      const m = by.get(p.symbol) ?? new Map<string, Decimal>();
      m.set(p.instrumentId ?? p.symbol, (m.get(p.instrumentId ?? p.symbol) ?? Decimal.ZERO).add(p.qty));
      by.set(p.symbol, m);
    }
    for (const sym of new Set([...book.positions.keys(), ...by.keys()])) book.setHoldings(sym, by.get(sym) ?? new Map<string, Decimal>());
  }

  /** The leader's state for one open position as a new link would join it: its part judged now as a position. */
  private stateOf(link: LinkConfig, symbol: string, p: Position): LeaderSymbolState {
    const { ctx, copier } = this;
    const known = ctx.leaders.get(link.leader, p.symbol);
    const st: LeaderSymbolState = known.qty.eq(p.qty) ? known : { qty: p.qty, peak: p.qty.abs(), episode: known.episode, parts: {}, ...(p.avgPrice ? { entryPrice: p.avgPrice, lastPrice: p.avgPrice } : {}) };
    const m = copier.mapSymbol(link, p.symbol);
    const inst = copier.instrument(link.follower, symbol);
    const reason = filterReason(link, {
      leaderSymbol: p.symbol,
      symbol,
      open: p.qty,
      unitValue: m && inst ? m.factor.mul(inst.multiplier) : undefined,
      price: st.lastPrice,
      orderTag: undefined,
      now: ctx.clock.now(),
    });
    return { ...st, parts: { ...st.parts, [link.id]: reason ? NO_PART : { eligible: p.qty, peak: p.qty.abs() } } };
  }
}
