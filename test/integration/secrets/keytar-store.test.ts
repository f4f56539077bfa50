// The keytar store against a real keyring (gnome-keyring in a D-Bus session in CI). Fails, never skips, without one.
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore, chooseSecretStore } from '../../../core/secrets/index.js';

const store = new KeytarSecretStore();
const ids = [`it-${randomBytes(4).toString('hex')}`, `it-${randomBytes(4).toString('hex')}`];

describe('KeytarSecretStore on the real OS keychain', () => {
  afterAll(async () => {
    for (const id of ids) await store.delete(id).catch(() => undefined);
  });

  it('is reachable (run inside dbus-run-session with gnome-keyring unlocked)', async () => {
    const listed = await store.list().catch((e: unknown) => e);
    expect(listed, `no keyring reachable: ${String(listed)}`).toBeInstanceOf(Array);
  });

  it('round-trips set, get, list and delete under service "mirrordesk"', async () => {
    const secret = JSON.stringify({ keyId: 'AK-IT', secretKey: randomBytes(16).toString('hex') });
    await store.set(ids[0]!, secret);
    await store.set(ids[1]!, 'second');
    expect(await store.get(ids[0]!)).toBe(secret);
    await store.set(ids[0]!, `${secret}-rotated`);
    expect(await store.get(ids[0]!)).toBe(`${secret}-rotated`);
    expect(await store.list()).toEqual(expect.arrayContaining(ids));
    expect(await store.delete(ids[0]!)).toBe(true);
    expect(await store.delete(ids[0]!)).toBe(false);
    expect(await store.get(ids[0]!)).toBeNull();
    expect(await new KeytarSecretStore().get(ids[1]!)).toBe('second');
  });

  it('is what chooseSecretStore picks on Linux when the keyring answers', async () => {
    const chosen = await chooseSecretStore({ platform: 'linux', dataDir: '/nonexistent', env: { DBUS_SESSION_BUS_ADDRESS: process.env.DBUS_SESSION_BUS_ADDRESS } });
    expect(chosen.store).toBeInstanceOf(KeytarSecretStore);
  });
});
