// The workspace snapshot as it crosses the wire: accounts with health and P&L, links, trading and breaker state.
import { guardSettingsSchema } from '../domain/guard-settings.js';
import { riskStateSchema } from './risk.js';
import { z } from 'zod';
import { ALERT_CODES } from '../domain/alert.js';
import { wireDecimal } from './result.js';

export const tradingStateSchema = z.enum(['active', 'paused', 'halted']);
export const connectionStatusSchema = z.enum(['disconnected', 'connecting', 'connected', 'reconnecting', 'failed']);
/** 'global' or a follower account id. */
export const scopeSchema = z.string().min(1).max(64);

export const connectionSchema = z.looseObject({
  status: connectionStatusSchema,
  lastHeartbeatAt: z.number().optional(),
  roundTripMs: z.number().optional(),
  reason: z.string().optional(),
});

export const positionSchema = z.looseObject({
  symbol: z.string(),
  qty: wireDecimal,
  avgPrice: wireDecimal.optional(),
});

export const accountViewSchema = z.looseObject({
  id: z.string(),
  label: z.string(),
  broker: z.enum(['sim', 'alpaca', 'projectx']),
  environment: z.enum(['paper', 'live']),
  role: z.enum(['leader', 'follower', 'unlinked']),
  enabled: z.boolean(),
  hasCredentials: z.boolean(),
  brokerAccountId: z.string().optional(),
  brokerAccountName: z.string().optional(),
  endpoints: z.looseObject({ rest: z.string().optional(), stream: z.string().optional(), userHub: z.string().optional() }).optional(),
  connection: connectionSchema,
  equity: wireDecimal.optional(),
  dayPnl: wireDecimal.optional(),
  currency: z.string().optional(),
  positions: z.array(positionSchema),
  tradingState: tradingStateSchema,
  /** The account's risk guards as configured (absent: none) and its risk state now (while the engine runs). */
  guards: guardSettingsSchema.optional(),
  riskState: riskStateSchema.optional(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

/** A link with its settings, decimals as strings (the shape links:add accepts back). */
export const linkViewSchema = z.looseObject({
  id: z.string(),
  leader: z.string(),
  follower: z.string(),
  enabled: z.boolean(),
  sizing: z.looseObject({ mode: z.enum(['multiplier', 'fixed', 'equity', 'notional']), value: wireDecimal }),
});
export type LinkView = z.infer<typeof linkViewSchema>;

export const breakerViewSchema = z.looseObject({
  scope: scopeSchema,
  tripped: z.boolean(),
  reason: z.string().optional(),
  trippedAt: z.number().optional(),
});
export type BreakerView = z.infer<typeof breakerViewSchema>;

export const countersSchema = z.looseObject({
  copies: z.number(),
  rejects: z.number(),
  unknown: z.number(),
  alertsUnread: z.number(),
});

export const workspaceSnapshotSchema = z.looseObject({
  accounts: z.array(accountViewSchema),
  links: z.array(linkViewSchema),
  trading: z.looseObject({ global: tradingStateSchema, followers: z.record(z.string(), tradingStateSchema) }),
  breakers: z.array(breakerViewSchema),
  armed: z.boolean(),
  /** False while the workspace is stopped (nothing connected, nothing copied). */
  running: z.boolean().optional(),
  dryRun: z.boolean().optional(),
  counters: countersSchema,
  demo: z.boolean(),
  /** Where credentials are kept; `persistent: false` means a restart loses them (memory). */
  credentialStorage: z
    .object({
      kind: z.enum(['keychain', 'file', 'env', 'memory', 'other']),
      persistent: z.boolean(),
      where: z.string(),
      canProtect: z.boolean(),
    })
    .optional(),
  /** Follower positions off their target at the last reconciliation. */
  drifts: z.array(z.looseObject({ followerAccountId: z.string(), symbol: z.string(), target: wireDecimal, position: wireDecimal, action: z.string() })).optional(),
});
export type WorkspaceSnapshotView = z.infer<typeof workspaceSnapshotSchema>;

export const alertViewSchema = z.looseObject({
  id: z.string(),
  time: z.number(),
  severity: z.enum(['info', 'warning', 'error', 'critical']),
  code: z.enum(ALERT_CODES),
  message: z.string(),
  accountId: z.string().optional(),
  linkId: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  acknowledged: z.boolean(),
});
export type AlertView = z.infer<typeof alertViewSchema>;
