// Alpaca request budget: one shared PriorityTokenBucket (200 requests/min) per API key, used by every adapter on that key.
import type { Clock } from '../../ports/clock.js';
import { PriorityTokenBucket, type RequestPriority } from '../shared/index.js';

export type Priority = RequestPriority;
export const PRIORITY = { flatten: 'flatten', copy: 'copy', query: 'query' } as const satisfies Record<string, Priority>;

export const ALPACA_REQUESTS_PER_MINUTE = 200;

/** Alpaca counts requests per key, so two accounts configured with one key share one bucket. */
const buckets = new Map<string, PriorityTokenBucket>();

export function bucketForKey(keyId: string, clock: Clock): PriorityTokenBucket {
  let b = buckets.get(keyId);
  if (!b) {
    b = new PriorityTokenBucket({ capacity: ALPACA_REQUESTS_PER_MINUTE, windowMs: 60_000, clock });
    buckets.set(keyId, b);
  }
  return b;
}
