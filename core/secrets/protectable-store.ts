// Where credentials are kept, told truthfully (keychain, encrypted file, environment, or memory that a restart loses),
// and ProtectableSecretStore: a store that can move memory-held credentials into a passphrase-protected file at runtime.
import { existsSync } from 'node:fs';
import type { SecretStore } from '../ports/secret-store.js';
import { EnvSecretStore } from './env-store.js';
import { KeytarSecretStore } from './keytar-store.js';
import { MemorySecretStore } from './memory-store.js';
import { PassphraseFileStore } from './passphrase-file-store.js';
import { SecretStoreError } from './secret-store-error.js';

export interface CredentialStorage {
  readonly kind: 'keychain' | 'file' | 'env' | 'memory' | 'other';
  /** False when a restart loses what was entered (memory). */
  readonly persistent: boolean;
  /** One sentence for the UI: where the credentials are and what that means. */
  readonly where: string;
  /** True when `credentials:protect` can move them into a passphrase-protected file. */
  readonly canProtect: boolean;
}

export const MIN_PASSPHRASE_LENGTH = 8;

export function describeStorage(store: SecretStore): CredentialStorage {
  if (store instanceof ProtectableSecretStore) return store.storage();
  if (store instanceof KeytarSecretStore) {
    return { kind: 'keychain', persistent: true, where: 'Stored in the system keychain.', canProtect: false };
  }
  if (store instanceof PassphraseFileStore) {
    return { kind: 'file', persistent: true, where: 'Stored in a passphrase-protected file (AES-256-GCM) in the data directory.', canProtect: false };
  }
  if (store instanceof EnvSecretStore) {
    return { kind: 'env', persistent: true, where: 'Read from MIRRORDESK_CREDENTIALS_<ACCOUNT_ID> environment variables; they cannot be changed here.', canProtect: false };
  }
  if (store instanceof MemorySecretStore) {
    return {
      kind: 'memory',
      persistent: false,
      where: 'Kept in memory only: no keychain answered, so credentials entered here are lost when the app stops or restarts.',
      canProtect: false,
    };
  }
  return { kind: 'other', persistent: true, where: store.kind, canProtect: false };
}

/** Delegates to its current backend; `protectWithPassphrase` switches a memory backend to a passphrase file. */
export class ProtectableSecretStore implements SecretStore {
  constructor(
    private inner: SecretStore,
    /** The encrypted file used when protecting (`<dataDir>/secrets.enc.json`). */
    private readonly file: string,
  ) {}

  get kind(): string {
    return this.inner.kind;
  }

  storage(): CredentialStorage {
    const s = describeStorage(this.inner);
    if (s.kind !== 'memory') return s;
    const next = existsSync(this.file)
      ? 'An encrypted credentials file exists: enter its passphrase to unlock it.'
      : 'Protect them with a passphrase to keep them in an encrypted file.';
    return { ...s, canProtect: true, where: `${s.where} ${next}` };
  }

  get(accountId: string): Promise<string | null> {
    return this.inner.get(accountId);
  }
  set(accountId: string, secret: string): Promise<void> {
    return this.inner.set(accountId, secret);
  }
  delete(accountId: string): Promise<boolean> {
    return this.inner.delete(accountId);
  }
  list(): Promise<string[]> {
    return this.inner.list();
  }

  /**
   * Opens (or creates) the passphrase-protected file, copies every credential held in memory into it and keeps using
   * the file from then on. Returns how many credentials were moved. A wrong passphrase for an existing file is refused.
   */
  async protectWithPassphrase(passphrase: string): Promise<number> {
    if (!(this.inner instanceof MemorySecretStore)) {
      throw new SecretStoreError(`credentials are not held in memory here (${this.inner.kind}); there is nothing to protect`);
    }
    if (passphrase.length < MIN_PASSPHRASE_LENGTH) {
      throw new SecretStoreError(`the passphrase must have at least ${MIN_PASSPHRASE_LENGTH} characters`);
    }
    const target = await PassphraseFileStore.open({ file: this.file, passphrase });
    const ids = await this.inner.list();
    for (const id of ids) {
      const secret = await this.inner.get(id);
      if (secret !== null) await target.set(id, secret);
    }
    this.inner = target;
    return ids.length;
  }
}
