// The demo burst and account removal on a real AppHost (in-process sim venue, real SQLite): a burst of leader trades
// trips the follower breakers; removing the follower drops its breaker and trading state from every snapshot.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppHost, type AppHostOptions } from '../../../core/app/app-host.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';

const hosts: AppHost[] = [];

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

async function open(dataDir: string, extra: Partial<AppHostOptions> = {}): Promise<AppHost> {
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: () => undefined });
  const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, env: {}, accountRefreshMs: 60_000, ...extra });
  hosts.push(host);
  return host;
}

/** Waits for a condition of the running app (copies and breaker trips happen on the sim venue's own timers). */
async function until(what: string, cond: () => boolean, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const listed = (h: AppHost, id: string) => {
  const snap = h.snapshot();
  return {
    breaker: snap.breakers.some((b) => b.scope === id),
    state: Object.hasOwn(snap.trading.followers, id),
    account: snap.accounts.some((a) => a.id === id),
  };
};
const gone = { breaker: false, state: false, account: false };

describe('demo burst', () => {
  it('trips the follower breaker (also after the leader was edited); the removed follower leaves no breaker or state behind, also after a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'md-burst-'));
    const host = await open(dataDir, { demo: true, seed: 3 });
    await host.start();
    const d = createDispatcher(host, { coalesceMs: 1 });
    // An edited demo leader reconnects; the bot then trades through the new connection.
    expect(await d.dispatch('accounts:update', { id: 'demo-leader', patch: { label: 'Leader, renamed' } }, 'it')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('workspace:demo-burst', { trades: 80 }, 'it')).toEqual({ ok: true, value: { sent: 80 } });
    await until('the demo-mirror breaker to trip', () => host.snapshot().breakers.some((b) => b.scope === 'demo-mirror' && b.tripped));
    const tripped = host.snapshot();
    expect(tripped.trading.followers['demo-mirror']).toBe('halted');
    expect(tripped.accounts.find((a) => a.id === 'demo-mirror')?.tradingState).toBe('halted');
    const audit = host.journal.queries.listAudit({ actor: 'it' } as never, { limit: 10 } as never) as { items: { action: string; details?: unknown }[] };
    expect(audit.items.find((i) => i.action === 'demo-burst')?.details).toEqual({ trades: 80, sent: 80 });

    expect(await d.dispatch('links:remove', { id: 'demo-leader->demo-mirror' }, 'it')).toEqual({ ok: true, value: null });
    expect(listed(host, 'demo-mirror')).toEqual({ breaker: true, state: true, account: true });
    expect(await d.dispatch('accounts:remove', { id: 'demo-mirror' }, 'it')).toEqual({ ok: true, value: null });
    expect(listed(host, 'demo-mirror')).toEqual(gone);
    expect(host.journal.breakerStates().get('demo-mirror' as never)?.tripped).toBe(false);
    expect(host.journal.tradingStates().get('demo-mirror' as never)).toBe('active');

    await host.close();
    hosts.splice(hosts.indexOf(host), 1);
    const again = await open(dataDir);
    expect(listed(again, 'demo-mirror')).toEqual(gone);
    await again.start();
    expect(listed(again, 'demo-mirror')).toEqual(gone);
    await again.addAccount({ id: 'demo-mirror', label: 'Mirror again', broker: 'sim' }, 'it');
    await again.addLink({ leader: 'demo-leader', follower: 'demo-mirror', sizing: { mode: 'multiplier', value: '1' } }, 'it');
    expect(again.snapshot().accounts.find((a) => a.id === 'demo-mirror')?.tradingState).toBe('active');
    expect(again.snapshot().breakers.some((b) => b.scope === 'demo-mirror' && b.tripped)).toBe(false);
  });

  it('is refused outside the demo, before the demo runs, and outside 1..200, sending nothing', async () => {
    const config = parseWorkspaceConfig({
      accounts: [
        { id: 'lead', label: 'Leader', broker: 'sim' },
        { id: 'f1', label: 'F1', broker: 'sim' },
      ],
      links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } }],
    });
    const plain = await open(mkdtempSync(join(tmpdir(), 'md-burst-')), { config });
    await plain.start();
    const d = createDispatcher(plain, { coalesceMs: 1 });
    expect(await d.dispatch('workspace:demo-burst', { trades: 5 }, 'it')).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'workspace: the trade burst is a demo tool: it only runs in the demo workspace', retryable: false },
    });
    for (const trades of [0, 201, 2.5, '80']) {
      expect(await d.dispatch('workspace:demo-burst', { trades }, 'it')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(plain.journal.queries.counts().copies).toBe(0);

    const demo = await open(mkdtempSync(join(tmpdir(), 'md-burst-')), { demo: true });
    const r = await createDispatcher(demo).dispatch('workspace:demo-burst', { trades: 5 }, 'it');
    expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('the demo is not running') } });
    await expect(demo.demoBurst(0, 'it')).rejects.toThrow('from 1 to 200');
  });
});
