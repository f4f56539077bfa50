// Credential commands of the AppHost: set, protect with a passphrase, delete, test a connection, and forget a removed
// account's credentials; every change is audited and reconnects the accounts it touches, through the host's queue.
import type { AccountConfig } from '../domain/account-config.js';
import type { AlertInput } from '../domain/alert.js';
import type { AccountId } from '../domain/ids.js';
import { errorMessage, ValidationError } from '../domain/errors.js';
import type { WorkspaceConfig } from '../domain/workspace-config.js';
import { describeStorage, ProtectableSecretStore } from '../secrets/index.js';
import type { SecretStore } from '../ports/secret-store.js';
import type { AccountPool } from './account-pool.js';
import type { CommandQueue } from './command-queue.js';
import type { Logger } from './logger.js';
import { requireAccount } from './workspace-edits.js';

export interface CredentialCommandDeps {
  readonly queue: CommandQueue;
  readonly accounts: AccountPool;
  readonly secrets: SecretStore;
  readonly log: Logger;
  readonly workspace: () => WorkspaceConfig;
  readonly running: () => boolean;
  /** Reconnects these accounts and hands their new adapters to the running engine. */
  readonly reconnect: (ids: readonly string[]) => Promise<void>;
  readonly audit: (actor: string, action: string, details?: Record<string, unknown>) => void;
  readonly raiseAlert: (input: AlertInput) => void;
  readonly changed: () => void;
}

export class CredentialCommands {
  constructor(private readonly d: CredentialCommandDeps) {}

  set(id: string, secret: unknown, actor: string): Promise<void> {
    const { d } = this;
    return d.queue.run(async () => {
      requireAccount(d.workspace(), id);
      if (!secret || typeof secret !== 'object' || Array.isArray(secret)) {
        throw new ValidationError('credentials', 'expected the broker credential object');
      }
      await d.accounts.setCredentials(id, secret);
      d.audit(actor, 'credentials-set', { id });
      if (d.running()) await d.reconnect([id]);
      if (!describeStorage(d.secrets).persistent) {
        const message = `credentials of "${id}" are kept in memory only and are lost when the app stops: protect them with a passphrase`;
        d.raiseAlert({ severity: 'warning', code: 'credentials_not_saved', accountId: id as AccountId, message });
      }
      d.changed();
    });
  }

  /** Moves memory-held credentials into a passphrase-protected file (or unlocks an existing one) and reconnects. */
  protect(passphrase: string, actor: string): Promise<{ moved: number }> {
    const { d } = this;
    return d.queue.run(async () => {
      const store = d.secrets;
      if (!(store instanceof ProtectableSecretStore)) throw new ValidationError('credentials', 'credentials cannot be moved to a file here');
      d.log.addSecret(passphrase);
      const moved = await store.protectWithPassphrase(passphrase);
      d.audit(actor, 'credentials-protect', { moved });
      if (d.running()) await d.reconnect(d.workspace().accounts.filter((a) => a.broker !== 'sim').map((a) => a.id as string));
      d.changed();
      return { moved };
    });
  }

  delete(id: string, actor: string): Promise<boolean> {
    const { d } = this;
    return d.queue.run(async () => {
      requireAccount(d.workspace(), id);
      const removed = await d.accounts.deleteCredentials(id);
      d.audit(actor, 'credentials-delete', { id, removed });
      if (d.running()) await d.reconnect([id]);
      d.changed();
      return removed;
    });
  }

  /** Connects a throwaway adapter for the account and reads its balance: proves credentials and endpoints. */
  test(id: string): Promise<{ ok: boolean; message: string; latencyMs?: number }> {
    const account: AccountConfig = requireAccount(this.d.workspace(), id);
    return this.d.accounts.testConnection(account);
  }

  /** A removed account's stored credentials are deleted; a store that cannot delete (environment variables) only logs. */
  async forget(id: string): Promise<void> {
    try {
      await this.d.accounts.deleteCredentials(id);
    } catch (err) {
      this.d.log.warn(`${id}: account removed; its credentials were not deleted: ${errorMessage(err)}`);
    }
  }
}
