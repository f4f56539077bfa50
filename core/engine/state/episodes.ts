// Leader episodes (pure): per leader symbol, flat to flat, the net qty, peak, entry price and, per link, the eligible
// part E of the leader's position.
//
// Rules for E (DESIGN.md section 2, Eligibility):
// - A new episode (the leader opens from flat, or the sign flips: a reversal is a close plus an open) starts every
//   link's part afresh: E = the opening qty when the open is eligible for the link, else 0.
// - A same-side increase adds its delta to E only where it is eligible.
// - A reduction scales E in proportion to what the leader still holds: E' = E x |L'| / |L|, multiplied before divided
//   and truncated toward zero, so E never grows, never changes sign and stays exact when E = L (no filters). The leader
//   cannot say which lots it closed; proportional is the one rule that treats eligible and ineligible lots alike and
//   matches `fixed`/`notional` scaling on partial exits.
// - A flat leader means E = 0 (the parts are dropped with the episode).
// - A follower-side exit marks the link's part `exited`: its target stays 0 until the leader's next episode.
import { Decimal } from '../../domain/decimal.js';
import type { AccountId } from '../../domain/ids.js';
import type { EpisodePartRecord, EpisodeRecord } from '../../ports/journal.js';

export type LinkPart = EpisodePartRecord;

/** One leader symbol: net position, the episode's peak |position|, entry price, and every link's part. */
export interface LeaderSymbolState {
  readonly qty: Decimal;
  readonly peak: Decimal;
  readonly entryPrice?: Decimal;
  readonly lastPrice?: Decimal;
  readonly episode: number;
  readonly parts: Readonly<Record<string, LinkPart>>;
}

export const NO_PART: LinkPart = { eligible: Decimal.ZERO, peak: Decimal.ZERO };
export const FLAT: LeaderSymbolState = { qty: Decimal.ZERO, peak: Decimal.ZERO, episode: 0, parts: {} };

/**
 * Whether an opening qty (signed, leader units) is eligible for a link. `known` is false when the qty was not seen as
 * an execution (found in the broker's positions, or a link added mid-episode): no order tag can be proven then.
 */
export type Judge = (linkId: string, open: Decimal, known: boolean) => boolean;

const partFor = (eligible: boolean, qty: Decimal): LinkPart => (eligible ? { eligible: qty, peak: qty.abs() } : NO_PART);

/** The leader state after its position moved to qty at price; links are the ids whose parts are kept current. */
export function advance(prev: LeaderSymbolState, qty: Decimal, price: Decimal | undefined, links: readonly string[], judge: Judge, known = true): LeaderSymbolState {
  const lastPrice = price ?? prev.lastPrice;
  if (qty.isZero()) return withPrices({ qty, peak: Decimal.ZERO, episode: prev.episode, parts: {} }, undefined, lastPrice);
  if (qty.sign() !== prev.qty.sign()) {
    const parts: Record<string, LinkPart> = {};
    // Parts are never changed in place (a change replaces them): every eligible link shares the opening part.
    const opening = partFor(true, qty);
    for (const id of links) parts[id] = judge(id, qty, known) ? opening : NO_PART;
    return withPrices({ qty, peak: qty.abs(), episode: prev.episode + 1, parts }, price, lastPrice);
  }
  const last = lastPrice ? { lastPrice } : {};
  const parts: Record<string, LinkPart> = { ...prev.parts };
  for (const id of links) parts[id] ??= partFor(judge(id, prev.qty, false), prev.qty);
  if (qty.abs().gt(prev.qty.abs())) {
    const delta = qty.sub(prev.qty);
    for (const id of links) {
      const p = parts[id]!;
      if (!judge(id, delta, known)) continue;
      const eligible = p.eligible.add(delta);
      parts[id] = { ...p, eligible, peak: p.peak.max(eligible.abs()) };
    }
    return { ...prev, qty, peak: prev.peak.max(qty.abs()), parts, ...last };
  }
  if (qty.abs().lt(prev.qty.abs())) {
    for (const [id, p] of Object.entries(parts)) parts[id] = { ...p, eligible: p.eligible.mul(qty.abs()).div(prev.qty.abs()) };
  }
  return { ...prev, qty, parts, ...last };
}

/** The state with one link's part marked as ended by a follower-side exit (no-op when the leader is flat). */
export function exitPart(st: LeaderSymbolState, linkId: string, reason: string, fallback: LinkPart): LeaderSymbolState {
  if (st.qty.isZero()) return st;
  return { ...st, parts: { ...st.parts, [linkId]: { ...(st.parts[linkId] ?? fallback), exited: reason } } };
}

/** The state with its entry and last prices set where given (absent, not undefined, where not: no spreads per execution). */
function withPrices(st: { -readonly [K in keyof LeaderSymbolState]: LeaderSymbolState[K] }, entryPrice: Decimal | undefined, lastPrice: Decimal | undefined): LeaderSymbolState {
  if (entryPrice) st.entryPrice = entryPrice;
  if (lastPrice) st.lastPrice = lastPrice;
  return st;
}

export function toEpisodeRecord(leader: AccountId, symbol: string, st: LeaderSymbolState): EpisodeRecord {
  const rec: { -readonly [K in keyof EpisodeRecord]: EpisodeRecord[K] } = {
    leaderAccountId: leader,
    leaderSymbol: symbol,
    episode: st.episode,
    qty: st.qty,
    peak: st.peak,
    parts: st.parts,
  };
  if (st.entryPrice) rec.entryPrice = st.entryPrice;
  if (st.lastPrice) rec.lastPrice = st.lastPrice;
  return rec;
}

export function fromEpisodeRecord(r: EpisodeRecord): LeaderSymbolState {
  return {
    qty: r.qty,
    peak: r.peak,
    episode: r.episode,
    parts: r.parts,
    ...(r.entryPrice ? { entryPrice: r.entryPrice } : {}),
    ...(r.lastPrice ? { lastPrice: r.lastPrice } : {}),
  };
}
