// Event channels (area:past-tense): what the app pushes to the dashboard, with payload schemas.
import { z } from 'zod';
import { alertViewSchema, breakerViewSchema, connectionSchema, scopeSchema, tradingStateSchema, workspaceSnapshotSchema } from './snapshot.js';
import { wireDecimal } from './result.js';
import { accountRiskSchema } from './risk.js';
import { ORDER_STATUSES } from '../domain/order-fsm.js';
import { EVENT_CHANNEL_NAMES, type EventChannel } from './channel-names.js';

export const EVENTS = {
  'workspace:changed': workspaceSnapshotSchema,
  'engine:state-changed': z.looseObject({
    scope: scopeSchema,
    state: tradingStateSchema,
    reason: z.string().optional(),
    actor: z.string().optional(),
    time: z.number().optional(),
  }),
  'copy:updated': z.looseObject({
    id: z.string(),
    followerAccountId: z.string(),
    symbol: z.string(),
    side: z.enum(['buy', 'sell']),
    qty: wireDecimal,
    status: z.enum(ORDER_STATUSES),
  }),
  'alerts:raised': alertViewSchema,
  'breaker:tripped': breakerViewSchema,
  'breaker:cleared': breakerViewSchema,
  'accounts:status-changed': connectionSchema.extend({ accountId: z.string() }),
  /** One account's risk view after a guard level, lock or the day changed (values coalesced to about once a second). */
  'risk:changed': accountRiskSchema,
} as const satisfies Record<EventChannel, z.ZodType>;

export type { EventChannel };
export const EVENT_CHANNELS = EVENT_CHANNEL_NAMES;
export type EventOf<E extends EventChannel> = z.output<(typeof EVENTS)[E]>;
