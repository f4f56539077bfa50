// End to end through the headless CLI: a ProjectX leader on MES and three followers (MES x1, MES x0.5, ES x0.1)
// against the simulator with every fault injected; no duplicate order, convergence, refresh without a missed copy.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { SCENARIO_TUNING, assertJournal, runFaultScenario, scenarioSimAccounts, scenarioWorkspace } from './fault-scenario.js';
import { API_KEY, USER, startSim } from './harness.js';

let sim: ProjectXSim;
let cli: ChildProcess;
let dir: string;
let output = '';

beforeAll(async () => {
  sim = await startSim({ tokenTtlMs: 8_000, accounts: scenarioSimAccounts });
  dir = mkdtempSync(join(tmpdir(), 'md-px-cli-'));
  writeFileSync(join(dir, 'workspace.json'), JSON.stringify(scenarioWorkspace(sim)));
  const creds = JSON.stringify({ userName: USER, apiKey: API_KEY });
  cli = spawn(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'core/headless/cli.ts', 'run', '--config', join(dir, 'workspace.json'), '--data-dir', dir, '--secrets', 'env'], {
    env: {
      ...process.env,
      MIRRORDESK_CREDENTIALS_PX_LEADER: creds, MIRRORDESK_CREDENTIALS_PX_F1: creds, MIRRORDESK_CREDENTIALS_PX_F2: creds, MIRRORDESK_CREDENTIALS_PX_F3: creds,
      MIRRORDESK_PROJECTX_TUNING: JSON.stringify(SCENARIO_TUNING),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cli.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  cli.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  await waitFor('the CLI to start', () => output.includes('Ctrl+C to stop') || cli.exitCode !== null, { timeoutMs: 25_000 });
  expect(cli.exitCode, output).toBeNull();
  await waitFor('one hub connection', () => sim.hub.connectionCount === 1, { timeoutMs: 15_000 });
}, 40_000);

afterAll(async () => {
  if (cli && cli.exitCode === null) {
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
  }
  await sim?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('headless CLI with a ProjectX leader and three followers under faults', () => {
  it('copies through duplicates, reordering, drops, stalls, logout, token expiry and 429 bursts', async () => {
    let trades: number;
    try {
      trades = await runFaultScenario(sim);
    } catch (err) {
      const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
      const rows = db.prepare('SELECT * FROM executions').all();
      db.close();
      throw new Error(`${(err as Error).message}\n--- journal executions ---\n${JSON.stringify(rows)}\n--- CLI output (tail) ---\n${output.split('\n').slice(-60).join('\n')}`);
    }

    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill('SIGTERM');
    await exited;
    assertJournal(join(dir, 'journal.sqlite'), trades, API_KEY);
    expect(output).not.toContain(API_KEY);
  }, 120_000);
});
