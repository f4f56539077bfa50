// Where credentials live, told truthfully, on a real AppHost with no keyring: the snapshot says "memory, lost on
// restart", setting one raises a warning, `credentials:protect` moves them into the passphrase file, and the next
// start (with the passphrase) has them. Neither the secret nor the passphrase reaches the journal or the log.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { chooseSecretStore, ProtectableSecretStore, SECRETS_FILE_NAME } from '../../../core/secrets/index.js';

const hosts: AppHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

const SECRET = 'sk-very-secret-value-123';
const PASSPHRASE = 'correct horse battery staple';
const config = parseWorkspaceConfig({
  accounts: [
    { id: 'lead', label: 'Leader', broker: 'sim' },
    { id: 'alp', label: 'Alpaca', broker: 'alpaca', endpoints: { rest: 'http://127.0.0.1:9', stream: 'ws://127.0.0.1:9' } },
  ],
});

async function open(dataDir: string, env: Record<string, string>, withConfig: boolean): Promise<AppHost> {
  const chosen = await chooseSecretStore({ platform: 'linux', dataDir, env, probeKeychain: async () => Promise.reject(new Error('none')) });
  const secrets = new ProtectableSecretStore(chosen.store, join(dataDir, SECRETS_FILE_NAME));
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: () => undefined });
  const host = await AppHost.open({ dataDir, secrets, log, env: {}, accountRefreshMs: 60_000, ...(withConfig ? { config } : {}) });
  hosts.push(host);
  return host;
}

describe('credential storage (issue 12 #5)', () => {
  it('issue 12 #5: without a keyring the snapshot says memory (lost on restart), a set warns, and credentials:protect keeps them in the passphrase file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-creds-'));
    const host = await open(dir, {}, true);
    await host.start();
    const d = createDispatcher(host);
    const snap = (await d.dispatch('workspace:snapshot', undefined, 'it')) as { ok: true; value: { credentialStorage?: Record<string, unknown> } };
    expect(snap.value.credentialStorage).toMatchObject({ kind: 'memory', persistent: false, canProtect: true });
    expect(String(snap.value.credentialStorage?.where)).toMatch(/lost when the app stops or restarts/);

    expect(await d.dispatch('credentials:set', { accountId: 'alp', credentials: { keyId: 'AKID1234', secretKey: SECRET } }, 'it')).toMatchObject({ ok: true });
    const alerts = host.journal.queries.listAlerts({} as never, { limit: 50 } as never) as { items: { code: string; message: string }[] };
    expect(alerts.items.find((a) => a.code === 'credentials_not_saved')?.message).toMatch(/"alp" are kept in memory only/);

    expect(await d.dispatch('credentials:protect', { passphrase: 'short' }, 'it')).toMatchObject({ ok: false });
    expect(await d.dispatch('credentials:protect', { passphrase: PASSPHRASE }, 'it')).toEqual({ ok: true, value: { moved: 1 } });
    expect(host.snapshot().credentialStorage).toMatchObject({ kind: 'file', persistent: true, canProtect: false });
    const file = join(dir, SECRETS_FILE_NAME);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
    await hosts.splice(0)[0]!.close();

    // Next start, with the passphrase: the credentials are there.
    const again = await open(dir, { MIRRORDESK_PASSPHRASE: PASSPHRASE }, false);
    await again.start();
    expect(again.snapshot().credentialStorage).toMatchObject({ kind: 'file', persistent: true });
    expect(again.snapshot().accounts.find((a) => a.id === 'alp')?.hasCredentials).toBe(true);

    for (const name of readdirSync(dir).filter((n) => n.startsWith('journal') || n.endsWith('.log'))) {
      const bytes = readFileSync(join(dir, name)).toString('latin1');
      expect(bytes, name).not.toContain(SECRET);
      expect(bytes, name).not.toContain(PASSPHRASE);
    }
  });

  it('issue 12 #5: with no keyring and an encrypted file left from before, the snapshot says so and the passphrase unlocks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-creds-'));
    const first = await open(dir, { MIRRORDESK_PASSPHRASE: PASSPHRASE }, true);
    await first.credentials.set('alp', { keyId: 'AKID1234', secretKey: SECRET }, 'it');
    await hosts.splice(0)[0]!.close();

    const locked = await open(dir, {}, false);
    await locked.start();
    expect(locked.snapshot().credentialStorage?.where).toMatch(/An encrypted credentials file exists: enter its passphrase to unlock it/);
    expect(locked.snapshot().accounts.find((a) => a.id === 'alp')?.hasCredentials).toBe(false);
    expect(await locked.credentials.protect(PASSPHRASE, 'it')).toEqual({ moved: 0 });
    expect(locked.snapshot().accounts.find((a) => a.id === 'alp')?.hasCredentials).toBe(true);
  });
});
