// Follower account state as the engine tracks it: positions by symbol and by the broker's instrument (futures: the
// contract id), moved by our fills and reset from broker snapshots; in-flight qty of live intents; intents by client id.
import { Decimal } from '../domain/decimal.js';
import type { BrokerOrderId, ClientOrderId } from '../domain/ids.js';
import { isTerminal } from '../domain/order-fsm.js';
import { signed } from '../domain/side.js';
import type { CopyIntent } from '../ports/journal.js';

export type IntentRecord = { -readonly [K in keyof CopyIntent]: CopyIntent[K] } & {
  /** When the outcome first became unknown (settling grace starts here). */
  unknownSince?: number;
  /** Monotonic time the leader event was received (for planLatencyMs). */
  receivedMono?: number;
  /** Sent as an extended-hours limit order (market closed, link outsideHours 'extended_limit'). */
  extendedHours?: boolean;
};

const RECENT_LIMIT = 4096;
const NONE: ReadonlySet<IntentRecord> = new Set();

/** Signed qty an intent may still add to the position (0 once terminal or dry run). */
export function inFlightOf(rec: IntentRecord): Decimal {
  if (rec.dryRun || isTerminal(rec.status)) return Decimal.ZERO;
  const left = rec.qty.sub(rec.filledQty);
  return left.sign() > 0 ? signed(rec.side, left) : Decimal.ZERO;
}

export class FollowerBook {
  /** Signed net position per symbol (the sum of its holdings). */
  readonly positions = new Map<string, Decimal>();
  /** Per symbol: signed qty by the broker's instrument it is held in (absent instrument id = the symbol). */
  private readonly holdings = new Map<string, Map<string, Decimal>>();
  readonly inFlight = new Map<string, Decimal>();
  /** Non-terminal intents. */
  readonly live = new Map<ClientOrderId, IntentRecord>();
  /** The live intents again, by symbol (planning and cancels ask per symbol on every copy). */
  private readonly liveBySymbol = new Map<string, Set<IntentRecord>>();
  /** The live limit orders by symbol: the ones that may rest, so a plan moving against them cancels them first. */
  private readonly limitsBySymbol = new Map<string, Set<IntentRecord>>();
  /** Recently finished intents, kept so late broker events still match (bounded). */
  private readonly recent = new Map<ClientOrderId, IntentRecord>();
  /**
   * The keys of `recent` oldest first, from `recentHead` on: the oldest is dropped without asking the Map for its first
   * key (which walks past every entry deleted since the Map last rehashed: ~3 us per finished intent at the limit).
   */
  private recentOrder: ClientOrderId[] = [];
  private recentHead = 0;
  /** Moves on every fill, in-flight change or finished intent; per symbol, the version of its last change. */
  private version = 0;
  private readonly versions = new Map<string, number>();

  /** The reconciler reads this before it awaits broker snapshots, then skips symbols changed since (stale view). */
  get changeVersion(): number {
    return this.version;
  }

  changedSince(symbol: string, version: number): boolean {
    return (this.versions.get(symbol) ?? 0) > version;
  }

  private touch(symbol: string): void {
    this.versions.set(symbol, ++this.version);
  }

  position(symbol: string): Decimal {
    return this.positions.get(symbol) ?? Decimal.ZERO;
  }

  pending(symbol: string): Decimal {
    return this.inFlight.get(symbol) ?? Decimal.ZERO;
  }

  /** position + in-flight: what the follower will hold once every live order fills. */
  effective(symbol: string): Decimal {
    const p = this.positions.get(symbol);
    const f = this.inFlight.get(symbol);
    if (!f) return p ?? Decimal.ZERO;
    return p ? p.add(f) : f;
  }

  /** Symbols whose position + in-flight is not flat (what the follower will hold once live orders fill). */
  openCount(): number {
    let n = 0;
    for (const sym of this.positions.keys()) if (!this.effective(sym).isZero()) n++;
    for (const sym of this.inFlight.keys()) if (!this.positions.has(sym)) n++;
    return n;
  }

  hasLiveIntent(symbol: string): boolean {
    return this.liveBySymbol.has(symbol);
  }

  liveOf(symbol: string): ReadonlySet<IntentRecord> {
    return this.liveBySymbol.get(symbol) ?? NONE;
  }

