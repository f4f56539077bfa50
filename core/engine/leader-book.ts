// The episodes store: every leader symbol's episode state (state/episodes.ts), kept current by executions and the
// broker's positions, journaled on every change and restored at start; also records follower-side exits.
import { Decimal } from '../domain/decimal.js';
import type { AccountId, LinkId } from '../domain/ids.js';
import type { Execution, Position } from '../domain/order.js';
import { signed } from '../domain/side.js';
import type { EpisodeRecord } from '../ports/journal.js';
import { advance, exitPart, FLAT, NO_PART, fromEpisodeRecord, type Judge, type LeaderSymbolState, type LinkPart, toEpisodeRecord } from './state/episodes.js';

export { FLAT, type LeaderSymbolState, type LinkPart } from './state/episodes.js';

/** What the store needs from the engine: the links of a leader, eligibility, and the journal. */
export interface EpisodeHooks {
  /** Ids of the enabled links led by this account. */
  linkIds(leader: AccountId): readonly string[];
  /** The leader of a link, if the link exists. */
  leaderOf(linkId: LinkId): AccountId | undefined;
  /** Eligibility of a qty the engine did not see as an execution (broker positions, links added mid-episode). */
  judgeUnseen(leader: AccountId, symbol: string, price: Decimal | undefined): Judge;
  save(episode: EpisodeRecord): void;
}

/** The next leader state after one execution; `judge` says per link whether its opening part is eligible. */
export function afterExecution(prev: LeaderSymbolState, exec: Execution, links: readonly string[], judge: Judge): LeaderSymbolState {
  const qty = exec.positionAfter ?? prev.qty.add(signed(exec.side, exec.qty));
  return advance(prev, qty, exec.price, links, judge);
}

const NO_SYMBOLS: readonly string[] = [];

export class LeaderBook {
  private readonly accounts = new Map<string, Map<string, LeaderSymbolState>>();
  /** Moves on every change; per account and symbol, the version of its last change. */
  private version = 0;
  private readonly versions = new Map<string, Map<string, number>>();
  /** Per account, its symbols as a list (planning walks it on every copy); replaced, never changed, when one is added. */
  private readonly symbolLists = new Map<string, readonly string[]>();
  private hooks: EpisodeHooks | undefined;

  /** Connects the store to the engine's links, eligibility and journal. */
  bind(hooks: EpisodeHooks): void {
    this.hooks = hooks;
  }

  /** Restores journaled episodes (at engine construction, before anything is read from a broker). */
  load(episodes: readonly EpisodeRecord[]): void {
    for (const e of episodes) this.set(e.leaderAccountId, e.leaderSymbol, fromEpisodeRecord(e));
  }

  /** Read before awaiting the broker's positions; resetFrom then leaves alone what executions changed meanwhile. */
  get changeVersion(): number {
    return this.version;
  }

  get(account: string, symbol: string): LeaderSymbolState {
    return this.accounts.get(account)?.get(symbol) ?? FLAT;
  }

  /** Sets the state in memory (the caller journals it, e.g. with the execution). */
  set(account: string, symbol: string, state: LeaderSymbolState): void {
    let m = this.accounts.get(account);
    if (!m) this.accounts.set(account, (m = new Map()));
    if (!m.has(symbol)) this.symbolLists.set(account, [...m.keys(), symbol]);
    m.set(symbol, state);
    let v = this.versions.get(account);
    if (!v) this.versions.set(account, (v = new Map()));
    v.set(symbol, ++this.version);
  }

  /** Sets and journals the state. */
  private commit(account: AccountId, symbol: string, state: LeaderSymbolState): void {
    this.set(account, symbol, state);
    this.hooks?.save(toEpisodeRecord(account, symbol, state));
  }

  /** A link's part of the open episode; a link without one (added mid-episode) gets it judged now and journaled. */
  part(account: AccountId, symbol: string, linkId: string): LinkPart {
    const st = this.get(account, symbol);
    const known = st.parts[linkId];
    if (known || st.qty.isZero()) return known ?? NO_PART;
    const eligible = this.hooks?.judgeUnseen(account, symbol, st.lastPrice)(linkId, st.qty, false) ?? true;
    const part: LinkPart = eligible ? { eligible: st.qty, peak: st.qty.abs() } : NO_PART;
    this.commit(account, symbol, { ...st, parts: { ...st.parts, [linkId]: part } });
    return part;
  }

  /**
   * A follower-side exit (bracket stop or target, exit rule, risk guard's flatten) ended this link's part of the
   * leader's episode on leaderSymbol: its target stays 0 until the leader's next episode. Journaled at once.
   */
  followerExited(linkId: LinkId, leaderSymbol: string, reason: string): void {
    const leader = this.hooks?.leaderOf(linkId);
    if (!leader) return;
    const part = this.part(leader, leaderSymbol, linkId);
    const st = this.get(leader, leaderSymbol);
    if (!st.qty.isZero()) this.commit(leader, leaderSymbol, exitPart(st, linkId, reason, part));
  }

  private changedSince(account: string, symbol: string, version: number): boolean {
    return (this.versions.get(account)?.get(symbol) ?? 0) > version;
  }

  /** The account's symbols in the order first seen (a list that later additions do not change). */
  symbols(account: string): readonly string[] {
    return this.symbolLists.get(account) ?? NO_SYMBOLS;
  }

  /**
   * Resets an account from the broker's positions (authoritative at reconcile); absent symbols become flat. A change
   * found this way was not seen as an execution: it is judged without an order tag. Symbols an execution changed after
   * `since` (read before the positions were requested) keep their newer state.
   */
  resetFrom(account: AccountId, positions: readonly Position[], since = Number.POSITIVE_INFINITY): void {
    const seen = new Set<string>();
    const links = this.hooks?.linkIds(account) ?? [];
    const move = (symbol: string, qty: Decimal, price: Decimal | undefined): void => {
      const prev = this.get(account, symbol);
      if (prev.qty.eq(qty)) return;
      const judge = this.hooks?.judgeUnseen(account, symbol, price ?? prev.lastPrice) ?? (() => true);
      this.commit(account, symbol, advance(prev, qty, prev.qty.sign() === qty.sign() ? undefined : price, links, judge, false));
    };
    for (const p of positions) {
      seen.add(p.symbol);
      if (!this.changedSince(account, p.symbol, since)) move(p.symbol, p.qty, p.avgPrice);
    }
    for (const sym of [...this.symbols(account)]) {
      if (!seen.has(sym) && !this.changedSince(account, sym, since)) move(sym, Decimal.ZERO, undefined);
    }
  }

  toRecord(): Record<string, Record<string, string>> {
    const out: Record<string, Record<string, string>> = {};
    for (const [acct, m] of this.accounts) {
      const row: Record<string, string> = {};
      for (const [sym, st] of m) if (!st.qty.isZero()) row[sym] = st.qty.toString();
      out[acct] = row;
    }
    return out;
  }
}
