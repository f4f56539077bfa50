// The README's quick start, literally: a fresh `git clone` of this repository, the README's commands with no display,
// the printed dashboard opened in Debian's Chromium (overview, copies arriving), a restart that keeps what the user
// added, and SIGTERM to the launcher (`npm start`) stopping everything. To stay fast, `npm ci` is replaced by a
// symlink of the clone's node_modules to this checkout's node_modules (same lockfile, same packages).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { connect, wsUrl } from '../bridge/ws-client.js';

const root = join(import.meta.dirname, '../../..');
const tmp = mkdtempSync(join(tmpdir(), 'mirrordesk-readme-'));
const clone = join(tmp, 'clone');
const dataDir = join(tmp, 'data');
const started: ChildProcess[] = [];
let browser: Browser | undefined;

/** The commands of the README's "Quick start" code block. */
function quickStartCommands(): string[] {
  const readme = readFileSync(join(clone, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Quick start'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').map((l) => l.trim()).filter(Boolean);
}

interface Launch {
  proc: ChildProcess;
  out: string[];
  url: string;
  exited: Promise<number | null>;
}

/** Runs a README command as a user would (through npm, no display) and waits for the dashboard URL. */
async function launch(command: string): Promise<Launch> {
  const [cmd, ...argv] = command.split(' ');
  const env: NodeJS.ProcessEnv = { ...process.env, MIRRORDESK_DATA_DIR: dataDir };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  delete env.MIRRORDESK_HEADLESS;
  const proc = spawn(cmd!, argv, { cwd: clone, env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  const out: string[] = [];
  const push = (d: Buffer) => out.push(...String(d).split('\n').filter(Boolean));
  proc.stdout!.on('data', push);
  proc.stderr!.on('data', push);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const end = Date.now() + 45_000;
  for (;;) {
    const m = out.map((l) => /Mirrordesk dashboard: (http\S+)/.exec(l)).find(Boolean);
    if (m) return { proc, out, url: m[1]!, exited };
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`no dashboard URL from \`${command}\`:\n${out.join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Processes still running from the clone (the journal's process is `node ... <clone>/core/headless/cli.ts`). */
function processesOfClone(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmdline.includes(clone)) found.push(`${pid}: ${cmdline}`);
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function copiesInJournal(): number {
  const tsx = join(root, 'node_modules/.bin/tsx');
  const r = spawnSync(tsx, [join(root, 'core/headless/cli.ts'), 'status', '--json', '--data-dir', dataDir], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { counts: { copies: number } }).counts.copies;
}

async function snapshotCopies(url: string): Promise<{ accounts: string[]; copies: number }> {
  const c = await connect(wsUrl(url));
  try {
    const r = await c.invoke('workspace:snapshot');
    const snap = r.value as { accounts: { id: string }[]; counters: { copies: number } };
    return { accounts: snap.accounts.map((a) => a.id), copies: snap.counters.copies };
  } finally {
    c.ws.close();
  }
}

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: last ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  await browser?.close();
  for (const p of started) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  for (const line of processesOfClone()) process.kill(Number(line.split(':')[0]), 'SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
});

describe('the README path', () => {
  it('issue 12 #1 #3 #4 (Must show): fresh clone, README commands, dashboard in Chromium with copies, restart keeps the workspace, SIGTERM stops everything', async () => {
    execFileSync('git', ['clone', '-q', root, clone]);
    symlinkSync(realpathSync(join(root, 'node_modules')), join(clone, 'node_modules'));
    const commands = quickStartCommands();
    expect(commands).toEqual(['npm ci', 'npm start']);

    // First start: nothing configured -> the demo; the printed URL serves the dashboard and copies arrive.
    const first = await launch(commands[1]!);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    await page.goto(first.url);
    await page.getByTestId('overview-state').waitFor({ timeout: 20_000 });
    await until('copies on the overview', () => page.getByTestId('stat-copies').textContent(), (t) => Number(t) > 0);
    await page.close();

    // The user adds a follower to the running workspace.
    const c = await connect(wsUrl(first.url));
    const add = await c.invoke('accounts:add', { id: 'my-follower', label: 'Mine', broker: 'sim' });
    expect(add).toMatchObject({ ok: true });
    expect(await c.invoke('links:add', { leader: 'demo-leader', follower: 'my-follower', sizing: { mode: 'multiplier', value: '2' } })).toMatchObject({ ok: true });
    c.ws.close();

    // SIGTERM to the launcher (the npm process): it exits, the journal's process is gone, no more copies.
    first.proc.kill('SIGTERM');
    await first.exited;
    await until('the app processes to end', async () => processesOfClone(), (p) => p.length === 0, 15_000);
    const copiesAtStop = copiesInJournal();
    await new Promise((r) => setTimeout(r, 1_500));
    expect(copiesInJournal()).toBe(copiesAtStop);

    // Restart: the user's workspace is resumed (not a fresh demo) and new copies are journaled, not dropped.
    const second = await launch(commands[1]!);
    const resumed = await snapshotCopies(second.url);
    expect(resumed.accounts).toContain('my-follower');
    await until('new copies after the restart', () => snapshotCopies(second.url), (s) => s.copies > copiesAtStop);

    second.proc.kill('SIGTERM');
    await second.exited;
    await until('the app processes to end', async () => processesOfClone(), (p) => p.length === 0, 15_000);
  }, 120_000);
});
