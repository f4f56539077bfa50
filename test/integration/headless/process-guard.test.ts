// The process guard in a real headless CLI (process-guard.ts): an unhandled rejection is logged and alerted and the
// copier keeps copying; an uncaught exception is logged and alerted, the journal closed, and the process exits 1.
// Faults are injected from outside through a test preload (test/support/process-fault.ts) on SIGUSR2.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');
const workspace = {
  accounts: [
    { id: 'lead', label: 'Leader', broker: 'sim' },
    { id: 'f1', label: 'Follower', broker: 'sim' },
  ],
  links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } }],
};

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function start(fault: 'rejection' | 'exception') {
  const dir = mkdtempSync(join(tmpdir(), 'md-guard-'));
  const config = join(dir, 'workspace.json');
  writeFileSync(config, JSON.stringify(workspace));
  const proc = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', './test/support/process-fault.ts', 'core/headless/cli.ts', 'run', '--config', config, '--data-dir', dir],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MIRRORDESK_TEST_FAULT: fault } },
  );
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (out += String(d)));
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const waitFor = async (re: RegExp, ms = 30_000): Promise<void> => {
    const end = Date.now() + ms;
    while (!re.test(out)) {
      if (Date.now() > end || proc.exitCode !== null) throw new Error(`no ${re} in:\n${out}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const alerts = () => {
    const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
    try {
      return db.prepare("SELECT severity, message FROM alerts WHERE code = 'engine_error'").all() as { severity: string; message: string }[];
    } finally {
      db.close();
    }
  };
  return { proc, dir, out: () => out, exited, waitFor, alerts };
}

describe('process guard (headless CLI)', () => {
  it('an unhandled promise rejection is logged and alerted, and the copier keeps running', async () => {
    const cli = start('rejection');
    await cli.waitFor(/trading active/);
    cli.proc.kill('SIGUSR2');
    await cli.waitFor(/unhandled promise rejection: Error: lost promise/);
    expect(cli.proc.exitCode).toBeNull();
    const [alert] = cli.alerts();
    expect(alert?.severity).toBe('critical');
    expect(alert?.message).toMatch(/^Internal error \(unhandled promise rejection\): Error: lost promise\. Copying goes on\./);
    // Still alive and answering a signal the normal way afterwards.
    cli.proc.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(cli.out()).toContain('SIGTERM: stopping');
  }, 60_000);

  it('an uncaught exception is logged and alerted, the journal is closed, and the process exits 1', async () => {
    const cli = start('exception');
    await cli.waitFor(/trading active/);
    cli.proc.kill('SIGUSR2');
    expect(await cli.exited).toBe(1);
    expect(cli.out()).toMatch(/uncaught exception: Error: timer callback threw/);
    const [alert] = cli.alerts();
    expect(alert?.severity).toBe('critical');
    expect(alert?.message).toMatch(/^Internal error \(uncaught exception\): .*Mirrordesk stops; start it again to resume\./);
    expect(readFileSync(join(cli.dir, 'mirrordesk.log'), 'utf8')).toMatch(/uncaught exception: Error: timer callback threw/);
  }, 60_000);
});
