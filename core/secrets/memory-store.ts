// MemorySecretStore: secrets in a Map for tests and for runs whose credentials come from the environment.
import type { SecretStore } from '../ports/secret-store.js';
import { checkAccountId } from './secret-store-error.js';

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory (kept until the app exits)';
  private readonly secrets = new Map<string, string>();

  async get(accountId: string): Promise<string | null> {
    checkAccountId(accountId);
    return this.secrets.get(accountId) ?? null;
  }

  async set(accountId: string, secret: string): Promise<void> {
    checkAccountId(accountId);
    this.secrets.set(accountId, secret);
  }

  async delete(accountId: string): Promise<boolean> {
    checkAccountId(accountId);
    return this.secrets.delete(accountId);
  }

  async list(): Promise<string[]> {
    return [...this.secrets.keys()].sort();
  }
}
