// Bridge admission probed from outside, over real sockets against a real AppHost: a loopback-looking DNS name is not
// loopback, pages of a foreign origin cannot lock the owner out, and deleting credentials of an unknown account is
// refused without an audit entry or a restart.
import { mkdtempSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { serveDashboard } from '../../../core/headless/bridge-run.js';
import type { Bridge } from '../../../core/headless/bridge-server.js';
import { isLoopback } from '../../../core/headless/bridge-guard.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';
import { connect, wsUrl } from '../bridge/ws-client.js';

const open: { host: AppHost; bridge: Bridge }[] = [];

afterEach(async () => {
  for (const o of open.splice(0)) {
    await o.bridge.close();
    await o.host.close();
  }
});

async function start(): Promise<{ host: AppHost; bridge: Bridge }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mirrordesk-admission-'));
  const log = createLogger({ write: () => undefined });
  const config = parseWorkspaceConfig({
    accounts: [{ id: 'lead', label: 'Leader', broker: 'sim' }, { id: 'f1', label: 'F1', broker: 'sim' }],
    links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } }],
  });
  const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, env: {}, accountRefreshMs: 60_000, config });
  await host.start();
  const bridge = await serveDashboard(host);
  open.push({ host, bridge });
  return { host, bridge };
}

function getStatus(port: number, hostHeader: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { Host: hostHeader } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('bridge admission (issue 12 #17)', () => {
  it('issue 12 #17: a Host such as 127.0.0.1.evil.example is not loopback (DNS rebinding is refused)', async () => {
    const { bridge } = await start();
    expect(isLoopback('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(await getStatus(bridge.port, `127.0.0.1.evil.example:${bridge.port}`)).toBe(421);
    expect(await getStatus(bridge.port, `127.1.2.3.nip.io:${bridge.port}`)).toBe(421);
    await expect(connect(wsUrl(bridge.url), { Host: `127.0.0.1.evil.example:${bridge.port}` })).rejects.toThrow('HTTP 403');
    expect(await getStatus(bridge.port, `127.0.0.1:${bridge.port}`)).not.toBe(421);
  });

  it('issue 12 #17: WebSockets from a foreign origin do not lock the owner out', async () => {
    const { bridge } = await start();
    for (let i = 0; i < 8; i++) {
      await expect(connect(wsUrl(bridge.url), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    }
    const owner = await connect(wsUrl(bridge.url), { Origin: `http://127.0.0.1:${bridge.port}` });
    await owner.next((m) => m.type === 'ready');
    owner.ws.close();
  });

  it('issue 12 #17: credentials:delete for an unknown account is refused, not audited, and restarts nothing', async () => {
    const { host, bridge } = await start();
    const c = await connect(wsUrl(bridge.url), { Origin: `http://127.0.0.1:${bridge.port}` });
    await c.next((m) => m.type === 'ready');
    let snapshots = 0;
    host.on('snapshot', () => snapshots++);
    const r = await c.invoke('credentials:delete', { accountId: 'nobody' });
    expect(r).toMatchObject({ ok: false, error: { message: expect.stringContaining('no account "nobody"') } });
    expect(snapshots).toBe(0);
    const audit = (await c.invoke('audit:list', {})).value as { items: { action: string }[] };
    expect(audit.items.map((i) => i.action)).not.toContain('credentials-delete');
    c.ws.close();
  });

  it('issue 12 #17: removing an account takes its stored credentials with it (no orphan left for credentials:delete)', async () => {
    const { host } = await start();
    await host.addAccount({ id: 'alp', label: 'Alpaca', broker: 'alpaca' }, 'it');
    await host.credentials.set('alp', { keyId: 'AKTESTKEY1', secretKey: 'not-a-real-secret' }, 'it');
    expect(host.snapshot().accounts.find((a) => a.id === 'alp')?.hasCredentials).toBe(true);
    await host.removeAccount('alp', 'it');
    await host.addAccount({ id: 'alp', label: 'Alpaca again', broker: 'alpaca' }, 'it');
    expect(host.snapshot().accounts.find((a) => a.id === 'alp')?.hasCredentials).toBe(false);
  });
});
