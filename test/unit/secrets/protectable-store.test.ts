// ProtectableSecretStore and describeStorage: each backend described truthfully; memory-held credentials move into
// the passphrase file; a wrong passphrase for an existing file is refused and nothing moves.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeStorage, EnvSecretStore, KeytarSecretStore, MemorySecretStore, PassphraseFileStore, ProtectableSecretStore } from '../../../core/secrets/index.js';

describe('credential storage description', () => {
  it('issue 12 #5: says keychain, env or memory truthfully; only memory is not persistent', () => {
    expect(describeStorage(new KeytarSecretStore())).toMatchObject({ kind: 'keychain', persistent: true });
    expect(describeStorage(new EnvSecretStore({}))).toMatchObject({ kind: 'env', persistent: true });
    expect(describeStorage(new MemorySecretStore())).toMatchObject({ kind: 'memory', persistent: false });
  });

  it('issue 12 #5: protecting moves memory-held credentials into the encrypted file; a wrong passphrase is refused', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mirrordesk-protect-')), 'secrets.enc.json');
    const memory = new MemorySecretStore();
    await memory.set('a', '{"keyId":"k","secretKey":"s"}');
    const store = new ProtectableSecretStore(memory, file);
    expect(store.storage()).toMatchObject({ kind: 'memory', persistent: false, canProtect: true });
    await expect(store.protectWithPassphrase('short')).rejects.toThrow(/at least 8 characters/);
    expect(await store.protectWithPassphrase('a good passphrase')).toBe(1);
    expect(store.storage()).toMatchObject({ kind: 'file', persistent: true, canProtect: false });
    await store.set('b', 'x');
    const reopened = await PassphraseFileStore.open({ file, passphrase: 'a good passphrase' });
    expect(await reopened.list()).toEqual(['a', 'b']);

    const other = new ProtectableSecretStore(new MemorySecretStore(), file);
    await expect(other.protectWithPassphrase('the wrong passphrase')).rejects.toThrow();
    expect(other.storage().kind).toBe('memory');
    await expect(store.protectWithPassphrase('a good passphrase')).rejects.toThrow(/not held in memory/);
  });
});
