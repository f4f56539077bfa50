// Paged query shapes: copies (with latency and slippage), alerts, the audit log, and their filters.
import { z } from 'zod';
import { ORDER_STATUSES } from '../domain/order-fsm.js';
import { alertViewSchema } from './snapshot.js';
import { copyRowSchema, pageOf } from './copies.js';
import { wireDecimal } from './result.js';

export { copiesPageSchema, copyRowSchema, pageOf, type CopyRow } from './copies.js';

const id = z.string().min(1).max(200);

/** Newest first; pass the previous page's nextCursor (or an offset) for the next page. */
export const pageRequestSchema = z
  .object({
    limit: z.number().int().min(1).max(500).default(50),
    cursor: z.string().regex(/^\d{1,15}$/, 'expected a page cursor').optional(),
    offset: z.number().int().min(0).max(1e9).optional(),
  })
  .strict();

export const copyFilterSchema = z
  .object({
    followerAccountId: id.optional(),
    symbol: z.string().min(1).max(64).optional(),
    status: z.enum(ORDER_STATUSES).optional(),
    linkId: z.string().min(1).max(140).optional(),
    purpose: z.enum(['copy', 'repair', 'flatten']).optional(),
    /** Created at or after / before, ms since epoch. */
    from: z.number().int().min(0).optional(),
    to: z.number().int().min(0).optional(),
  })
  .strict();

export const copiesQuerySchema = pageRequestSchema.extend(copyFilterSchema.shape).strict();
export type CopiesQuery = z.input<typeof copiesQuerySchema>;


/** One copy (its row fields) with its leader execution, raw broker messages (status history) and fills. */
export const copyDetailSchema = copyRowSchema.extend({
  execution: z.looseObject({ id: z.string(), symbol: z.string(), side: z.enum(['buy', 'sell']), qty: wireDecimal, price: wireDecimal }).optional(),
  events: z.array(z.looseObject({ time: z.number(), status: z.string().optional(), error: z.string().optional(), raw: z.unknown().optional() })),
  fills: z.array(z.looseObject({ qty: wireDecimal, price: wireDecimal, time: z.number() })),
});

export const alertsQuerySchema = pageRequestSchema
  .extend({
    unacknowledgedOnly: z.boolean().default(false),
    severity: z.enum(['info', 'warning', 'error', 'critical']).optional(),
    accountId: id.optional(),
  })
  .strict();
export type AlertsQuery = z.input<typeof alertsQuerySchema>;
export const alertsPageSchema = pageOf(alertViewSchema).extend({ unacknowledged: z.number() });

export const auditQuerySchema = pageRequestSchema
  .extend({ actor: z.string().min(1).max(100).optional(), action: z.string().min(1).max(100).optional() })
  .strict();
export const auditRowSchema = z.looseObject({
  id: z.number(),
  time: z.number(),
  actor: z.string(),
  action: z.string(),
  details: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type AuditRow = z.infer<typeof auditRowSchema>;

export const countsSchema = z.looseObject({
  copies: z.number(),
  open: z.number(),
  rejects: z.number(),
  unknown: z.number(),
  today: z.number(),
  alerts: z.number(),
  unacknowledgedAlerts: z.number(),
  latency: z.looseObject({
    samples: z.number(),
    avgMs: z.number().optional(),
    p50Ms: z.number().optional(),
    p99Ms: z.number().optional(),
  }),
});
