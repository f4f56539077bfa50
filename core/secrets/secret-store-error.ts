// SecretStoreError: a secret backend failed (keychain unreachable, wrong passphrase, unreadable file). Never holds a secret.
export class SecretStoreError extends Error {
  readonly code = 'secret_store' as const;
  constructor(message: string, opts: { cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SecretStoreError';
  }
}

/** Account ids name keychain entries and env variables; refuse anything else before touching a backend. */
export function checkAccountId(accountId: string): void {
  if (typeof accountId !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(accountId)) {
    throw new SecretStoreError('invalid account id for a secret');
  }
}
