// Secret backends behind the SecretStore port: OS keychain, passphrase file, environment, memory; and the chooser.
export { SecretStoreError } from './secret-store-error.js';
export { MemorySecretStore } from './memory-store.js';
export { KeytarSecretStore, KEYCHAIN_SERVICE } from './keytar-store.js';
export { PassphraseFileStore, SECRETS_FILE_NAME, type PassphraseFileOptions } from './passphrase-file-store.js';
export { EnvSecretStore, credentialsEnvName, readEnvCredential, ENV_PREFIX } from './env-store.js';
export { ProtectableSecretStore, describeStorage, MIN_PASSPHRASE_LENGTH, type CredentialStorage } from './protectable-store.js';
export {
  chooseSecretStore,
  SECRET_STORE_KINDS,
  type ChooseOptions,
  type ChosenStore,
  type SecretStoreKind,
} from './choose-store.js';
