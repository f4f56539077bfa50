// Copy engine + SQLite journal + real Alpaca adapters on the wire simulator: an Alpaca leader, three followers, faults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/app/system-clock.js';
import { createAlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { seeded } from '../../sims/alpaca/book.js';
import { FAST_TUNING, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 15_000 };
const FOLLOWERS = [
  { id: 'f-ratio1', sizing: { mode: 'multiplier', value: '1' } },
  { id: 'f-half', sizing: { mode: 'multiplier', value: '0.5' } },
  { id: 'f-fixed', sizing: { mode: 'fixed', value: '5' } },
] as const;

describe('CopyEngine with Alpaca leader and followers on the simulator', () => {
  let sim: AlpacaSim;
  let dir: string;
  let journal: SqliteJournal;
  let engine: CopyEngine;
  const brokers = new Map<AccountId, BrokerAdapter>();
  const keys = new Map<string, SimKeys>();
  const pos = (id: string, symbol = 'AAPL') => sim.position(keys.get(id)!.keyId, symbol);
  /** waitFor that, on timeout, shows positions, unsettled intents and the sim's orders. */
  const until = async (what: string, probe: () => boolean) => {
    try {
      await waitFor(what, probe, wait);
    } catch (err) {
      const state = {
        positions: Object.fromEntries(FOLLOWERS.map((f) => [f.id, pos(f.id).toString()])),
        open: journal.openIntents().map((i) => `${i.followerAccountId} ${i.side} ${i.qty} ${i.status} ${i.purpose}`),
        orders: FOLLOWERS.map((f) => sim.orders(keys.get(f.id)!.keyId).map((o) => `${f.id} ${o.side} ${o.qty} ${o.status} ${o.filledQty}`)),
      };
      throw new Error(`${(err as Error).message}\n${JSON.stringify(state, null, 1)}`);
    }
  };

  beforeAll(async () => {
    sim = await startSim({ seed: 21, partialFillRate: 0.3 });
    dir = mkdtempSync(join(tmpdir(), 'md-alpaca-engine-'));
    const ids = ['leader', ...FOLLOWERS.map((f) => f.id)];
    for (const id of ids) keys.set(id, sim.addAccount({ cash: '1000000' }));
    const ws = parseWorkspaceConfig({
      accounts: ids.map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: FOLLOWERS.map((f) => ({ leader: 'leader', follower: f.id, sizing: f.sizing, reconcilePolicy: 'repair' })),
      risk: { reconcileIntervalMs: 2_000, settle: { firstDelayMs: 100, maxDelayMs: 500, notFoundGraceMs: 1_500 } },
    });
    journal = openJournal(join(dir, 'journal.sqlite'));
    const clock = new SystemClock();
    for (const a of ws.accounts) {
      const adapter = createAlpacaAdapter({
        account: accountConfigSchema.parse(a), credentials: keys.get(a.id)!, clock, random: seeded(3), tuning: { ...FAST_TUNING, pollMs: 1_000 },
      });
      adapter.on('alert', (al) => journal.raiseAlert(al, clock.now()));
      // As the AppHost does: connection changes become alerts.
      let up = false;
      adapter.on('status', (s) => {
        const id = accountId(a.id);
        if (up && s.status !== 'connected') journal.raiseAlert({ severity: 'warning', code: 'disconnected', message: `${a.id} ${s.status} (${s.reason})`, accountId: id }, clock.now());
        if (s.status === 'connected' && s.reconnected) journal.raiseAlert({ severity: 'info', code: 'reconnected', message: `${a.id} reconnected`, accountId: id }, clock.now());
        up = s.status === 'connected';
      });
      brokers.set(accountId(a.id), adapter);
    }
    for (const b of brokers.values()) await b.connect();
    engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
    engine.on('alert', () => undefined);
    await engine.start();
  }, 30_000);

  afterAll(async () => {
    await engine?.stop();
    for (const b of brokers.values()) await b.disconnect();
    journal?.close();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('copies partial fills, a scale-out and a reversal under every fault, and converges without duplicates', async () => {
    const leader = keys.get('leader')!.keyId;
    const f1 = keys.get('f-ratio1')!.keyId;
    const f2 = keys.get('f-half')!.keyId;
    const f3 = keys.get('f-fixed')!.keyId;
    sim.injectStream(leader, 'duplicate');
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '500', when: 'after', keyId: f1 });
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: 'timeout', when: 'after', keyId: f2 });
    sim.faults.failRest({ method: 'POST', path: '/v2/orders', kind: '503', when: 'before', keyId: f3 });
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'buy', qty: '10', fills: ['4', '6'], price: '180' });
    await until('entry copied', () => pos('f-ratio1').eq(10) && pos('f-half').eq(5) && pos('f-fixed').eq(5));

    sim.injectStream(leader, 'unknown_event');
    sim.injectStream(leader, 'malformed');
    sim.injectStream(leader, 'reorder', 3);
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'sell', qty: '4', fills: ['1', '3'] });
    await until('scale-out copied', () => pos('f-ratio1').eq(6) && pos('f-half').eq(3) && pos('f-fixed').eq(3));

    sim.faults.handshake429 = 2;
    sim.injectStream(leader, 'drop');
    await sim.leaderTrade(leader, { symbol: 'AAPL', side: 'sell', qty: '12', fills: ['5', '7'] });
    sim.injectStream(f3, 'stall');
    await until('reversal copied', () => pos('f-ratio1').eq(-6) && pos('f-half').eq(-3) && pos('f-fixed').eq(-5));

    await waitFor('the leader stream back after the 429s', () => brokers.get(accountId('leader'))!.health().status === 'connected' && sim.faults.count('handshake_429') === 2, wait);
    await waitFor('no unsettled intents', () => journal.openIntents().every((i) => !['unknown', 'planned'].includes(i.status)), wait);
    const db = new Database(join(dir, 'journal.sqlite'), { readonly: true });
    try {
      for (const f of FOLLOWERS) {
        const orders = sim.orders(keys.get(f.id)!.keyId);
        const net = orders.reduce((s, o) => s.add(o.side === 'buy' ? o.filledQty : o.filledQty.neg()), Decimal.ZERO);
        expect(net.toString()).toBe(pos(f.id).toString());
        const sources = db.prepare('SELECT source_id s, count(*) n FROM intents WHERE follower_account_id = ? AND status NOT IN (?, ?) GROUP BY source_id HAVING n > 1')
          .all(f.id, 'not_placed', 'rejected');
        expect(sources).toEqual([]);
        expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);
      }
      const codes = new Set((db.prepare('SELECT code FROM alerts').all() as { code: string }[]).map((a) => a.code));
      for (const c of ['malformed_message', 'rate_limited', 'disconnected', 'reconnected', 'outcome_settled']) expect(codes).toContain(c);
    } finally {
      db.close();
    }
    expect(sim.faults.count('duplicate')).toBe(1);
    expect(sim.faults.count('reorder')).toBe(1);
    expect(sim.faults.count('handshake_429')).toBe(2);
    expect(sim.faults.count('stall')).toBe(1);
    expect(sim.faults.count('503')).toBe(1);
    expect(sim.faults.count('timeout')).toBe(1);
  }, 60_000);
});
