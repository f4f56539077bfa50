// The sync view's commands and a new link's start, between the contract and the engine: requests are checked against
// the workspace (known links and followers, rows of the follower named), then handed to the engine (sync-view.ts,
// link-start.ts), which plans, sends through its normal order path and audits.
import { ValidationError } from '../domain/errors.js';
import type { AccountId } from '../domain/ids.js';
import { defaultLinkId, linkConfigSchema, type LinkConfig, type LinkConfigInput, type WorkspaceConfig } from '../domain/workspace-config.js';
import type { ConfirmedOrder, CopyEngine, LinkStart, ResumePreview, SyncApplyResult, SyncView } from '../engine/index.js';
import type { Edit } from './workspace-edits.js';

interface ConfirmedItem {
  readonly linkId: string;
  readonly symbol: string;
  readonly orders?: readonly { readonly side: 'buy' | 'sell'; readonly qty: string }[];
}

/** One row, or every drift of one follower (with items: exactly those confirmed rows of it). */
export type SyncApplyRequest = ConfirmedItem | { readonly followerAccountId: AccountId; readonly items?: readonly ConfirmedItem[] };

function requireFollower(ws: WorkspaceConfig, id: string): void {
  if (!ws.links.some((l) => l.follower === id)) throw new ValidationError('followerAccountId', `"${id}" is not a follower`);
}

function requireLink(ws: WorkspaceConfig, id: string): LinkConfig {
  const link = ws.links.find((l) => l.id === id);
  if (!link) throw new ValidationError('linkId', `no link "${id}"`);
  return link;
}

export function viewSync(engine: CopyEngine, ws: WorkspaceConfig, follower?: AccountId): Promise<SyncView> {
  if (follower !== undefined) requireFollower(ws, follower);
  return engine.syncView(follower);
}

export function applySync(engine: CopyEngine, ws: WorkspaceConfig, req: SyncApplyRequest, actor: string): Promise<SyncApplyResult> {
  if ('followerAccountId' in req) {
    requireFollower(ws, req.followerAccountId);
    if (!req.items) return engine.syncApply({ follower: req.followerAccountId }, actor);
    for (const item of req.items) {
      if (requireLink(ws, item.linkId).follower !== req.followerAccountId) throw new ValidationError('items', `link "${item.linkId}" is not a link of ${req.followerAccountId}`);
    }
    return engine.syncApply({ items: req.items }, actor);
  }
  requireLink(ws, req.linkId);
  return engine.syncApply({ items: [req] }, actor);
}

/** What 'align' would send for a link config not added yet; both accounts must exist. */
export function previewNewLink(engine: CopyEngine, ws: WorkspaceConfig, input: LinkConfigInput): Promise<ResumePreview> {
  const parsed = linkConfigSchema.parse(input);
  for (const id of [parsed.leader, parsed.follower]) if (!ws.accounts.some((a) => a.id === id)) throw new ValidationError('link', `no account "${id}"`);
  if (parsed.leader === parsed.follower) throw new ValidationError('follower', 'an account cannot follow itself');
  return engine.previewLink({ ...parsed, id: parsed.id ?? defaultLinkId(parsed.leader, parsed.follower) });
}

/** The link-add edit with its start choice (and the confirmed 'align' orders) in the audit entry. */
export function withStart(e: Edit<LinkConfig>, start: LinkStart, orders?: readonly ConfirmedOrder[]): Edit<LinkConfig> {
  return { ...e, details: { ...e.details, start, ...(orders ? { orders } : {}) } };
}
