// End to end through the headless CLI: an Alpaca leader and three Alpaca followers on the wire simulator, with faults.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { waitFor } from '../../contract/event-recorder.js';
import { startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const ROOT = join(import.meta.dirname, '../../..');
const wait = { timeoutMs: 20_000 };
const FOLLOWERS = [
  { id: 'f-ratio1', sizing: { mode: 'multiplier', value: '1' } },
  { id: 'f-half', sizing: { mode: 'multiplier', value: '0.5' } },
  { id: 'f-fixed', sizing: { mode: 'fixed', value: '5' } },
] as const;

describe('headless CLI with Alpaca leader and followers on the simulator', () => {
  let sim: AlpacaSim;
  let base: string;
  let dataDir: string;
  let cli: ChildProcess;
  let out = '';
  const keys = new Map<string, SimKeys>();
  const pos = (id: string, symbol = 'AAPL') => sim.position(keys.get(id)!.keyId, symbol);
  /** Reads the CLI's journal (WAL: a reader beside the running writer). */
  const query = <T,>(sql: string): T[] => {
    const db = new Database(join(dataDir, 'journal.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare(sql).all() as T[];
    } finally {
      db.close();
    }
  };
  /** waitFor that fails at once if the CLI died, and shows the CLI's last output on failure. */
  const until = async <T,>(what: string, probe: () => T | undefined | false) => {
    try {
      return await waitFor(what, () => {
        if (cli.exitCode !== null) throw new Error(`the CLI exited with ${cli.exitCode}`);
        return probe();
      }, wait);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- CLI output (tail) ---\n${out.slice(-3000)}`);
    }
  };

  beforeAll(async () => {
    sim = await startSim({ seed: 21, partialFillRate: 0.3 });
    base = mkdtempSync(join(tmpdir(), 'md-alpaca-cli-'));
    dataDir = join(base, 'data');
    const env: Record<string, string> = { ...process.env } as Record<string, string>;
    const accounts = ['leader', ...FOLLOWERS.map((f) => f.id), 'f-badkey'].map((id) => {
      const k = sim.addAccount({ cash: '1000000' });
      keys.set(id, k);
      const secret = id === 'f-badkey' ? 'not-the-secret' : k.secretKey;
      env[`MIRRORDESK_CREDENTIALS_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`] = JSON.stringify({ keyId: k.keyId, secretKey: secret });
      return { id, label: id, broker: 'alpaca', environment: 'paper', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } };
    });
    const links = [...FOLLOWERS, { id: 'f-badkey', sizing: { mode: 'multiplier', value: '1' } }].map((f) => ({
      leader: 'leader', follower: f.id, sizing: f.sizing, reconcilePolicy: 'repair',
    }));
    const config = join(base, 'workspace.json');
    writeFileSync(config, JSON.stringify({ accounts, links, risk: { reconcileIntervalMs: 2000, settle: { firstDelayMs: 100, maxDelayMs: 500, notFoundGraceMs: 1500 } } }));
    cli = spawn(process.execPath, ['--import', 'tsx', 'core/headless/cli.ts', 'run', '--config', config, '--data-dir', dataDir, '--secrets', 'env'], {
      cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'],
    });
    cli.stdout!.on('data', (d) => (out += String(d)));
    cli.stderr!.on('data', (d) => (out += String(d)));
    await until('four streams listening', () => [...sim.stream.conns].filter((c) => c.listening).length >= 4);
  }, 60_000);

  afterAll(async () => {
    if (cli && cli.exitCode === null) {
      const exited = new Promise((r) => cli.once('exit', r));
      cli.kill('SIGTERM');
      await exited;
    }
    await sim.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('copies partial fills, a scale-out and a reversal under every fault, and converges without duplicates', async () => {
    const leader = keys.get('leader')!.keyId;
    const f1 = keys.get('f-ratio1')!.keyId;
    const f2 = keys.get('f-half')!.keyId;
    // 1) entry with partial fills; the leader's frames are replayed (duplicate); follower POSTs answer 500 or time out
    // after landing, or 503 before landing.
    sim.injectStream(leader, 'duplicate');
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '500', when: 'after', keyId: f1 });
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: 'timeout', when: 'after', keyId: f2 });
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '503', when: 'before', keyId: keys.get('f-fixed')!.keyId });
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'buy', qty: '10', fills: ['4', '6'], price: '180' });
    await until('entry copied', () => pos('f-ratio1').eq(10) && pos('f-half').eq(5) && pos('f-fixed').eq(5));

    // 2) scale-out, delivered out of order, after garbage and unknown events on the leader stream.
    sim.injectStream(leader, 'unknown_event');
    sim.injectStream(leader, 'malformed');
    sim.injectStream(leader, 'reorder', 3);
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'sell', qty: '4', fills: ['1', '3'] });
    await until('scale-out copied', () => pos('f-ratio1').eq(6) && pos('f-half').eq(3) && pos('f-fixed').eq(3));

    // 3) the leader stream drops, the reconnect meets two 429 handshakes, and the reversal happens while it is down.
    sim.faults.handshake429 = 2;
    sim.injectStream(leader, 'drop');
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'sell', qty: '12', fills: ['5', '7'] });
    // 4) a follower stream stalls silently.
    sim.injectStream(keys.get('f-fixed')!.keyId, 'stall');
    await until('reversal copied', () => pos('f-ratio1').eq(-6) && pos('f-half').eq(-3) && pos('f-fixed').eq(-5));

    // 5) bad input: a non-fractionable asset whose half-size target is fractional, and a symbol Alpaca does not know.
    await sim.leaderTrade(leader, { symbol: 'BRK.A', side: 'buy', qty: '3', price: '700' });
    await sim.leaderTrade(leader, { symbol: 'NOPE', side: 'buy', qty: '1' });
    await until('BRK.A copied in whole shares', () =>
      pos('f-ratio1', 'BRK.A').eq(3) && pos('f-half', 'BRK.A').eq(1) && pos('f-fixed', 'BRK.A').eq(5));
    await until('an alert for the unknown symbol', () =>
      query<{ message: string }>("SELECT message FROM alerts WHERE code = 'instrument_unavailable'").some((a) => a.message.includes('NOPE')));
    expect(sim.orders(keys.get('f-half')!.keyId).every((o) => o.symbol !== 'BRK.A' || o.qty.isMultipleOf(1))).toBe(true);

    const codes = () => new Set(query<{ code: string }>('SELECT code FROM alerts').map((a) => a.code));
    await until('the journal to show the leader reconnect', () => codes().has('reconnected'));
    await until('every unknown outcome settled', () => query("SELECT id FROM intents WHERE status IN ('unknown', 'planned')").length === 0);
    for (const f of FOLLOWERS) {
      const orders = sim.orders(keys.get(f.id)!.keyId).filter((o) => o.symbol === 'AAPL');
      const net = orders.reduce((s, o) => s.add(o.side === 'buy' ? o.filledQty : o.filledQty.neg()), Decimal.ZERO);
      expect(net.toString()).toBe(pos(f.id).toString());
      expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);
    }
    const dup = query(`SELECT follower_account_id, source_id, count(*) n FROM intents
      WHERE status NOT IN ('not_placed', 'rejected') GROUP BY follower_account_id, source_id HAVING n > 1`);
    expect(dup).toEqual([]);
    for (const c of ['malformed_message', 'rate_limited', 'disconnected', 'reconnected', 'auth_failed']) expect(codes()).toContain(c);
    const alerts = query<{ code: string; a: string; message: string }>('SELECT code, account_id a, message FROM alerts');
    expect(alerts.some((a) => a.code === 'outcome_settled' || a.code === 'unknown_outcome')).toBe(true);
    expect(alerts.some((a) => a.code === 'auth_failed' && a.a === 'f-badkey')).toBe(true);
    expect(JSON.stringify(alerts)).not.toContain(keys.get('leader')!.secretKey);
    expect(JSON.stringify(alerts)).not.toContain('not-the-secret');
    for (const k of keys.values()) expect(out).not.toContain(k.secretKey);
    expect(out).not.toContain('not-the-secret');
    for (const kind of ['duplicate', 'reorder', 'unknown_event', 'malformed', 'drop', 'stall', '500', 'timeout'] as const) {
      expect(sim.faults.count(kind), kind).toBeGreaterThanOrEqual(1);
    }
    expect(sim.faults.count('duplicate')).toBe(1);
    expect(sim.faults.count('503')).toBe(1);
    expect(sim.faults.count('handshake_429')).toBe(2);
    expect(cli.exitCode).toBeNull();
  }, 90_000);
});
