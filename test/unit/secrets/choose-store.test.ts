// Memory and environment stores, and which backend chooseSecretStore picks for each platform and flag.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EnvSecretStore,
  KeytarSecretStore,
  MemorySecretStore,
  PassphraseFileStore,
  chooseSecretStore,
  credentialsEnvName,
  readEnvCredential,
} from '../../../core/secrets/index.js';

const dataDir = () => mkdtempSync(join(tmpdir(), 'md-choose-'));
const noProbe = async () => {
  throw new Error('must not probe');
};

describe('memory and env stores', () => {
  it('memory store round-trips and lists', async () => {
    const m = new MemorySecretStore();
    await m.set('b', '2');
    await m.set('a', '1');
    expect(await m.get('a')).toBe('1');
    expect(await m.list()).toEqual(['a', 'b']);
    expect(await m.delete('a')).toBe(true);
    expect(await m.get('a')).toBeNull();
  });

  it('env store reads MIRRORDESK_CREDENTIALS_<ID> and is read-only', async () => {
    expect(credentialsEnvName('follower-1.x')).toBe('MIRRORDESK_CREDENTIALS_FOLLOWER_1_X');
    const env = { MIRRORDESK_CREDENTIALS_FOLLOWER_1: '{"userName":"u","apiKey":"k"}', MIRRORDESK_CREDENTIALS_EMPTY: '' };
    expect(readEnvCredential(env, 'empty')).toBeNull();
    const s = new EnvSecretStore(env);
    expect(await s.get('follower-1')).toBe('{"userName":"u","apiKey":"k"}');
    expect(await s.get('other')).toBeNull();
    expect(await s.list()).toEqual(['FOLLOWER_1']);
    await expect(s.set()).rejects.toThrow(/cannot be changed/);
    await expect(s.delete()).rejects.toThrow(/cannot be changed/);
  });
});

describe('chooseSecretStore', () => {
  it('honours an explicit flag', async () => {
    const base = { platform: 'linux' as const, dataDir: dataDir(), env: {}, probeKeychain: noProbe };
    expect((await chooseSecretStore({ ...base, kind: 'memory' })).store).toBeInstanceOf(MemorySecretStore);
    expect((await chooseSecretStore({ ...base, kind: 'env' })).store).toBeInstanceOf(EnvSecretStore);
    expect((await chooseSecretStore({ ...base, kind: 'keyring' })).store).toBeInstanceOf(KeytarSecretStore);
    await expect(chooseSecretStore({ ...base, kind: 'file' })).rejects.toThrow(/needs a passphrase/);
    await expect(chooseSecretStore({ ...base, kind: 'vault' })).rejects.toThrow(/unknown secret store "vault": use keyring, file, env, memory/);
  });

  it('uses the passphrase file when a passphrase is given (flag, file or env), and says so', async () => {
    const dir = dataDir();
    const pwFile = join(dir, 'pw.txt');
    writeFileSync(pwFile, 'from-file\nignored');
    const base = { platform: 'darwin' as const, dataDir: dir, probeKeychain: noProbe };
    const fromEnv = await chooseSecretStore({ ...base, env: { MIRRORDESK_PASSPHRASE: 'pw' } });
    expect(fromEnv.store).toBeInstanceOf(PassphraseFileStore);
    expect(fromEnv.description).toMatch(/^secrets: passphrase-encrypted file .*secrets\.enc\.json .*\(a passphrase was given\)$/);
    expect(fromEnv.description).not.toContain('pw)');
    const viaFile = await chooseSecretStore({ ...base, passphraseFile: pwFile, env: {} });
    await viaFile.store.set('a', 'x');
    const reopened = await PassphraseFileStore.open({ file: join(dir, 'secrets.enc.json'), passphrase: 'from-file' });
    expect(await reopened.get('a')).toBe('x');
    await expect(chooseSecretStore({ ...base, passphraseFile: join(dir, 'missing'), env: {} })).rejects.toThrow(/cannot read the passphrase file/);
  });

  it('defaults to the keychain when it answers, else memory with the reason', async () => {
    const dir = dataDir();
    const ok = await chooseSecretStore({ platform: 'win32', dataDir: dir, env: {}, probeKeychain: async () => undefined });
    expect(ok.store).toBeInstanceOf(KeytarSecretStore);
    expect(ok.description).toBe('secrets: OS keychain via keytar (service "mirrordesk") (default on win32)');
    const down = await chooseSecretStore({
      platform: 'linux',
      dataDir: dir,
      env: { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nowhere' },
      probeKeychain: async () => {
        throw new Error('no secret service');
      },
    });
    expect(down.store).toBeInstanceOf(MemorySecretStore);
    expect(down.description).toMatch(/OS keychain unavailable: no secret service/);
    const headless = await chooseSecretStore({ platform: 'linux', dataDir: dir, env: {}, probeKeychain: noProbe });
    expect(headless.store).toBeInstanceOf(MemorySecretStore);
    expect(headless.description).toMatch(/no D-Bus session/);
    expect(headless.description.split('\n')).toHaveLength(1);
  });
});
