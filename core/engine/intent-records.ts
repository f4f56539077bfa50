// Intent records: the journaled record of each planned leg (ids, client id, limit price, status) and the journal/event
// view of a record without the engine's private bookkeeping.
import { followerClientId } from '../domain/client-id.js';
import { Decimal } from '../domain/decimal.js';
import { intentId, type ExecutionId } from '../domain/ids.js';
import type { OrderPurpose } from '../domain/order.js';
import type { LinkConfig } from '../domain/workspace-config.js';
import type { CopyIntent } from '../ports/journal.js';
import type { IntentRecord } from './follower-book.js';
import type { PlanLeg } from './planner.js';

export interface PlanSource {
  readonly purpose: OrderPurpose;
  readonly sourceId: string;
  readonly executionId?: ExecutionId;
  readonly attempt: number;
  readonly leaderPrice?: Decimal;
  readonly orderTag?: string;
  readonly receivedAt: number;
  readonly receivedMono?: number;
  /** The clock's now for this plan when the caller read it already (one reading serves every link of an execution). */
  readonly now?: number;
}

/** What every intent of one plan shares. */
export interface IntentShape {
  readonly link: LinkConfig;
  readonly symbol: string;
  readonly leaderSymbol: string;
  readonly src: PlanSource;
  readonly target: Decimal;
  readonly dryRun: boolean;
  readonly extended: boolean;
  /** Set for a limit order: the leader price the buffer is added to, and the tick grid. */
  readonly limit: { readonly price: Decimal; readonly tick: Decimal } | undefined;
  readonly now: number;
  readonly idPrefix: string;
}

/** The intent of a plan's leg i; `refused` (a risk guard's reason) makes it a terminal 'not_placed' one. */
export function intentFor(s: IntentShape, leg: PlanLeg, i: number, refused?: string): IntentRecord {
  const { link, src } = s;
  const sourceId = legSource(src.sourceId, i);
  const cid = followerClientId(link.follower, sourceId, src.attempt);
  const limitPrice = s.limit ? limitFor(s.limit.price, leg.side === 'buy', link.limitBufferTicks, s.limit.tick) : undefined;
  const rec: IntentRecord = {
    id: intentId(`${s.idPrefix}-${cid}`),
    linkId: link.id,
    leaderAccountId: link.leader,
    followerAccountId: link.follower,
    sourceId,
    executionId: src.executionId,
    attempt: src.attempt,
    clientOrderId: cid,
    leaderSymbol: s.leaderSymbol,
    symbol: s.symbol,
    side: leg.side,
    qty: leg.qty,
    orderType: limitPrice ? 'limit' : 'market',
    limitPrice,
    purpose: src.purpose,
    dryRun: s.dryRun,
    target: s.target,
    leaderPrice: src.leaderPrice,
    status: refused !== undefined ? 'not_placed' : s.dryRun ? 'dry_run' : 'planned',
    filledQty: Decimal.ZERO,
    leaderReceivedAt: src.receivedAt,
    createdAt: s.now,
    receivedMono: src.receivedMono,
  };
  // Set after the literal (a spread in it would copy all fields through the slow path, once per follower order).
  if (refused !== undefined) return { ...rec, ...(s.extended ? { extendedHours: true } : {}), error: `refused by risk guard: ${refused}` };
  return s.extended ? { ...rec, extendedHours: true } : rec;
}

/** The source id of a plan's leg: the first leg carries the plan's source, the open leg of a reversal `<source>/open`. */
export const legSource = (sourceId: string, leg: number): string => (leg === 0 ? sourceId : `${sourceId}/open`);

let lastPrefix = { now: Number.NaN, text: '' };

/** An intent id's time prefix: the time in base 36, 9 digits (kept for the last time seen: every link of an execution shares it). */
export function idPrefixAt(now: number): string {
  if (lastPrefix.now !== now) lastPrefix = { now, text: now.toString(36).padStart(9, '0') };
  return lastPrefix.text;
}

/** Marketable limit: the leader price plus (buy) or minus (sell) the buffer, on the tick grid. */
export function limitFor(price: Decimal, buy: boolean, ticks: number, tick: Decimal): Decimal {
  const step = tick.sign() > 0 ? tick : Decimal.from('0.01');
  const buffer = step.mul(ticks);
  return (buy ? price.add(buffer) : price.sub(buffer)).roundToStep(step);
}

/** Every field of a CopyIntent, optional ones included: the compiler checks that toIntent copies them all. */
type AllIntentFields = { readonly [K in keyof Required<CopyIntent>]: CopyIntent[K] | undefined };

/**
 * The journal/event view of an intent record (without engine-private bookkeeping). Fields are copied by name: a rest
 * copy of the record cost ~1 us through the runtime, once per intent event (several per copy) while an 'intent'
 * listener is attached, as in the app. Optional fields the record lacks are present as undefined.
 */
export function toIntent(r: IntentRecord): CopyIntent {
  const intent: AllIntentFields = {
    id: r.id,
    linkId: r.linkId,
    leaderAccountId: r.leaderAccountId,
    followerAccountId: r.followerAccountId,
    sourceId: r.sourceId,
    executionId: r.executionId,
    attempt: r.attempt,
    clientOrderId: r.clientOrderId,
    leaderSymbol: r.leaderSymbol,
    symbol: r.symbol,
    side: r.side,
    qty: r.qty,
    orderType: r.orderType,
    limitPrice: r.limitPrice,
    purpose: r.purpose,
    dryRun: r.dryRun,
    target: r.target,
    leaderPrice: r.leaderPrice,
    status: r.status,
    brokerOrderId: r.brokerOrderId,
    filledQty: r.filledQty,
    avgFillPrice: r.avgFillPrice,
    error: r.error,
    leaderReceivedAt: r.leaderReceivedAt,
    createdAt: r.createdAt,
    sentAt: r.sentAt,
    ackAt: r.ackAt,
    filledAt: r.filledAt,
    planLatencyMs: r.planLatencyMs,
  };
  return intent as CopyIntent;
}
