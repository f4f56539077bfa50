// The demo across restarts on a real AppHost (in-process sim venue, real SQLite): a restart resumes the stored
// workspace (what the user added stays) and its new leader executions are journaled, not dropped as duplicates;
// `workspace:leave-demo` empties the workspace for good.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';

const hosts: AppHost[] = [];

afterEach(async () => {
  for (const h of hosts.splice(0)) await h.close();
});

async function openDemo(dataDir: string): Promise<AppHost> {
  const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: () => undefined });
  const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, env: {}, accountRefreshMs: 60_000, demo: true, seed: 5 });
  hosts.push(host);
  return host;
}

async function until(what: string, cond: () => boolean, limitMs = 30_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the demo across restarts', () => {
  it('issue 12 #3: a restart resumes the stored demo with the user additions, and its new copies are not dropped as duplicates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-demo-restart-'));
    const first = await openDemo(dir);
    await first.start();
    await first.addAccount({ id: 'mine', label: 'Mine', broker: 'sim' }, 'it');
    await first.addLink({ leader: 'demo-leader', follower: 'mine', sizing: { mode: 'multiplier', value: '2' } }, 'it');
    let duplicates = 0;
    let fresh = 0;
    first.on('execution', (e) => (e.duplicate ? duplicates++ : fresh++));
    await until('a first-run leader execution', () => fresh > 0);
    await hosts.splice(0, 1)[0]!.close();

    const second = await openDemo(dir);
    expect(second.snapshot().accounts.map((a) => a.id)).toContain('mine');
    expect(second.snapshot().links.map((l) => l.follower)).toContain('mine');
    const before = second.journal.queries.counts().copies;
    let again = 0;
    second.on('execution', (e) => (e.duplicate ? duplicates++ : again++));
    await second.start();
    await until('a journaled leader execution after the restart', () => again > 0 || duplicates > 0);
    expect(duplicates).toBe(0);
    await until('new copies after the restart', () => second.journal.queries.counts().copies > before);
  }, 60_000);

  it('issue 12 #3: workspace:leave-demo leaves an empty workspace, and a restart does not bring the demo back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-demo-leave-'));
    const first = await openDemo(dir);
    await first.start();
    const d = createDispatcher(first);
    expect(await d.dispatch('workspace:leave-demo', undefined, 'it')).toEqual({ ok: true, value: null });
    expect(first.snapshot()).toMatchObject({ demo: false, accounts: [], links: [] });
    expect(await d.dispatch('workspace:leave-demo', undefined, 'it')).toMatchObject({ ok: false, error: { message: expect.stringContaining('demo is not running') } });
    await hosts.splice(0, 1)[0]!.close();

    const second = await openDemo(dir);
    expect(second.snapshot()).toMatchObject({ demo: false, accounts: [], links: [] });
  });
});
