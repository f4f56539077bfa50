// The log file in the data dir as a user reads it after the fact: copies, alerts and halts are there, and the file
// rotates by size (a few files kept) instead of growing without end.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/app/logger.js';
import { connect, wsUrl } from '../bridge/ws-client.js';

const root = join(import.meta.dirname, '../../..');
const procs: ChildProcess[] = [];

afterEach(() => {
  for (const p of procs.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
});

async function waitFor(out: string[], re: RegExp, ms = 30_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = out.join('').match(re);
    if (m) return m;
    if (Date.now() > end) throw new Error(`no ${re} in:\n${out.join('')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the log file', () => {
  it('issue 12 #15: copies, alerts and a halt are written to mirrordesk.log in the data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-log-'));
    const proc = spawn(process.execPath, ['--import', 'tsx', join(root, 'core/headless/cli.ts'), '--demo', '--bridge', '--data-dir', dir, '--seed', '4'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    procs.push(proc);
    const out: string[] = [];
    proc.stdout!.on('data', (d: Buffer) => out.push(String(d)));
    proc.stderr!.on('data', (d: Buffer) => out.push(String(d)));
    const [, url] = await waitFor(out, /Mirrordesk dashboard: (\S+)/);
    await waitFor(out, / copy demo-leader .* filled/);
    const c = await connect(wsUrl(url!));
    expect(await c.invoke('engine:halt', { scope: 'global', cancelOpenOrders: true })).toMatchObject({ ok: true });
    c.ws.close();
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;

    const log = readFileSync(join(dir, 'mirrordesk.log'), 'utf8');
    expect(log).toMatch(/INFO {2}copy demo-leader->demo-mirror: demo-mirror (BUY|SELL) [\d.]+ [A-Z]+ filled @[\d.]+ for leader execution sim-demo-leader-/);
    expect(log).toMatch(/trading global: halted/);
    expect(log).toMatch(/alert (critical|error|warning|info) \w+/);
    expect(log).not.toContain(new URL(url!).searchParams.get('token')!);
  }, 60_000);

  it('issue 12 #15: the log file rotates by size and keeps a few files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-log-rotate-'));
    const file = join(dir, 'mirrordesk.log');
    const log = createLogger({ file, write: () => undefined, maxFileBytes: 10_000, keepFiles: 3 });
    for (let i = 0; i < 1_000; i++) log.info(`line ${i} ${'x'.repeat(60)}`);
    expect(statSync(file).size).toBeLessThanOrEqual(10_000);
    for (const n of [1, 2, 3]) expect(statSync(`${file}.${n}`).size).toBeLessThanOrEqual(10_000);
    expect(existsSync(`${file}.4`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('line 999 ');
    expect(readFileSync(`${file}.1`, 'utf8')).not.toContain('line 999 ');
  });
});
