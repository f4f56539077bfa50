// Credential lookup for an account: the MIRRORDESK_CREDENTIALS_<ID> environment variable first, then the SecretStore.
import type { SecretStore } from '../ports/secret-store.js';
import { credentialsEnvName, readEnvCredential } from '../secrets/index.js';

export type CredentialSource = 'env' | 'store';

export interface FoundCredentials {
  readonly source: CredentialSource;
  /** Parsed JSON; validated by the broker's own schema. */
  readonly value: unknown;
  /** Every string inside the credential, for log redaction. */
  readonly secrets: readonly string[];
}

export class CredentialsError extends Error {
  readonly code = 'credentials' as const;
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

function parse(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CredentialsError(`${where} does not hold valid JSON (the value is not shown)`);
  }
}

const stringsIn = (v: unknown): string[] =>
  typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(stringsIn) : [];

export async function findCredentials(
  accountId: string,
  env: Readonly<Record<string, string | undefined>>,
  store: SecretStore,
): Promise<FoundCredentials | null> {
  const fromEnv = readEnvCredential(env, accountId);
  if (fromEnv !== null) {
    const value = parse(fromEnv, credentialsEnvName(accountId));
    return { source: 'env', value, secrets: stringsIn(value) };
  }
  const stored = await store.get(accountId);
  if (stored === null) return null;
  const value = parse(stored, `the stored credential for ${accountId}`);
  return { source: 'store', value, secrets: stringsIn(value) };
}
