// The copier: per link and follower symbol, sizes the target from the link's eligible part of the leader's episode,
// plans it under the follower's market hours and builds journaled intents; judges eligibility for the episodes store.
import { Decimal } from '../domain/decimal.js';
import { errorMessage } from '../domain/errors.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Instrument } from '../domain/instrument.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { EngineContext } from './context.js';
import type { IntentRecord } from './follower-book.js';
import { filterReason, scopeReason } from './filters.js';
import type { LeaderSymbolState } from './leader-book.js';
import { hoursMode, type HeldCopy } from './outside-hours.js';
import { plan, type Plan, type PlanLeg } from './planner.js';
import { quantityStep, sizeTarget, type EquityPair, type SizeResult } from './sizing.js';
import { NO_PART, type Judge } from './state/episodes.js';
import { gateLegs, type GatedLeg } from './risk/risk-gate.js';
import { idPrefixAt, intentFor, type IntentShape, type PlanSource } from './intent-records.js';

export { legSource, type PlanSource } from './intent-records.js';


/** A leader-state override: the state of one leader symbol as it will be after the execution being planned. */
export interface LeaderOverride {
  readonly symbol: string;
  readonly state: LeaderSymbolState;
}

export interface PlannedCopy {
  readonly plan: Plan;
  readonly intents: IntentRecord[];
  /** Set when the plan has orders but the follower's market is closed and the link skips or waits (no intents). */
  readonly held?: HeldCopy;
  /** Legs a risk guard refused, as terminal intents ('not_placed', the guard's reason): journaled, never sent. */
  readonly refused: IntentRecord[];
}

export class Copier {
  constructor(private readonly ctx: EngineContext) {
    ctx.leaders.bind({
      linkIds: (leader) => ctx.linkIdsOf(leader),
      leaderOf: (id) => ctx.link(id)?.leader,
      judgeUnseen: (_leader, symbol, price) => this.judge(symbol, price, undefined),
      save: (episode) => ctx.journal.saveEpisode(episode),
    });
    ctx.leaders.load(ctx.journal.episodes());
  }

  /**
   * Eligibility of a leader qty per link (filters.ts): `orderTag` is the execution's tag when the qty was seen as an
   * execution (`known`). Reasons for refused executions are added to `reasons` by link id when given.
   */
  judge(leaderSymbol: string, price: Decimal | undefined, orderTag: string | undefined, reasons?: Map<string, string>, now = this.ctx.clock.now()): Judge {
    return (linkId, open, known) => {
      // A link starting 'new_only' takes no part in leader qty held before it joined (link-start.ts).
      if (!known && this.ctx.holds.startOf(linkId) === 'new_only') return false;
      const link = this.ctx.link(linkId as LinkId);
      const m = link ? this.mapSymbol(link, leaderSymbol) : undefined;
      if (!link || !m) return false;
      // The unit value serves the minimum-notional filter only: not looked up for links without one.
      const inst = link.filters.minNotional !== undefined ? this.instrument(link.follower, m.symbol) : undefined;
      const reason = filterReason(link, {
        leaderSymbol,
        symbol: m.symbol,
        open,
        unitValue: inst ? m.factor.mul(inst.multiplier) : undefined,
        price,
        orderTag: known ? orderTag : undefined,
        now,
      });
      if (reason && reasons && known) reasons.set(linkId, reason);
      return reason === undefined;
    };
  }

  /** The follower symbol and quantity factor for a leader symbol, or undefined when the link does not copy it. */
  mapSymbol(link: LinkConfig, leaderSymbol: string): SymbolMapping | undefined {
    const m = Object.hasOwn(link.symbolMap, leaderSymbol) ? link.symbolMap[leaderSymbol] : undefined; // never the prototype's
    if (m) return m;
    return link.copyUnmapped ? identityOf(leaderSymbol) : undefined;
  }

  /** Whether a follower symbol is something this link mirrors (so a position there is expected to follow the leader). */
  inScope(link: LinkConfig, symbol: string): boolean {
    if (scopeReason(link, symbol, symbol)) return false;
    if (link.copyUnmapped && !Object.hasOwn(link.symbolMap, symbol)) return true;
    return Object.values(link.symbolMap).some((m) => m.symbol === symbol);
  }

  instrument(follower: AccountId, symbol: string): Instrument | undefined {
    return this.ctx.instruments.get(this.ctx.instrumentKey(follower, symbol));
  }

  /** True when planSymbol can run without waiting: the instrument and the market session are cached. */
  ready(follower: AccountId, symbol: string): boolean {
    return this.instrument(follower, symbol) !== undefined && this.ctx.sessions.ready(follower, symbol);
  }

