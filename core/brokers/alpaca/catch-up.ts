// REST catch-up after every (re)connect and periodically: FILL activities (paged), open + recent orders, positions.
import { Decimal } from '../../domain/decimal.js';
import type { AccountId } from '../../domain/ids.js';
import type { BrokerOrder, Position } from '../../domain/order.js';
import type { AlpacaRestClient } from './client.js';
import type { Derived, ExecutionTracker } from './executions.js';
import { protocolError } from './errors.js';
import { isObj, parseActivity, parseOrder, parsePosition, parseTime, type FillActivity, type Obj } from './parse.js';

export interface CatchUpSink {
  execution(d: Derived): void;
  order(o: BrokerOrder): void;
  position(p: Position): void;
}

export interface CatchUpWindow {
  /** Read from here when no fill has been seen yet (ms since epoch: when we connected). */
  readonly sinceMs: number;
  /**
   * Fills at or after this time are left to the live stream (ms since epoch): the moment the current stream
   * became ready, or a few seconds ago on periodic runs. Older fills the stream never delivered are the missed ones.
   */
  readonly cutoffMs: number;
}

const PAGE = 100;
/** Activities are re-read from this long before the newest fill seen (overlap is deduplicated by cumulative qty). */
const OVERLAP_MS = 5_000;

async function fillActivities(rest: AlpacaRestClient, after: string): Promise<FillActivity[]> {
  const out: FillActivity[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < 50; page++) {
    const { body } = await rest.get('/v2/account/activities/FILL', { query: { after, direction: 'asc', page_size: PAGE, page_token: pageToken } });
    if (!Array.isArray(body)) throw protocolError('activities page', body);
    for (const raw of body) {
      if (isObj(raw) && (raw.activity_type === undefined || raw.activity_type === 'FILL')) out.push(parseActivity(raw));
    }
    if (body.length < PAGE) break;
    const last: unknown = body[body.length - 1];
    pageToken = isObj(last) && typeof last.id === 'string' ? last.id : undefined;
    if (pageToken === undefined) break;
  }
  return out;
}

/**
 * Reads activities and orders, then positions (so every fill found is inside the positions snapshot), then
 * derives the missed executions: they report the current position, never a historical one.
 */
export async function catchUp(
  rest: AlpacaRestClient,
  tracker: ExecutionTracker,
  accountId: AccountId,
  window: CatchUpWindow,
  sink: CatchUpSink,
): Promise<void> {
  // Never before we connected: fills from before then belong to the previous run (journaled, or left to reconcile).
  const after = new Date(Math.max(window.sinceMs, tracker.lastFillTime - OVERLAP_MS)).toISOString();
  const activities = (await fillActivities(rest, after)).filter((a) => a.time < window.cutoffMs);
  const [open, recent] = await Promise.all([
    rest.get('/v2/orders', { query: { status: 'open', limit: 500, direction: 'asc' } }),
    rest.get('/v2/orders', { query: { status: 'all', after, limit: 500, direction: 'asc' } }),
  ]);
  const orders = new Map<string, Obj>();
  for (const list of [recent.body, open.body]) {
    if (!Array.isArray(list)) throw protocolError('order list', list);
    for (const raw of list) if (isObj(raw) && !orders.has(String(raw.id))) orders.set(String(raw.id), raw);
  }
  const pos = await rest.get('/v2/positions');
  if (!Array.isArray(pos.body)) throw protocolError('position list', pos.body);
  const fresh = pos.body.map((raw) => parsePosition(raw, accountId));
  const gone = tracker.resetPositions(new Map(fresh.map((p) => [p.symbol, p.qty])));

  for (const a of activities) sink.execution(tracker.fromActivity(a));
  for (const raw of orders.values()) {
    const order = parseOrder(raw, accountId);
    const createdAt = parseTime(raw.created_at) ?? parseTime(raw.submitted_at) ?? 0;
    const filledAt = parseTime(raw.filled_at) ?? parseTime(raw.updated_at) ?? 0;
    // An order from before we connected: what it filled then is not ours to report (activities since then were read).
    if (createdAt < window.sinceMs && !tracker.knowsOrder(order.brokerOrderId)) tracker.seedOrder(order.brokerOrderId, order.filledQty);
    else if (filledAt < window.cutoffMs) sink.execution(tracker.fromOrder(raw, 'catchup'));
    sink.order(order);
  }
  for (const p of fresh) sink.position(p);
  for (const symbol of gone) sink.position({ accountId, symbol, qty: Decimal.ZERO });
}