  liveLimitsOf(symbol: string): ReadonlySet<IntentRecord> {
    return this.limitsBySymbol.get(symbol) ?? NONE;
  }

  find(id: ClientOrderId): IntentRecord | undefined {
    return this.live.get(id) ?? this.recent.get(id);
  }

  /** The live or recent intent the broker knows by this order id (bracket children name their parent this way). */
  findByBrokerId(id: BrokerOrderId): IntentRecord | undefined {
    for (const rec of this.live.values()) if (rec.brokerOrderId === id) return rec;
    for (const rec of this.recent.values()) if (rec.brokerOrderId === id) return rec;
    return undefined;
  }

  /** Starts tracking an intent (its in-flight qty counts immediately). */
  add(rec: IntentRecord): void {
    if (rec.dryRun) return;
    this.adjustInFlight(rec.symbol, inFlightOf(rec));
    if (isTerminal(rec.status)) this.remember(rec);
    else {
      this.live.set(rec.clientOrderId, rec);
      index(this.liveBySymbol, rec);
      if (rec.orderType === 'limit') index(this.limitsBySymbol, rec);
    }
  }

  /** Where the symbol's position is held: instrument id (contract) -> signed qty. */
  holdingsOf(symbol: string): ReadonlyMap<string, Decimal> {
    return this.holdings.get(symbol) ?? new Map<string, Decimal>();
  }

  /** Moves a fill of signed qty into the position (in the instrument it traded, default the symbol). */
  applyFill(symbol: string, fill: Decimal, instrumentId = symbol): void {
    this.touch(symbol);
    const by = new Map(this.holdingsOf(symbol));
    by.set(instrumentId, (by.get(instrumentId) ?? Decimal.ZERO).add(fill));
    this.setHoldings(symbol, by);
  }

  adjustInFlight(symbol: string, change: Decimal): void {
    if (change.isZero()) return;
    this.touch(symbol);
    const next = this.pending(symbol).add(change);
    if (next.isZero()) this.inFlight.delete(symbol);
    else this.inFlight.set(symbol, next);
  }

  /** Call after a status change: moves a finished intent out of the live set. */
  settle(rec: IntentRecord): void {
    if (isTerminal(rec.status) && this.live.delete(rec.clientOrderId)) {
      unindex(this.liveBySymbol, rec);
      unindex(this.limitsBySymbol, rec);
      this.touch(rec.symbol);
      this.remember(rec);
    }
  }

  /** Replaces where and how much of the symbol is held (a broker snapshot, or after a fill). */
  setHoldings(symbol: string, byInstrument: ReadonlyMap<string, Decimal>): void {
    const kept = new Map<string, Decimal>();
    let net = Decimal.ZERO;
    for (const [id, qty] of byInstrument) {
      if (qty.isZero()) continue;
      kept.set(id, qty);
      net = net.add(qty);
    }
    if (kept.size === 0) this.holdings.delete(symbol);
    else this.holdings.set(symbol, kept);
    if (net.isZero()) this.positions.delete(symbol);
    else this.positions.set(symbol, net);
  }

  private remember(rec: IntentRecord): void {
    // A key already kept keeps its place (as Map.set does).
    if (!this.recent.has(rec.clientOrderId)) this.recentOrder.push(rec.clientOrderId);
    this.recent.set(rec.clientOrderId, rec);
    if (this.recent.size > RECENT_LIMIT) {
      this.recent.delete(this.recentOrder[this.recentHead++]!);
      if (this.recentHead >= RECENT_LIMIT) {
        this.recentOrder = this.recentOrder.slice(this.recentHead);
        this.recentHead = 0;
      }
    }
  }
}

function index(by: Map<string, Set<IntentRecord>>, rec: IntentRecord): void {
  const set = by.get(rec.symbol);
  if (set) set.add(rec);
  else by.set(rec.symbol, new Set([rec]));
}

function unindex(by: Map<string, Set<IntentRecord>>, rec: IntentRecord): void {
  const set = by.get(rec.symbol);
  if (set?.delete(rec) && set.size === 0) by.delete(rec.symbol);
}

export const toRecord = (m: ReadonlyMap<string, Decimal>): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const [k, v] of m) if (!v.isZero()) out[k] = v.toString();
  return out;
};
