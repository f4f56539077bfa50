// Risk commands of the AppHost: guard status, guard edits (saved in the workspace's account, audited) and a person's
// lock and unlock of an account (audited with actor and reason), all through the host's command queue.
import type { AccountConfig } from '../domain/account-config.js';
import type { AccountId } from '../domain/ids.js';
import type { GuardSettings } from '../domain/guard-settings.js';
import { ValidationError } from '../domain/errors.js';
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import type { CopyEngine, RiskStatus } from '../engine/index.js';
import type { CommandQueue } from './command-queue.js';
import { requireAccount, type Edit } from './workspace-edits.js';

export interface RiskCommandDeps {
  readonly engine: CopyEngine;
  readonly queue: CommandQueue;
  readonly workspace: () => WorkspaceConfig;
  /** The host's workspace edit (validated, audited, saved, applied to the engine). */
  readonly edit: <T>(make: () => Edit<T>, actor: string) => Promise<T>;
  readonly audit: (actor: string, action: string, details: Record<string, unknown>) => void;
}

/** The edit that sets (or removes, with null) an account's guards; no reconnect is needed. */
export function guardsEdit(ws: WorkspaceConfig, id: string, guards: GuardSettings | null): Edit<AccountConfig> {
  const current = requireAccount(ws, id);
  const { guards: _old, ...rest } = current;
  const account: AccountConfig = guards ? { ...rest, guards } : rest;
  return {
    next: { ...ws, accounts: ws.accounts.map((a) => (a.id === id ? account : a)) },
    changedAccounts: [],
    action: 'risk-set-guards',
    details: { id, guards },
    result: account,
  };
}

export class RiskCommands {
  constructor(private readonly d: RiskCommandDeps) {}

  status(accountId?: string): RiskStatus {
    if (accountId !== undefined) requireAccount(this.d.workspace(), accountId);
    return this.d.engine.riskStatus(accountId as AccountId | undefined);
  }

  async setGuards(accountId: string, guards: GuardSettings | null, actor: string): Promise<void> {
    await this.d.edit(() => guardsEdit(this.d.workspace(), accountId, guards), actor);
  }

  lock(accountId: string, reason: string, actor: string): Promise<void> {
    return this.d.queue.run(async () => {
      this.requireTraded(accountId);
      this.d.audit(actor, 'risk-lock', { id: accountId, reason });
      await this.d.engine.lockAccount(accountId as AccountId, reason, actor);
    });
  }

  unlock(accountId: string, reason: string, actor: string): Promise<void> {
    return this.d.queue.run(() => {
      requireAccount(this.d.workspace(), accountId);
      this.d.audit(actor, 'risk-unlock', { id: accountId, reason });
      this.d.engine.unlockAccount(accountId as AccountId, reason, actor);
    });
  }

  /** Only accounts in some link can be locked (a lock is about the orders the copier sends or copies). */
  private requireTraded(accountId: string): void {
    const ws = this.d.workspace();
    requireAccount(ws, accountId);
    if (!ws.links.some((l) => l.follower === accountId || l.leader === accountId)) {
      throw new ValidationError('accountId', `"${accountId}" is in no link: there is nothing to lock`);
    }
  }
}
