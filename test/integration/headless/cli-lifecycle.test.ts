// The headless CLI as a user runs it: a configured sim workspace copies, SIGTERM stops cleanly, `status --json`
// shows the journal's view, a kill switch set through the bridge survives a restart, and bad configs name the field.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const cli = join(root, 'core/headless/cli.ts');

interface Cli {
  proc: ChildProcess;
  out: string[];
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(signal: NodeJS.Signals): Promise<number | null>;
}

const running: Cli[] = [];

function startCli(args: string[]): Cli {
  const proc = spawn(tsx, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIRRORDESK_HEADLESS: '1' } });
  const out: string[] = [];
  const push = (d: Buffer) => out.push(...String(d).split('\n').filter(Boolean));
  proc.stdout!.on('data', push);
  proc.stderr!.on('data', push);
  const c: Cli = {
    proc,
    out,
    async waitFor(re, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        for (const line of out) {
          const m = line.match(re);
          if (m) return m;
        }
        if (Date.now() > end || proc.exitCode !== null) throw new Error(`no ${re} in:\n${out.join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    stop(signal) {
      if (proc.exitCode !== null) return Promise.resolve(proc.exitCode);
      return new Promise((resolve) => {
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      });
    },
  };
  running.push(c);
  return c;
}

function status(dataDir: string) {
  const r = spawnSync(tsx, [cli, 'status', '--json', '--data-dir', dataDir], { cwd: root, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as {
    accounts: { id: string; role: string; positions: { symbol: string; qty: string }[] }[];
    links: { id: string }[];
    trading: { global: string };
    counts: { copies: number; rejects: number; alerts: number };
  };
}

async function invoke(url: string, channel: string, payload: unknown): Promise<{ ok: boolean; value?: unknown; error?: unknown }> {
  const ws = new WebSocket(url.replace(/^http/, 'ws').replace('/?', '/ws?'), { headers: {} });
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return await new Promise((resolve) => {
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: { ok: boolean } };
        if (msg.type === 'result' && msg.id === 1) resolve(msg.result!);
      });
      ws.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }));
    });
  } finally {
    ws.close();
  }
}

const workspace = {
  accounts: [
    { id: 'lead', label: 'Leader', broker: 'sim' },
    { id: 'f1', label: 'Follower 1x', broker: 'sim' },
    { id: 'f2', label: 'Follower ES', broker: 'sim' },
  ],
  links: [
    { leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } },
    { leader: 'lead', follower: 'f2', sizing: { mode: 'multiplier', value: '1' }, symbolMap: { MES: { symbol: 'ES', factor: '0.1' } }, copyUnmapped: false },
  ],
};

afterEach(async () => {
  for (const c of running.splice(0)) await c.stop('SIGKILL');
});

describe('headless CLI', () => {
  it('demo: prints one line per copy with every follower order, size and latency', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cli-'));
    const c = startCli(['--demo', '--data-dir', dir, '--seed', '3']);
    const [line] = await c.waitFor(/ copy demo-leader (BUY|SELL) \d+ MES .*demo-mirror (BUY|SELL) \d+ filled @[\d.]+ \d+ms.*demo-half .*demo-es (BUY|SELL) \d+ ES /, 30_000);
    expect(line).toContain('(sim-demo-leader-');
    expect(await c.stop('SIGINT')).toBe(0);
    expect(c.out.join('\n')).toContain('SIGINT: stopping');
    const s = status(dir);
    expect(s.counts.copies).toBeGreaterThan(0);
    expect(s.accounts.map((a) => [a.id, a.role])).toEqual([
      ['demo-leader', 'leader'],
      ['demo-mirror', 'follower'],
      ['demo-half', 'follower'],
      ['demo-es', 'follower'],
    ]);
  });

  it('run: a kill switch set through the bridge stays halted across SIGTERM and restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cli-'));
    const config = join(dir, 'workspace.json');
    writeFileSync(config, JSON.stringify(workspace));
    const first = startCli(['run', '--config', config, '--data-dir', dir, '--bridge']);
    const [, url] = await first.waitFor(/Mirrordesk dashboard: (\S+)/);
    await first.waitFor(/trading active/);
    const halted = await invoke(url!, 'engine:halt', { scope: 'global', cancelOpenOrders: true, flattenPositions: true });
    expect(halted.ok).toBe(true);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(status(dir).trading.global).toBe('halted');

    // Resumes the stored workspace (no --config) and stays halted until a person resumes it.
    const second = startCli(['run', '--data-dir', dir, '--bridge']);
    const [, url2] = await second.waitFor(/Mirrordesk dashboard: (\S+)/);
    await second.waitFor(/trading halted; 3 accounts, 2 links/);
    const resumed = await invoke(url2!, 'engine:resume', { scope: 'global' });
    expect(resumed.ok).toBe(true);
    expect(await second.stop('SIGTERM')).toBe(0);
    const s = status(dir);
    expect(s.trading.global).toBe('active');
    expect(s.links.map((l) => l.id)).toEqual(['lead->f1', 'lead->f2']);
  });

  it('refuses a bad config, naming the field and the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'md-cli-'));
    const config = join(dir, 'bad.json');
    writeFileSync(config, JSON.stringify({ ...workspace, links: [{ ...workspace.links[0], sizing: { mode: 'multiplier', value: 'abc' } }] }));
    const r = spawnSync(tsx, [cli, 'run', '--config', config, '--data-dir', dir], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('links[0].sizing.value: expected a decimal number, got "abc"');
  });

  it('refuses unknown commands and flags with usage', () => {
    const r = spawnSync(tsx, [cli, 'frobnicate'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown command "frobnicate"');
    expect(r.stderr).toContain('npm run headless -- --demo');
  });
});
