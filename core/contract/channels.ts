// Invoke channels (area:verb): every command and query of the dashboard, each with its request and response schema.
import { z } from 'zod';
import { accountConfigSchema } from '../domain/account-config.js';
import { accountIdSchema } from '../domain/schemas.js';
import { linkConfigSchema } from '../domain/workspace-config.js';
import { accountPatchSchema, linkPatchSchema } from './patches.js';
import {
  alertsPageSchema,
  alertsQuerySchema,
  auditQuerySchema,
  auditRowSchema,
  copiesQuerySchema,
  copyDetailSchema,
  copyFilterSchema,
  copiesPageSchema,
  countsSchema,
  pageOf,
} from './records.js';
import { riskRequests, riskStatusSchema } from './risk.js';
import { workspaceSnapshotSchema } from './snapshot.js';
import { statsRequests, statsResponses } from './stats.js';
import { linkStartSchema, startOrdersSchema, syncApplyResultSchema, syncRequests, syncViewSchema } from './sync.js';
import { INVOKE_CHANNEL_NAMES, type InvokeChannel } from './channel-names.js';
import { ACCOUNT_ID_PATTERN } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';

/** 'global' or a follower account id. */
const scopeSchema = z
  .string()
  .refine((s) => s === 'global' || ACCOUNT_ID_PATTERN.test(s), 'expected "global" or an account id')
  .transform((s) => s as Scope);
const none = z.object({}).strict().optional();
const done = z.null();
const scoped = z.object({ scope: scopeSchema.default('global') }).strict().optional();
/** How resumed followers come back in line: 'align' = now (the orders engine:resume-preview shows), 'new_only' = copy
 * new leader trades only (current positions left alone until the leader trades the symbol again). Absent: each link's
 * reconcile policy decides. */
export const resumeModeSchema = z.enum(['align', 'new_only']);
const decimalText = z.string().max(64);
export const resumePreviewSchema = z
  .object({
    scope: z.string(),
    at: z.number(),
    items: z.array(
      z
        .object({
          linkId: z.string(),
          followerAccountId: z.string(),
          symbol: z.string(),
          position: decimalText,
          target: decimalText,
          orders: z.array(z.object({ side: z.enum(['buy', 'sell']), qty: decimalText }).strict()),
          held: z.string().optional(),
        })
        .strict(),
    ),
    errors: z.array(z.object({ accountId: z.string(), message: z.string() }).strict()),
  })
  .strict();
const byAccount = z.object({ accountId: accountIdSchema }).strict();
const linkIdSchema = z.string().min(1).max(140);
const secretText = z.string().min(1).max(4096);

/** Broker credential JSON: Alpaca {keyId, secretKey} or ProjectX {userName, apiKey}. Write-only. */
export const credentialsSchema = z.union([
  z.object({ keyId: secretText, secretKey: secretText }).strict(),
  z.object({ userName: secretText, apiKey: secretText }).strict(),
]);

/** The most leader trades one demo burst may send (the demo bot's own limit). */
export const DEMO_BURST_MAX = 200;

export const haltReportSchema = z.looseObject({});

