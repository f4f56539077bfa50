// Issue 10 #14, the must-show secret-leak test: three Alpaca accounts whose key ids and secrets hold every printable
// ASCII character, a simulator that echoes them (\uXXXX-escaped JSON, URLs, HTML, headers, truncated frames), a
// headless CLI run and an in-process AppHost; then every place a secret could land is searched, in every form.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';
import { mulberry32 } from '../../../core/brokers/shared/random.js';
import { waitFor } from '../../contract/event-recorder.js';
import { startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';
import { findLeaks, readDir, READ_CHANNELS } from './leak-search.js';

const ROOT = join(import.meta.dirname, '../../..');
const wait = { timeoutMs: 30_000 };
const IDS = ['leader', 'f-one', 'f-two'] as const;

/** Every printable ASCII character once, shuffled by seed, never starting or ending with a space. */
function everyPrintable(seed: number): string {
  const rnd = mulberry32(seed);
  const chars = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  const s = chars.join('');
  return `A${s}z`;
}

describe('issue 10 #14: secrets never leak (Alpaca, hostile simulator)', () => {
  let sim: AlpacaSim;
  let base: string;
  const keys = new Map<string, SimKeys>();
  const credentials: string[] = [];
  const env: Record<string, string> = {};
  let config: ReturnType<typeof parseWorkspaceConfig>;

  beforeAll(async () => {
    sim = await startSim({ seed: 14, partialFillRate: 0, echoHeaders: true });
    base = mkdtempSync(join(tmpdir(), 'md-secret-leak-'));
    IDS.forEach((id, i) => {
      const k = sim.addAccount({ cash: '1000000', keyId: everyPrintable(100 + i), secretKey: everyPrintable(200 + i) });
      keys.set(id, k);
      credentials.push(k.keyId, k.secretKey);
      env[`MIRRORDESK_CREDENTIALS_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = JSON.stringify({ keyId: k.keyId, secretKey: k.secretKey });
    });
    config = parseWorkspaceConfig({
      accounts: IDS.map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: IDS.slice(1).map((f) => ({ leader: 'leader', follower: f, sizing: { mode: 'multiplier', value: '1' } })),
      risk: { reconcileIntervalMs: 3_600_000 },
    });
  }, 30_000);

  afterAll(async () => {
    await sim.stop();
    rmSync(base, { recursive: true, force: true });
  });

  /** The hostile part: echoing errors on both followers' orders, on reads, and echoing frames on the leader's stream. */
  async function provoke(): Promise<void> {
    const leader = keys.get('leader')!.keyId;
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: 'echo_json', when: 'before', keyId: keys.get('f-one')!.keyId });
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: 'echo_url', when: 'before', keyId: keys.get('f-two')!.keyId });
    sim.echoFrames(leader);
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'buy', qty: '2', price: '100' });
    sim.faults.failRest({ method: 'GET', path: '/v2/account/activities/FILL', kind: 'echo_html', when: 'before', keyId: leader, times: 2 });
    sim.injectStream(leader, 'drop');
  }

  it('issue 10 #14: a headless CLI run leaves no credential in the data dir (journal, WAL, log), stdout, stderr or status output', async () => {
    const dataDir = join(base, 'cli');
    const file = join(base, 'workspace.json');
    writeFileSync(file, JSON.stringify(config));
    const cli = spawn(process.execPath, ['--import', 'tsx', 'core/headless/cli.ts', 'run', '--config', file, '--data-dir', dataDir, '--secrets', 'env'], {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (d) => (stdout += String(d)));
    cli.stderr.on('data', (d) => (stderr += String(d)));
    const exited = new Promise((r) => cli.once('exit', r));
    let running: [string, string][] = [];
    try {
      await waitFor('the workspace running', () => /workspace running/.test(stderr), wait);
      await provoke();
      const alerts = () => {
        const db = new Database(join(dataDir, 'journal.sqlite'), { readonly: true });
        try {
          return db.prepare('SELECT code, account_id a, message FROM alerts').all() as { code: string; a: string; message: string }[];
        } finally {
          db.close();
        }
      };
      await waitFor('both followers rejected and the leader catch-up failed', () => {
        const all = alerts();
        return ['f-one', 'f-two'].every((f) => all.some((x) => x.a === f && x.code === 'order_rejected')) &&
          all.some((x) => x.a === 'leader' && /catch-up failed/.test(x.message)) && all.some((x) => x.code === 'malformed_message');
      }, wait);
      expect(sim.faults.count('echo')).toBe(1);
      expect(alerts().find((x) => x.a === 'f-one' && x.code === 'order_rejected')?.message).toMatch(/request denied for key \*\*\*/);
      running = readDir(dataDir); // while the CLI runs: the WAL holds the newest pages
      expect(running.map(([f]) => f)).toContain('journal.sqlite-wal (latin1)');
    } finally {
      cli.kill('SIGTERM');
      await exited;
    }
    const status = spawn(process.execPath, ['--import', 'tsx', 'core/headless/cli.ts', 'status', '--json', '--data-dir', dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let statusOut = '';
    status.stdout.on('data', (d) => (statusOut += String(d)));
    status.stderr.on('data', (d) => (statusOut += String(d)));
    await new Promise((r) => status.once('exit', r));
    expect(statusOut).toMatch(/leader/);
    const files = readDir(dataDir);
    expect(files.map(([f]) => f)).toEqual(expect.arrayContaining(['journal.sqlite (utf8)', 'mirrordesk.log (utf8)']));
    expect(findLeaks([...running, ...files, ['stdout', stdout], ['stderr', stderr], ['status --json', statusOut]], credentials)).toEqual([]);
  }, 90_000);

  it('issue 10 #14: an AppHost leaves no credential in snapshots, events, query results, CSV, error messages or the test reply', async () => {
    const dataDir = join(base, 'host');
    const lines: string[] = [];
    const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: (l) => lines.push(l) });
    const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, config, env, accountRefreshMs: 2_000 });
    const d = createDispatcher(host, { coalesceMs: 1 });
    const events: unknown[] = [];
    const results: unknown[] = [];
    const unsubscribe = d.subscribe((channel, payload) => events.push({ channel, payload }));
    let running: [string, string][] = [];
    try {
      await host.start();
      await waitFor('three streams listening', () => [...sim.stream.conns].filter((c) => c.listening).length >= 3, wait);
      await provoke();
      await waitFor('the alerts', async () => {
        const r = (await d.dispatch('alerts:list', { limit: 200 }, 'it')) as { ok: boolean; value?: { items: { code: string; message: string }[] } };
        const items = r.ok ? r.value!.items : [];
        return items.filter((a) => a.code === 'order_rejected').length >= 2 && items.some((a) => /catch-up failed/.test(a.message));
      }, wait);
      sim.faults.failRest({ method: 'GET', path: '/v2/account', kind: 'echo_json', when: 'before', keyId: keys.get('f-one')!.keyId });
      const test = await d.dispatch('accounts:test', { accountId: 'f-one' }, 'it');
      expect(JSON.stringify(test)).toMatch(/request denied for key \*\*\*/);
      results.push(test);
      for (const [channel, payload] of [...READ_CHANNELS, ['stats:day-pnl', { accountId: 'f-one', days: 30 }] as const]) {
        const r = await d.dispatch(channel, payload, 'it');
        expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
        results.push(r);
      }
      running = readDir(dataDir);
    } finally {
      unsubscribe();
      await host.close();
    }
    expect(events.length).toBeGreaterThan(0);
    const haystacks: [string, string][] = [
      ...running,
      ...readDir(dataDir),
      ['console', lines.join('\n')],
      ['events', JSON.stringify(events)],
      ['results', JSON.stringify(results)],
    ];
    expect(findLeaks(haystacks, credentials)).toEqual([]);
  }, 90_000);
});
