// Credentials from the environment: MIRRORDESK_CREDENTIALS_<ID> (ID uppercased, non-alphanumerics as _); read-only.
import type { SecretStore } from '../ports/secret-store.js';
import { SecretStoreError, checkAccountId } from './secret-store-error.js';

export const ENV_PREFIX = 'MIRRORDESK_CREDENTIALS_';

export const credentialsEnvName = (accountId: string): string =>
  `${ENV_PREFIX}${accountId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

/** The raw credential JSON text for an account, or null when the variable is unset or empty. */
export function readEnvCredential(env: Readonly<Record<string, string | undefined>>, accountId: string): string | null {
  const v = env[credentialsEnvName(accountId)];
  return v === undefined || v === '' ? null : v;
}

export class EnvSecretStore implements SecretStore {
  readonly kind = `environment variables (${ENV_PREFIX}<ACCOUNT_ID>, read-only)`;

  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async get(accountId: string): Promise<string | null> {
    checkAccountId(accountId);
    return readEnvCredential(this.env, accountId);
  }

  async set(): Promise<void> {
    throw new SecretStoreError(`credentials come from ${ENV_PREFIX}<ACCOUNT_ID> variables here; they cannot be changed from the app`);
  }

  async delete(): Promise<boolean> {
    throw new SecretStoreError(`credentials come from ${ENV_PREFIX}<ACCOUNT_ID> variables here; they cannot be changed from the app`);
  }

  /** Variable names are uppercased, so these are the normalised ids (FOLLOWER_1), not necessarily the account ids. */
  async list(): Promise<string[]> {
    return Object.keys(this.env)
      .filter((k) => k.startsWith(ENV_PREFIX) && this.env[k])
      .map((k) => k.slice(ENV_PREFIX.length))
      .sort();
  }
}
