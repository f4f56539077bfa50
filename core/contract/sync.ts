// The sync view and how a new link starts, as they cross the wire: sync:view (per link and follower symbol: leader,
// eligible part, target, position, working orders, drift and the exact repair), sync:apply (send confirmed repairs),
// and links:add's start choice with links:preview (what 'align' would send for a link not added yet).
import { z } from 'zod';
import { accountIdSchema, symbolSchema } from '../domain/schemas.js';
import { wireDecimal } from './result.js';

const side = z.enum(['buy', 'sell']);
const linkIdText = z.string().min(1).max(140);
const positiveQty = z.string().regex(/^\d+(\.\d{1,9})?$/, 'expected a positive decimal string').refine((s) => /[1-9]/.test(s), 'must be greater than 0');

/** How a new link starts when its leader holds positions: 'align' sends the previewed orders once it is armed;
 * 'new_only' copies only what the leader trades from now on (the open positions stay as they are). */
export const linkStartSchema = z.enum(['align', 'new_only']);

/** The 'align' orders a person saw in links:preview: only these are sent when the link arms. */
export const startOrdersSchema = z.array(z.object({ symbol: symbolSchema, side, qty: positiveQty }).strict()).max(200);

export const syncOrderSchema = z.object({ side, qty: wireDecimal, symbol: z.string(), instrument: z.string() }).strict();

export const syncRowSchema = z
  .object({
    linkId: z.string(),
    leaderAccountId: z.string(),
    followerAccountId: z.string(),
    symbol: z.string(),
    leaderSymbol: z.string(),
    leaderPosition: wireDecimal,
    eligible: wireDecimal,
    target: wireDecimal,
    position: wireDecimal,
    working: wireDecimal,
    drift: wireDecimal,
    orders: z.array(syncOrderSchema),
    canApply: z.boolean(),
    note: z.string().optional(),
  })
  .strict();
export type SyncRowView = z.output<typeof syncRowSchema>;

export const syncViewSchema = z
  .object({
    at: z.number(),
    followers: z.array(
      z.object({ accountId: z.string(), state: z.string(), connected: z.boolean(), blocked: z.string().optional() }).strict(),
    ),
    rows: z.array(syncRowSchema),
  })
  .strict();

/** The orders a person confirmed for one row: the apply is refused when the repair now differs. */
const confirmedItem = z
  .object({ linkId: linkIdText, symbol: symbolSchema, orders: z.array(z.object({ side, qty: positiveQty }).strict()).min(1).max(2).optional() })
  .strict();

export const syncRequests = {
  view: z.object({ followerAccountId: accountIdSchema.optional() }).strict().optional(),
  /** One row, or every drift of one follower (with `items`: exactly those confirmed rows of that follower). */
  apply: z.union([
    confirmedItem,
    z.object({ followerAccountId: accountIdSchema, items: z.array(confirmedItem).min(1).max(500).optional() }).strict(),
  ]),
};

export const syncApplyResultSchema = z
  .object({
    sent: z.array(
      z
        .object({
          linkId: z.string(),
          followerAccountId: z.string(),
          symbol: z.string(),
          side,
          qty: wireDecimal,
          instrument: z.string(),
          clientOrderId: z.string(),
          dryRun: z.boolean(),
        })
        .strict(),
    ),
    refused: z.array(z.object({ linkId: z.string(), symbol: z.string(), reason: z.string() }).strict()),
  })
  .strict();
