// The copies:list reply: a page of copy rows. Its own module so the dashboard can check its first page without
// building the other query shapes (records.ts re-exports all of it).
import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-fsm.js';
import { wireDecimal } from './result.js';

export const copyRowSchema = z.looseObject({
  id: z.string(),
  linkId: z.string(),
  leaderAccountId: z.string(),
  followerAccountId: z.string(),
  symbol: z.string(),
  side: z.enum(['buy', 'sell']),
  qty: wireDecimal,
  status: z.enum(ORDER_STATUSES),
  filledQty: wireDecimal.optional(),
  avgFillPrice: wireDecimal.optional(),
  leaderPrice: wireDecimal.optional(),
  /** ack - leader event received, ms. */
  latencyMs: z.number().nullable().optional(),
  /** fill - leader event received, ms. */
  fillLatencyMs: z.number().nullable().optional(),
  /** Signed follower avg fill - leader price, in price units; positive = worse for the follower. */
  slippage: wireDecimal.nullable().optional(),
  createdAt: z.number().optional(),
  error: z.string().optional(),
});
export type CopyRow = z.infer<typeof copyRowSchema>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.looseObject({ items: z.array(item), total: z.number(), nextCursor: z.string().optional() });

/** The copies:list reply (its own constant so the dashboard can check the first page before the other channels load). */
export const copiesPageSchema = pageOf(copyRowSchema);
