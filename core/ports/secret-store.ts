// SecretStore: where broker credentials live (OS keychain, passphrase file, memory). Never SQLite, never logs.
export interface SecretStore {
  /** Human-readable name of the backend, e.g. "OS keychain (keytar)". */
  readonly kind: string;
  get(accountId: string): Promise<string | null>;
  set(accountId: string, secret: string): Promise<void>;
  delete(accountId: string): Promise<boolean>;
  /** Account ids that have a stored secret. */
  list(): Promise<string[]>;
}
