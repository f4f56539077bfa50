// The workspace: accounts, links (leader -> follower with settings) and risk settings, as zod schemas.
import { z } from 'zod';
import { accountConfigSchema } from './account-config.js';
import { linkSettingsSchema } from './link-settings.js';
import { accountIdSchema } from './schemas.js';
import type { LinkId } from './ids.js';

export const linkConfigSchema = linkSettingsSchema
  .extend({
    /** Defaults to "<leader>-><follower>". */
    id: z
      .string()
      .min(1)
      .max(140)
      .transform((s) => s as LinkId)
      .optional(),
    leader: accountIdSchema,
    follower: accountIdSchema,
    enabled: z.boolean().default(true),
  })
  .strict();
export type LinkConfigInput = z.input<typeof linkConfigSchema>;
export type LinkConfig = Omit<z.output<typeof linkConfigSchema>, 'id'> & { readonly id: LinkId };

const DAY_MS = 86_400_000;
/** The most accounts, and links, one workspace holds (config-file checks it before validating each entry). */
export const MAX_ENTRIES = 1000;

export const riskSettingsSchema = z
  .object({
    breaker: z
      .object({
        /** Trip when copies exceed maxOrders within windowMs (per follower and globally x followers). */
        maxOrders: z.number().int().positive().max(100_000).default(60),
        windowMs: z.number().int().positive().max(DAY_MS).default(10_000),
        maxConsecutiveRejects: z.number().int().positive().max(1000).default(3),
      })
      .default({ maxOrders: 60, windowMs: 10_000, maxConsecutiveRejects: 3 }),
    reconcileIntervalMs: z.number().int().min(1_000).max(DAY_MS).default(30_000),
    equityRefreshMs: z.number().int().min(1_000).max(DAY_MS).default(60_000),
    /** Unknown outcomes: first lookup after this, doubling up to maxDelay; absent for notFoundGraceMs = not placed. */
    settle: z
      .object({
        firstDelayMs: z.number().int().positive().max(600_000).default(250),
        maxDelayMs: z.number().int().positive().max(600_000).default(5_000),
        notFoundGraceMs: z.number().int().positive().max(600_000).default(3_000),
      })
      .default({ firstDelayMs: 250, maxDelayMs: 5_000, notFoundGraceMs: 3_000 }),
    dryRun: z.boolean().default(false),
  })
  .strict()
  .default({
    breaker: { maxOrders: 60, windowMs: 10_000, maxConsecutiveRejects: 3 },
    reconcileIntervalMs: 30_000,
    equityRefreshMs: 60_000,
    settle: { firstDelayMs: 250, maxDelayMs: 5_000, notFoundGraceMs: 3_000 },
    dryRun: false,
  });
export type RiskSettings = z.output<typeof riskSettingsSchema>;

type AccountLike = z.output<typeof accountConfigSchema>;
type LinkLike = Pick<z.output<typeof linkConfigSchema>, 'leader' | 'follower'>;

/** The broker account an account config trades: same broker, broker account id (default: our id) and REST endpoint. */
export const brokerAccountKey = (a: AccountLike): string =>
  JSON.stringify([a.broker, a.brokerAccountId ?? a.id, a.endpoints.rest ?? null]);

/**
 * Refuses links whose copies come back as leader trades: a follower that is the leader's own broker account, or a
 * chain of links that leads back to a broker account it started from (every copy would be copied again, forever).
 */
function checkCopyLoops(accounts: readonly AccountLike[], links: readonly LinkLike[], ctx: z.RefinementCtx): void {
  const byId = new Map(accounts.map((a) => [a.id as string, a]));
  const next = new Map<string, { key: string; index: number }[]>();
  const keyed = links.map((l, index) => {
    const leader = byId.get(l.leader);
    const follower = byId.get(l.follower);
    if (!leader || !follower || l.leader === l.follower) return undefined;
    const edge = { from: brokerAccountKey(leader), to: brokerAccountKey(follower), index, leader, follower };
    if (edge.from === edge.to) {
      const shared = `${leader.broker} account "${leader.brokerAccountId ?? leader.id}"${leader.endpoints.rest ? ` at ${leader.endpoints.rest}` : ''}`;
      ctx.addIssue({
        code: 'custom',
        path: ['links', index, 'follower'],
        message: `"${follower.id}" is the leader's own broker account (${shared}); its copies would be copied again in a loop`,
      });
      return undefined;
    }
    next.set(edge.from, [...(next.get(edge.from) ?? []), { key: edge.to, index }]);
    return edge;
  });
  for (const edge of keyed) {
    if (!edge) continue;
    const path = loopBack(edge.to, edge.from, next, new Set());
    if (path) {
      const names = [edge.leader.id, edge.follower.id, ...path.map((i) => links[i]!.follower)];
      ctx.addIssue({
        code: 'custom',
        path: ['links', edge.index, 'follower'],
        message: `copy loop through the same broker accounts: ${names.join(' -> ')}`,
      });
    }
  }
}

/** Link indexes of a path from `from` back to `target` in the broker-account graph, or undefined. */
function loopBack(from: string, target: string, next: ReadonlyMap<string, { key: string; index: number }[]>, seen: Set<string>): number[] | undefined {
  if (from === target) return [];
  if (seen.has(from)) return undefined;
  seen.add(from);
  for (const e of next.get(from) ?? []) {
    const rest = loopBack(e.key, target, next, seen);
    if (rest) return [e.index, ...rest];
  }
  return undefined;
}

export const workspaceConfigSchema = z
  .object({
    accounts: z.array(accountConfigSchema).max(MAX_ENTRIES),
    links: z.array(linkConfigSchema).max(MAX_ENTRIES).default([]),
    risk: riskSettingsSchema,
  })
  .strict()
  .superRefine((ws, ctx) => {
    const ids = new Set<string>();
    ws.accounts.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `duplicate account id "${a.id}"` });
      ids.add(a.id);
    });
    const followers = new Map<string, string>();
    ws.links.forEach((l, i) => {
      if (!ids.has(l.leader)) ctx.addIssue({ code: 'custom', path: ['links', i, 'leader'], message: `unknown account "${l.leader}"` });
      if (!ids.has(l.follower)) {
        ctx.addIssue({ code: 'custom', path: ['links', i, 'follower'], message: `unknown account "${l.follower}"` });
      }
      if (l.leader === l.follower) ctx.addIssue({ code: 'custom', path: ['links', i, 'follower'], message: 'an account cannot follow itself' });
      const prev = followers.get(l.follower);
      if (prev !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['links', i, 'follower'],
          message: `"${l.follower}" already follows "${prev}"; a follower mirrors one leader`,
        });
      }
      followers.set(l.follower, l.leader);
    });
    checkCopyLoops(ws.accounts, ws.links, ctx);
  });
export type WorkspaceConfigInput = z.input<typeof workspaceConfigSchema>;
export type WorkspaceConfig = Omit<z.output<typeof workspaceConfigSchema>, 'links'> & { readonly links: LinkConfig[] };

export const defaultLinkId = (leader: string, follower: string): LinkId => `${leader}->${follower}` as LinkId;

/** Parses a workspace and gives every link its id. Throws the zod error on bad input. */
export function parseWorkspaceConfig(input: unknown): WorkspaceConfig {
  const ws = workspaceConfigSchema.parse(input);
  return { ...ws, links: ws.links.map((l) => ({ ...l, id: l.id ?? defaultLinkId(l.leader, l.follower) })) };
}