export const INVOKE = {
  'workspace:snapshot': { request: none, response: workspaceSnapshotSchema },
  'workspace:start-demo': { request: none, response: done },
  /** Leaves the demo workspace for an empty one (kept across restarts). */
  'workspace:leave-demo': { request: none, response: done },
  /** Demo tool: the demo bot sends this many leader trades back to back (only while the demo workspace runs). */
  'workspace:demo-burst': {
    request: z.object({ trades: z.number().int().min(1).max(DEMO_BURST_MAX) }).strict(),
    response: z.object({ sent: z.number().int().nonnegative() }).strict(),
  },
  'engine:start': { request: scoped, response: done },
  'engine:pause': { request: scoped, response: done },
  'engine:resume': {
    request: z.object({ scope: scopeSchema.default('global'), mode: resumeModeSchema.optional() }).strict().optional(),
    response: done,
  },
  /** A dry plan: the orders a resume 'align' would send now to bring each follower of the scope in line. */
  'engine:resume-preview': { request: scoped, response: resumePreviewSchema },
  'engine:halt': {
    request: z
      .object({
        scope: scopeSchema.default('global'),
        cancelOpenOrders: z.boolean().default(false),
        flattenPositions: z.boolean().default(false),
      })
      .strict(),
    response: haltReportSchema,
  },
  'engine:reconcile': { request: none, response: done },
  'breaker:reset': { request: z.object({ scope: scopeSchema }).strict(), response: done },
  'followers:set-state': {
    request: z.object({ accountId: accountIdSchema, state: z.enum(['active', 'paused']), mode: resumeModeSchema.optional() }).strict(),
    response: done,
  },
  'accounts:add': { request: accountConfigSchema, response: done },
  'accounts:update': { request: z.object({ id: accountIdSchema, patch: accountPatchSchema }).strict(), response: done },
  'accounts:remove': { request: z.object({ id: accountIdSchema }).strict(), response: done },
  'accounts:test': {
    request: byAccount,
    response: z.object({ ok: z.boolean(), message: z.string(), latencyMs: z.number().optional() }).strict(),
  },
  'credentials:set': { request: z.object({ accountId: accountIdSchema, credentials: credentialsSchema }).strict(), response: done },
  /** Moves credentials held in memory into a passphrase-protected file (or unlocks an existing one). */
  'credentials:protect': {
    request: z.object({ passphrase: z.string().min(8).max(1024) }).strict(),
    response: z.object({ moved: z.number().int().nonnegative() }).strict(),
  },
  'credentials:delete': { request: byAccount, response: done },
  /** start: how the link begins when its leader holds positions (default 'new_only': nothing is sent unseen);
   * orders: the 'align' orders the person saw in links:preview (then only those are sent). */
  'links:add': { request: linkConfigSchema.extend({ start: linkStartSchema.optional(), orders: startOrdersSchema.optional() }), response: done },
  'links:update': { request: z.object({ id: linkIdSchema, patch: linkPatchSchema }).strict(), response: done },
  'links:remove': { request: z.object({ id: linkIdSchema }).strict(), response: done },
  /** What links:add with start 'align' would send for this link config (fresh reads; nothing is sent or kept). */
  'links:preview': { request: linkConfigSchema, response: resumePreviewSchema },
  /** Does every follower match the leader: per link and symbol, target, position, working orders, drift, repair. */
  'sync:view': { request: syncRequests.view, response: syncViewSchema },
  /** Sends confirmed repairs of the sync view (one row, or a follower's drifts); returns what was sent and refused. */
  'sync:apply': { request: syncRequests.apply, response: syncApplyResultSchema },
  'alerts:ack': {
    request: z.object({ ids: z.union([z.literal('all'), z.array(z.string().min(1).max(200)).min(1).max(1000)]) }).strict(),
    response: done,
  },
  'alerts:list': { request: alertsQuerySchema, response: alertsPageSchema },
  'copies:list': { request: copiesQuerySchema, response: copiesPageSchema },
  'copies:get': { request: z.object({ id: z.string().min(1).max(200) }).strict(), response: copyDetailSchema },
  'copies:export-csv': { request: copyFilterSchema, response: z.object({ csv: z.string() }).strict() },
  'audit:list': { request: auditQuerySchema, response: pageOf(auditRowSchema) },
  'stats:counts': { request: none, response: countsSchema },
  'stats:followers': { request: statsRequests.followers, response: statsResponses.followers },
  'stats:day-pnl': { request: statsRequests.dayPnl, response: statsResponses.dayPnl },
  /** Every guarded account's risk day (or one account's): guard readings, locks, auto-flatten countdown. */
  'risk:status': { request: riskRequests.status, response: riskStatusSchema },
  /** Replaces an account's guards (null removes them); saved in the workspace and audited. */
  'risk:set-guards': { request: riskRequests.setGuards, response: done },
  /** A person flattens and locks an account until they unlock it (audited with the reason). */
  'risk:lock': { request: riskRequests.lock, response: done },
  /** A person lifts every lock and block of an account (audited with the reason). */
  'risk:unlock': { request: riskRequests.unlock, response: done },
} as const satisfies Record<InvokeChannel, { request: z.ZodType; response: z.ZodType }>;

export const INVOKE_CHANNELS = INVOKE_CHANNEL_NAMES;
export type { InvokeChannel };
export type RequestOf<C extends InvokeChannel> = z.input<(typeof INVOKE)[C]['request']>;
export type ParsedRequestOf<C extends InvokeChannel> = z.output<(typeof INVOKE)[C]['request']>;
export type ResponseOf<C extends InvokeChannel> = z.output<(typeof INVOKE)[C]['response']>;