  /**
   * Caches the follower instrument and its market session; raises 'instrument_unavailable' and returns false when
   * the instrument cannot be resolved.
   */
  async ensureInstrument(link: LinkConfig, symbol: string): Promise<boolean> {
    const { ctx } = this;
    const key = ctx.instrumentKey(link.follower, symbol);
    const adapter = ctx.brokers.get(link.follower);
    if (!adapter) return ctx.instruments.has(key);
    try {
      if (!ctx.instruments.has(key)) ctx.instruments.set(key, await adapter.instrument(symbol));
      await ctx.sessions.ensure(link.follower, symbol);
      return true;
    } catch (err) {
      ctx.raise(
        { severity: 'error', code: 'instrument_unavailable', message: `${symbol} on ${link.follower}: ${errorMessage(err)}`, accountId: link.follower, linkId: link.id },
        `instrument:${key}`,
      );
      return false;
    }
  }

  equityPair(link: LinkConfig): EquityPair | undefined {
    const follower = this.ctx.equity.get(link.follower);
    const leader = this.ctx.equity.get(link.leader);
    if (!follower || !leader || leader.sign() <= 0 || follower.sign() < 0) return undefined;
    return { follower, leader };
  }

  /**
   * Sum of the sized targets of every leader symbol mapped onto this follower symbol, each from the link's eligible
   * part of that symbol's episode; leader symbols out of the link's scope add nothing.
   */
  rawTarget(link: LinkConfig, symbol: string, inst: Instrument, override?: LeaderOverride): { qty: Decimal; error?: string } {
    const { leaders } = this.ctx;
    const equity = link.sizing.mode === 'equity' ? this.equityPair(link) : undefined;
    let total = Decimal.ZERO;
    if (override) {
      const r = this.sizedPart(link, symbol, inst, equity, override.symbol, override.state, false);
      if (r && !r.ok) return { qty: Decimal.ZERO, error: r.reason };
      if (r) total = r.qty;
    }
    for (const ls of leaders.symbols(link.leader)) {
      if (ls === override?.symbol) continue;
      const r = this.sizedPart(link, symbol, inst, equity, ls, leaders.get(link.leader, ls), true);
      if (r && !r.ok) return { qty: Decimal.ZERO, error: r.reason };
      if (r) total = total.add(r.qty);
    }
    return { qty: total };
  }

  /** One leader symbol's sized contribution to a follower symbol's target; undefined when it maps elsewhere or is out of scope. */
  private sizedPart(
    link: LinkConfig,
    symbol: string,
    inst: Instrument,
    equity: EquityPair | undefined,
    ls: string,
    st: LeaderSymbolState,
    fromBook: boolean,
  ): SizeResult | undefined {
    const m = this.mapSymbol(link, ls);
    if (!m || m.symbol !== symbol || scopeReason(link, ls, symbol)) return undefined;
    const part = fromBook ? this.ctx.leaders.part(link.leader, ls, link.id) : (st.parts[link.id] ?? NO_PART);
    return sizeTarget(link, st, part, m.factor, inst, equity);
  }

