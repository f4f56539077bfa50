// KeytarSecretStore: the OS keychain (macOS Keychain, Windows Credential Vault, Secret Service on Linux) via keytar.
import type { SecretStore } from '../ports/secret-store.js';
import { SecretStoreError, checkAccountId } from './secret-store-error.js';

export const KEYCHAIN_SERVICE = 'mirrordesk';

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

let loaded: Promise<Keytar> | undefined;

/** keytar is a native module: load it on first use so a missing build is a clear error, not a crash at import. */
function loadKeytar(): Promise<Keytar> {
  loaded ??= import('keytar').then(
    (m) => ((m as { default?: Keytar }).default ?? (m as unknown as Keytar)),
    (err: unknown) => {
      loaded = undefined;
      throw new SecretStoreError(`the OS keychain module (keytar) could not be loaded: ${(err as Error).message}`, { cause: err });
    },
  );
  return loaded;
}

export class KeytarSecretStore implements SecretStore {
  readonly kind: string;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {
    this.kind = `OS keychain via keytar (service "${service}")`;
  }

  private async call<T>(what: string, fn: (k: Keytar) => Promise<T>): Promise<T> {
    const keytar = await loadKeytar();
    try {
      return await fn(keytar);
    } catch (err) {
      throw new SecretStoreError(`OS keychain ${what} failed: ${(err as Error).message ?? String(err)}`, { cause: err });
    }
  }

  async get(accountId: string): Promise<string | null> {
    checkAccountId(accountId);
    return this.call('read', (k) => k.getPassword(this.service, accountId));
  }

  async set(accountId: string, secret: string): Promise<void> {
    checkAccountId(accountId);
    return this.call('write', (k) => k.setPassword(this.service, accountId, secret));
  }

  async delete(accountId: string): Promise<boolean> {
    checkAccountId(accountId);
    return this.call('delete', (k) => k.deletePassword(this.service, accountId));
  }

  async list(): Promise<string[]> {
    const found = await this.call('list', (k) => k.findCredentials(this.service));
    return found.map((c) => c.account).sort();
  }
}
