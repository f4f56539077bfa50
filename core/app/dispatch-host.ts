// DispatchHost: the part of AppHost the dispatcher drives (AppHost satisfies it structurally; tests may fake it).
import type { AccountConfigInput } from '../domain/account-config.js';
import type { GuardSettings } from '../domain/guard-settings.js';
import type { AccountId, AlertId, LinkId } from '../domain/ids.js';
import type { Scope } from '../domain/trading-state.js';
import type { LinkConfigInput } from '../domain/workspace-config.js';
import type { Logger } from './logger.js';
import type { SyncApplyRequest } from './sync-commands.js';
import type { ConfirmedOrder } from '../engine/index.js';

/** The journal's read side (core/store JournalQueries), loosely typed: results are checked against the contract. */
export interface DispatchQueries {
  listCopies(filter: never, page: never): unknown;
  getCopy(id: never): unknown;
  exportCopiesCsv(filter: never): string;
  counts(): unknown;
  listAlerts(filter: never, page: never): unknown;
  listAudit(filter: never, page: never): unknown;
}

/** Host events; payloads are serialised to contract events by the fan-out, so they are only loosely typed here. */
export interface DispatchHostEvents {
  snapshot: [];
  intent: [object];
  alert: [object];
  state: [{ scope: string; state: string }];
  'account-status': [{ accountId: string; status: object }];
  risk: [object];
}

/** The credential commands (core/app/credential-commands.ts). */
export interface DispatchCredentials {
  set(id: string, secret: unknown, actor: string): Promise<void>;
  delete(id: string, actor: string): Promise<unknown>;
  protect(passphrase: string, actor: string): Promise<{ moved: number }>;
  test(id: string): Promise<{ ok: boolean; message: string; latencyMs?: number }>;
}

/** The risk commands (core/app/risk-commands.ts). */
export interface DispatchRisk {
  status(accountId?: string): unknown;
  setGuards(accountId: string, guards: GuardSettings | null, actor: string): Promise<void>;
  lock(accountId: string, reason: string, actor: string): Promise<void>;
  unlock(accountId: string, reason: string, actor: string): Promise<void>;
}

/** The trading-state commands (core/app/trading-commands.ts). */
export interface DispatchTrading {
  /** mode: how resumed followers come back in line (resume only). */
  setTradingState(scope: Scope, state: 'active' | 'paused', actor: string, mode?: 'align' | 'new_only'): void | Promise<void>;
  /** The orders a resume 'align' would send now (a dry plan). */
  resumePreview(scope: Scope): Promise<unknown>;
  halt(opts: { scope: Scope; cancelOpenOrders: boolean; flattenPositions: boolean; actor: string }): Promise<unknown>;
  resetBreaker(scope: Scope, actor: string): void | Promise<void>;
  reconcileNow(actor: string): Promise<void>;
}

export interface DispatchHost {
  readonly log: Logger;
  readonly journal: { readonly queries: DispatchQueries };
  readonly risk: DispatchRisk;
  readonly credentials: DispatchCredentials;
  readonly trading: DispatchTrading;
  snapshot(): unknown;
  on<K extends keyof DispatchHostEvents>(event: K, fn: (...args: DispatchHostEvents[K]) => void): () => void;
  addAccount(cfg: AccountConfigInput, actor: string): Promise<unknown>;
  updateAccount(id: string, patch: Partial<AccountConfigInput>, actor: string): Promise<unknown>;
  removeAccount(id: string, actor: string): Promise<void>;
  /** start: how the new link begins when its leader holds positions (default 'new_only'); orders: the confirmed 'align' orders. */
  addLink(cfg: LinkConfigInput, actor: string, start?: 'align' | 'new_only', orders?: readonly ConfirmedOrder[]): Promise<unknown>;
  /** What links:add with start 'align' would send (a dry plan for a link not added yet). */
  previewLink(cfg: LinkConfigInput): Promise<unknown>;
  syncView(follower?: AccountId): Promise<unknown>;
  /** One confirmed row, or a follower's drifts (optionally exactly the confirmed rows). */
  syncApply(req: SyncApplyRequest, actor: string): Promise<unknown>;
  updateLink(id: LinkId, patch: Partial<LinkConfigInput>, actor: string): Promise<unknown>;
  removeLink(id: LinkId, actor: string): Promise<void>;
  acknowledgeAlerts(ids: readonly AlertId[] | 'all', actor: string): unknown;
  startDemo(actor: string): Promise<void>;
  leaveDemo(actor: string): Promise<void>;
  demoBurst(trades: number, actor: string): Promise<{ sent: number }>;
  /** Per-follower statistics over an optional createdAt range (stats:followers). */
  followerStats(range?: { from?: number; to?: number }): Promise<unknown>;
  /** The account's day P&L history, oldest first (stats:day-pnl). */
  dayPnlHistory(accountId: string, days: number): unknown;
}
