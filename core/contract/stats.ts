// Statistics as they cross the wire: per-follower figures (stats:followers) and day P&L history (stats:day-pnl).
import { z } from 'zod';
import { accountIdSchema } from '../domain/schemas.js';
import { wireDecimal } from './result.js';

export const followerStatsSchema = z.looseObject({
  accountId: z.string(),
  copies: z.number(),
  dryRuns: z.number(),
  filled: z.number(),
  /** Definite failures (rejected, never placed, expired), grouped by reason below. */
  failures: z.number(),
  unknown: z.number(),
  failureReasons: z.array(z.looseObject({ reason: z.string(), count: z.number(), lastAt: z.number() })),
  /** Realized P&L of the copier's own fills (average cost), in the account's money. */
  realizedPnl: wireDecimal,
  trades: z.number(),
  wins: z.number(),
  winRate: z.number().optional(),
  /** Leader event received -> order sent / -> broker ack, mean ms. */
  avgSendMs: z.number().optional(),
  avgAckMs: z.number().optional(),
  latencySamples: z.number(),
  /** Fill-weighted mean slippage per unit, price units; positive = worse than the leader. */
  avgSlippage: wireDecimal.optional(),
  slippageSamples: z.number(),
});
export type FollowerStatsView = z.output<typeof followerStatsSchema>;

export const dayPnlRowSchema = z.looseObject({
  tradingDay: z.string(),
  dayStart: z.number(),
  dayEnd: z.number(),
  dayPnl: wireDecimal,
  equity: wireDecimal,
  startEquity: wireDecimal.optional(),
  currency: z.string(),
  updatedAt: z.number(),
});
export type DayPnlRowView = z.output<typeof dayPnlRowSchema>;

export const statsRequests = {
  /** Optional createdAt range, ms since epoch (from inclusive, to exclusive). */
  followers: z
    .object({ from: z.number().int().min(0).optional(), to: z.number().int().min(0).optional() })
    .strict()
    .refine((r) => r.from === undefined || r.to === undefined || r.from < r.to, 'from must be before to')
    .optional(),
  dayPnl: z.object({ accountId: accountIdSchema, days: z.number().int().min(1).max(366).default(30) }).strict(),
};

export const statsResponses = {
  followers: z.looseObject({ from: z.number().optional(), to: z.number().optional(), followers: z.array(followerStatsSchema) }),
  dayPnl: z.looseObject({ accountId: z.string(), days: z.array(dayPnlRowSchema) }),
};
