// Picks the secret backend by flags and platform, and says in one line which one and why.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretStore } from '../ports/secret-store.js';
import { EnvSecretStore } from './env-store.js';
import { KeytarSecretStore } from './keytar-store.js';
import { MemorySecretStore } from './memory-store.js';
import { PassphraseFileStore, SECRETS_FILE_NAME } from './passphrase-file-store.js';
import { SecretStoreError } from './secret-store-error.js';

export const SECRET_STORE_KINDS = ['keyring', 'file', 'env', 'memory'] as const;
export type SecretStoreKind = (typeof SECRET_STORE_KINDS)[number];

export interface ChooseOptions {
  readonly platform: NodeJS.Platform;
  readonly dataDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Forces a backend (the --secrets flag); otherwise: passphrase given -> file, a reachable keyring -> keyring, else memory. */
  readonly kind?: string;
  readonly passphrase?: string;
  /** A file whose first line is the passphrase (keeps it out of the process list and shell history). */
  readonly passphraseFile?: string;
  /** The encrypted file; `<dataDir>/secrets.enc.json` by default. */
  readonly secretsFile?: string;
  /** Probes the keychain; the default lists the "mirrordesk" entries with a time limit. */
  readonly probeKeychain?: (store: KeytarSecretStore) => Promise<void>;
}

export interface ChosenStore {
  readonly store: SecretStore;
  /** One line for the log and the console, e.g. "secrets: OS keychain via keytar (service "mirrordesk")". */
  readonly description: string;
}

const PROBE_MS = 3_000;
const FALLBACK_HINT = 'credentials come from MIRRORDESK_CREDENTIALS_<ID> variables; set MIRRORDESK_PASSPHRASE to save them in a file';

async function defaultProbe(store: KeytarSecretStore): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new SecretStoreError('the OS keychain did not answer')), PROBE_MS);
  });
  try {
    await Promise.race([store.list(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function passphraseOf(flags: ChooseOptions, env: ChooseOptions['env']): string | undefined {
  if (flags.passphrase) return flags.passphrase;
  if (flags.passphraseFile) {
    try {
      return readFileSync(flags.passphraseFile, 'utf8').split(/\r?\n/)[0] || undefined;
    } catch (err) {
      throw new SecretStoreError(`cannot read the passphrase file ${flags.passphraseFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
    }
  }
  return env.MIRRORDESK_PASSPHRASE || undefined;
}

const line = (store: SecretStore, why: string): ChosenStore => ({ store, description: `secrets: ${store.kind} (${why})` });

export async function chooseSecretStore(opts: ChooseOptions): Promise<ChosenStore> {
  const { env } = opts;
  const passphrase = passphraseOf(opts, env);
  const file = opts.secretsFile ?? join(opts.dataDir, SECRETS_FILE_NAME);
  const openFile = async (why: string) => {
    if (!passphrase) throw new SecretStoreError('the passphrase file store needs a passphrase: set MIRRORDESK_PASSPHRASE or pass --passphrase-file');
    return line(await PassphraseFileStore.open({ file, passphrase }), why);
  };
  if (opts.kind !== undefined && !(SECRET_STORE_KINDS as readonly string[]).includes(opts.kind)) {
    throw new SecretStoreError(`unknown secret store "${opts.kind}": use ${SECRET_STORE_KINDS.join(', ')}`);
  }
  switch (opts.kind as SecretStoreKind | undefined) {
    case 'file':
      return openFile('chosen by flag');
    case 'memory':
      return line(new MemorySecretStore(), 'chosen by flag; nothing is saved');
    case 'env':
      return line(new EnvSecretStore(env), 'chosen by flag');
    case 'keyring':
      return line(new KeytarSecretStore(), 'chosen by flag');
    case undefined:
      break;
  }
  if (passphrase) return openFile('a passphrase was given');
  const keychain = new KeytarSecretStore();
  const headlessLinux = opts.platform === 'linux' && !env.DBUS_SESSION_BUS_ADDRESS;
  if (!headlessLinux) {
    try {
      await (opts.probeKeychain ?? defaultProbe)(keychain);
      return line(keychain, `default on ${opts.platform}`);
    } catch (err) {
      return line(new MemorySecretStore(), `OS keychain unavailable: ${(err as Error).message}; ${FALLBACK_HINT}`);
    }
  }
  return line(new MemorySecretStore(), `no D-Bus session for a keyring; ${FALLBACK_HINT}`);
}