  /** Plans one follower symbol synchronously (instrument must be cached) and builds its intents (not yet journaled). */
  planSymbol(link: LinkConfig, symbol: string, leaderSymbol: string, src: PlanSource, override?: LeaderOverride): PlannedCopy | undefined {
    const { ctx } = this;
    const inst = this.instrument(link.follower, symbol);
    const adapter = ctx.brokers.get(link.follower);
    if (!inst || !adapter) return undefined;
    const raw = this.rawTarget(link, symbol, inst, override);
    if (raw.error) {
      ctx.raise({ severity: 'warning', code: 'engine_error', message: `${link.id} ${symbol}: ${raw.error}`, accountId: link.follower, linkId: link.id }, `size:${link.id}:${symbol}`);
      return undefined;
    }
    const book = ctx.book(link.follower);
    const now = src.now ?? ctx.clock.now();
    const verdict = ctx.sessions.verdict(link.follower, symbol, now);
    const hours = hoursMode(link, verdict, adapter.capabilities.extendedHours);
    const extended = hours.kind === 'extended';
    const market = link.orderType === 'market' && !extended;
    const step = quantityStep(inst, adapter.capabilities.fractionalQty, market);
    const price = src.leaderPrice ?? (override ?? { state: ctx.leaders.get(link.leader, leaderSymbol) }).state.lastPrice;
    let p = plan({
      link,
      symbol,
      leaderSymbol,
      rawTarget: raw.qty,
      current: book.effective(symbol),
      step,
      instrument: inst,
      price,
      openPositions: book.openCount(),
      reversalInOneOrder: adapter.capabilities.reversalInOneOrder,
    });
    const gated = ctx.riskGate?.engaged() && p.legs.length > 0 ? gateLegs(ctx.riskGate, link, p.legs, book.effective(symbol)) : undefined;
    const refusedLegs = gated?.filter((g) => g.refused !== undefined) ?? NO_GATED;
    if (gated && refusedLegs.length > 0) p = { ...p, legs: gated.filter((g) => g.refused === undefined).map((g) => g.leg) };
    if (p.legs.length > 0 && hours.kind === 'held') return { plan: p, intents: [], held: hours, refused: [] };
    if (p.legs.length > 0 && extended) {
      if (!price) {
        const nextOpen = verdict.open ? {} : { nextOpen: verdict.nextOpen };
        return { plan: p, intents: [], held: { kind: 'held', policy: 'skip', ...nextOpen, reason: 'no leader price for an extended-hours limit' }, refused: [] };
      }
      p = wholeLots(p, step, symbol);
    }
    // Time first: the journal's intent index then grows at its end instead of at random places (the client id is a
    // hash); the client id after it keeps the id unique and deterministic.
    const shape: IntentShape = {
      link,
      symbol,
      leaderSymbol,
      src,
      target: p.target,
      dryRun: ctx.risk.dryRun || link.dryRun,
      extended,
      limit: !market && price ? { price, tick: inst.tickSize } : undefined,
      now,
      idPrefix: idPrefixAt(now),
    };
    const intents = p.legs.map((leg, i) => intentFor(shape, leg, i));
    const refused = refusedLegs.length === 0 ? [] : refusedLegs.map((g, j) => intentFor(shape, g.leg, intents.length + j, g.refused));
    return { plan: p, intents, refused };
  }

  /** Raises the plan's notes (rounding, filters, caps) as throttled alerts. */
  raiseNotes(link: LinkConfig, symbol: string, p: Plan): void {
    for (const n of p.notes) {
      const key = `${n.code}:${link.id}:${symbol}`;
      if (this.ctx.throttled(key)) continue;
      this.ctx.raise({ severity: n.code === 'filtered' ? 'info' : 'warning', code: n.code, message: `${link.id}: ${n.message}`, accountId: link.follower, linkId: link.id }, key);
    }
  }

  /**
   * Starts tracking journaled intents (in-flight counts at once), counts and publishes them; `hold` keeps their events
   * (as of now) until the caller's orders are written (ctx.holdIntent).
   */
  register(intents: readonly IntentRecord[], hold = false): void {
    const { ctx } = this;
    for (const rec of intents) {
      ctx.book(rec.followerAccountId).add(rec);
      if (rec.dryRun) ctx.counters.dryRuns++;
      else if (rec.purpose === 'repair') ctx.counters.repairs++;
      else ctx.counters.copies++;
      if (!rec.dryRun) ctx.breaker.recordSend(rec.followerAccountId, rec.createdAt);
      if (hold) ctx.holdIntent(rec);
      else ctx.emitIntent(rec);
    }
  }
}

const NO_GATED: readonly GatedLeg[] = [];


export interface SymbolMapping {
  readonly symbol: string;
  readonly factor: Decimal;
}

/** Unmapped symbols copied as they are: one shared mapping per symbol (planning asks on every copy). */
const identities = new Map<string, SymbolMapping>();

function identityOf(symbol: string): SymbolMapping {
  let m = identities.get(symbol);
  if (!m) identities.set(symbol, (m = { symbol, factor: Decimal.ONE }));
  return m;
}



/**
 * Extended hours take whole lots only: each leg is rounded toward zero (a fractional close leaves the remainder for
 * regular hours, and then a following open leg is dropped so the order never crosses zero).
 */
function wholeLots(p: Plan, lot: Decimal, symbol: string): Plan {
  const legs: PlanLeg[] = [];
  for (const leg of p.legs) {
    const qty = leg.qty.roundTowardZero(lot);
    if (!qty.eq(leg.qty)) {
      if (!qty.isZero()) legs.push({ ...leg, qty });
      const note = { code: 'rounds_to_zero' as const, message: `${symbol}: extended-hours orders take whole lots of ${lot}; the fractional rest waits for regular hours` };
      return { ...p, legs, notes: [...p.notes, note] };
    }
    legs.push(leg);
  }
  return p;
}
