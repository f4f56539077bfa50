// Crash test: the engine (child process, real Alpaca adapters against the wire-level simulator, real SQLite) is
// SIGKILLed between writing an intent and submitting it, and after submitting but before the ack. After a restart on
// the same journal there is exactly one follower order per leader execution and the follower converges to its target.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';
import { startSim } from '../../sims/alpaca/harness.js';

const child = join(import.meta.dirname, 'engine-child.ts');

interface Running {
  proc: ChildProcess;
  lines: string[];
  waitFor(prefix: string, timeoutMs?: number): Promise<string>;
}

function startChild(env: Record<string, string>): Running {
  // Node itself with tsx as a loader: the tsx CLI would be a wrapper process, and a SIGKILL to it leaves the engine running.
  const proc = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let buf = '';
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += String(d)));
  proc.stdout!.on('data', (d) => {
    buf += String(d);
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      for (const w of waiters.splice(0)) {
        if (line.startsWith(w.prefix)) w.resolve(line);
        else waiters.push(w);
      }
    }
  });
  return {
    proc,
    lines,
    waitFor(prefix, timeoutMs = 20_000) {
      const seen = lines.find((l) => l.startsWith(prefix));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no "${prefix}" within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
        waiters.push({ prefix, resolve: (l) => (clearTimeout(t), resolve(l)) });
      });
    },
  };
}

async function killHard(r: Running): Promise<void> {
  if (r.proc.exitCode !== null || r.proc.signalCode !== null) return;
  const exited = new Promise((resolve) => r.proc.once('exit', resolve));
  r.proc.kill('SIGKILL');
  await exited;
}

/** Whether a process with this pid still exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function leaderBuys(sim: AlpacaSim, keys: SimKeys, symbol: string, qty: number): Promise<void> {
  const res = await fetch(`${sim.restUrl}/v2/orders`, {
    method: 'POST',
    headers: { 'APCA-API-KEY-ID': keys.keyId, 'APCA-API-SECRET-KEY': keys.secretKey, 'content-type': 'application/json' },
    body: JSON.stringify({ symbol, qty: String(qty), side: 'buy', type: 'market', time_in_force: 'day' }),
  });
  expect(res.status).toBe(200);
}

describe('crash and restart', () => {
  let sim: AlpacaSim;
  let leader: SimKeys;
  let follower: SimKeys;
  let dataDir: string;
  let env: Record<string, string>;
  const children: Running[] = [];

  beforeEach(async () => {
    sim = await startSim({ seed: 3, partialFillRate: 0 });
    leader = sim.addAccount();
    follower = sim.addAccount();
    dataDir = mkdtempSync(join(tmpdir(), 'md-crash-'));
    const endpoints = { rest: sim.restUrl, stream: sim.streamUrl };
    env = {
      DATA_DIR: dataDir,
      WORKSPACE: JSON.stringify({
        accounts: [
          { id: 'leader', label: 'Leader', broker: 'alpaca', endpoints },
          { id: 'follower', label: 'Follower', broker: 'alpaca', endpoints },
        ],
        links: [{ leader: 'leader', follower: 'follower', sizing: { mode: 'multiplier', value: '1' }, reconcilePolicy: 'alert' }],
        risk: { settle: { firstDelayMs: 50, maxDelayMs: 200, notFoundGraceMs: 300 } },
      }),
      CREDENTIALS: JSON.stringify({ leader, follower }),
    };
  });

  afterEach(async () => {
    for (const c of children.splice(0)) await killHard(c);
    await sim.stop();
  });

  const followerOrders = () => [...sim.account(follower.keyId).orders.values()];
  const followerQty = () => sim.account(follower.keyId).positions.get('AAPL')?.qty.toString() ?? '0';
  const intents = () => {
    const db = new Database(join(dataDir, 'journal.sqlite'), { readonly: true });
    try {
      return db.prepare('SELECT client_order_id, status, attempt FROM intents ORDER BY created_at, attempt').all() as {
        client_order_id: string;
        status: string;
        attempt: number;
      }[];
    } finally {
      db.close();
    }
  };

  it.each(['before-submit', 'before-ack'] as const)('killed %s: no duplicate order, follower converges', async (crashAt) => {
    const first = startChild({ ...env, CRASH_AT: crashAt });
    children.push(first);
    const enginePid = Number((await first.waitFor('ARMED')).split(' ')[1]);
    await leaderBuys(sim, leader, 'AAPL', 7);
    const crashLine = await first.waitFor('CRASH_POINT');
    const clientId = crashLine.split(' ')[1]!;
    await killHard(first);
    // The engine itself is dead, not only a launcher in front of it (it would go on holding the journal and the sim).
    expect(alive(enginePid)).toBe(false);

    // The intent was durable before the order could leave.
    expect(intents()).toEqual([expect.objectContaining({ client_order_id: clientId, status: 'planned', attempt: 0 })]);
    expect(followerOrders()).toHaveLength(crashAt === 'before-submit' ? 0 : 1);

    const second = startChild({ ...env, CRASH_AT: '' });
    children.push(second);
    await second.waitFor('ARMED');
    await until(() => followerQty() === '7', `the follower to hold 7 AAPL; child said:\n${second.lines.join('\n')}`);
    // Let the restarted engine see the catch-up and any late events: still exactly one order.
    await new Promise((r) => setTimeout(r, 500));
    expect(followerOrders()).toHaveLength(1);
    expect(followerQty()).toBe('7');

    const rows = intents();
    if (crashAt === 'before-submit') {
      // Settled as never placed, then re-planned once with the next attempt number.
      expect(rows.map((r) => [r.attempt, r.status])).toEqual([
        [0, 'not_placed'],
        [1, 'filled'],
      ]);
    } else {
      // Found at the broker by its client id and adopted; never resent.
      expect(rows.map((r) => [r.client_order_id, r.status])).toEqual([[clientId, 'filled']]);
    }
  });
});
