// How intents, their events and follower fills map onto their tables' columns for the shaped multi-row INSERTs.
import type { IntentId } from '../domain/ids.js';
import type { OrderStatus } from '../domain/order-fsm.js';
import type { CopyIntent, FollowerFill } from '../ports/journal.js';
import type { Column } from './shaped-insert.js';

/** The intents columns an INSERT writes (seq is the rowid). */
export const INTENT_COLUMNS: readonly Column<CopyIntent>[] = [
  ['id', (i) => i.id],
  ['link_id', (i) => i.linkId],
  ['leader_account_id', (i) => i.leaderAccountId],
  ['follower_account_id', (i) => i.followerAccountId],
  ['source_id', (i) => i.sourceId],
  ['execution_id', (i) => i.executionId],
  ['attempt', (i) => i.attempt],
  ['client_order_id', (i) => i.clientOrderId],
  ['leader_symbol', (i) => i.leaderSymbol],
  ['symbol', (i) => i.symbol],
  ['side', (i) => i.side],
  ['qty', (i) => i.qty],
  ['order_type', (i) => i.orderType],
  ['limit_price', (i) => i.limitPrice],
  ['purpose', (i) => i.purpose],
  ['dry_run', (i) => (i.dryRun ? 1 : 0)],
  ['target', (i) => i.target],
  ['leader_price', (i) => i.leaderPrice],
  ['status', (i) => i.status],
  ['broker_order_id', (i) => i.brokerOrderId],
  ['filled_qty', (i) => i.filledQty],
  ['avg_fill_price', (i) => i.avgFillPrice],
  ['error', (i) => i.error],
  ['leader_received_at', (i) => i.leaderReceivedAt],
  ['created_at', (i) => i.createdAt],
  ['sent_at', (i) => i.sentAt],
  ['ack_at', (i) => i.ackAt],
  ['filled_at', (i) => i.filledAt],
  ['plan_latency_ms', (i) => i.planLatencyMs],
];

/** One broker message or status change of an intent, as queued for intent_events. */
export interface EventRecord {
  readonly id: IntentId;
  readonly time: number;
  readonly status: OrderStatus | undefined;
  readonly error: string | undefined;
  /** JSON text, or null. */
  readonly raw: string | null;
}

export const EVENT_COLUMNS: readonly Column<EventRecord>[] = [
  ['intent_id', (e) => e.id],
  ['time', (e) => e.time],
  ['status', (e) => e.status],
  ['error', (e) => e.error],
  ['raw', (e) => e.raw ?? undefined],
];

export const FILL_COLUMNS: readonly Column<FollowerFill>[] = [
  ['intent_id', (f) => f.intentId],
  ['account_id', (f) => f.accountId],
  ['symbol', (f) => f.symbol],
  ['side', (f) => f.side],
  ['qty', (f) => f.qty],
  ['price', (f) => f.price],
  ['time', (f) => f.time],
];
