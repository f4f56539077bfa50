// Issue 11 on the Alpaca wire simulator: a copy costs each follower exactly one request (its order POST), also after
// the account facts and the market clock went stale; they are kept current by timers off the copy path. Engine and
// adapters share a TestClock (time between copies is compressed); sockets and the simulator are real.
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountConfigSchema } from '../../../core/domain/account-config.js';
import { createAlpacaAdapter, type AlpacaAdapter } from '../../../core/brokers/alpaca/index.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { seeded } from '../../sims/alpaca/book.js';
import { FAST_TUNING, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';
import { TestClock } from '../../support/test-clock.js';

const wait = { timeoutMs: 5_000 };
const FOLLOWERS = ['f1', 'f2', 'f3'];
/** Stream pings and staleness never fire while the test moves the clock; requests get a real-size timeout. */
const TUNING = { ...FAST_TUNING, pingMs: 3_600_000, pongTimeoutMs: 3_600_000, staleMs: 3_600_000, requestTimeoutMs: 10_000, accountTtlMs: 15_000 };

/** Waits until the simulator heard nothing for 150 ms. */
async function quiet(sim: AlpacaSim): Promise<void> {
  for (let seen = -1; seen !== sim.requests.length; ) {
    seen = sim.requests.length;
    await new Promise((r) => setTimeout(r, 150));
  }
}

describe('issue 11: the Alpaca copy path makes one request per follower per copy', () => {
  let sim: AlpacaSim;
  let clock: TestClock;
  let journal: SqliteJournal;
  let engine: CopyEngine;
  const keys = new Map<string, SimKeys>();
  const adapters = new Map<AccountId, AlpacaAdapter>();

  beforeEach(async () => {
    sim = await startSim({ seed: 5, partialFillRate: 0 });
    clock = new TestClock(Date.now());
    const ids = ['leader', ...FOLLOWERS];
    for (const id of ids) {
      keys.set(id, sim.addAccount({ cash: '1000000' }));
      const account = accountConfigSchema.parse({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } });
      adapters.set(accountId(id), createAlpacaAdapter({ account, credentials: keys.get(id)!, clock, random: seeded(3), tuning: TUNING }));
    }
    const ws = parseWorkspaceConfig({
      accounts: ids.map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: FOLLOWERS.map((f) => ({ leader: 'leader', follower: f, sizing: { mode: 'multiplier', value: '1' } })),
      risk: { reconcileIntervalMs: 3_600_000, equityRefreshMs: 3_600_000 },
    });
    for (const a of adapters.values()) await a.connect();
    journal = openJournal(':memory:');
    engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers: adapters, links: ws.links, risk: ws.risk });
    await engine.start();
    await quiet(sim);
  });

  afterEach(async () => {
    await engine.stop();
    for (const a of adapters.values()) await a.disconnect();
    adapters.clear();
    journal.close();
    await sim.stop();
  });

  /**
   * Moves app time forward in steps, letting the background refreshes it triggers finish between steps; returns the
   * distinct reads each account made meanwhile.
   */
  async function age(ms: number): Promise<Record<string, string[]>> {
    const from = sim.requests.length;
    for (let done = 0; done < ms; done += 5_000) {
      clock.advance(5_000);
      await quiet(sim);
    }
    const sent = sim.requests.slice(from);
    return Object.fromEntries([...keys].map(([id, k]) => [id, [...new Set(sent.filter((r) => r.keyId === k.keyId).map((r) => `${r.method} ${r.path}`))].sort()]));
  }

  /** Every request the followers' keys sent from the leader's trade until each follower holds `qty` and all is quiet. */
  async function copy(side: 'buy' | 'sell', qty: string, holds: number): Promise<Record<string, string[]>> {
    const from = sim.requests.length;
    await sim.leaderTrade(keys.get('leader')!.keyId, { symbol: 'AAPL', side, qty, fills: [qty] });
    for (const f of FOLLOWERS) await waitFor(`${f} holds ${holds}`, () => sim.position(keys.get(f)!.keyId, 'AAPL').eq(holds), wait);
    await waitFor('every copy settled in the engine', () => engine.snapshot().openIntents === 0, wait);
    await quiet(sim);
    const sent = sim.requests.slice(from);
    return Object.fromEntries(FOLLOWERS.map((f) => [f, sent.filter((r) => r.keyId === keys.get(f)!.keyId).map((r) => `${r.method} ${r.path}`)]));
  }

  it('issue 11: each copy is exactly one POST /v2/orders per follower, fresh or after the account and clock caches aged', async () => {
    const one = Object.fromEntries(FOLLOWERS.map((f) => [f, ['POST /v2/orders']]));
    let connections = 0;
    (sim as unknown as { server: Server }).server.on('connection', () => connections++);
    expect(await copy('buy', '3', 3)).toEqual(one);
    expect(connections).toBe(0); // the first copy found its connections open

    // Past the account TTL (15 s) and the market clock's (30 s): the followers' facts are read by the keeper meanwhile;
    // the leader's are not (no copy reads them).
    const kept = await age(40_000);
    for (const f of FOLLOWERS) expect(kept[f]).toEqual(['GET /v2/account', 'GET /v2/clock']);
    expect(kept.leader).toEqual([]);
    expect(await copy('sell', '1', 2)).toEqual(one);
    await age(40_000);
    expect(await copy('sell', '2', 0)).toEqual(one);
    await age(40_000);
    expect(await copy('sell', '1', -1)).toEqual(one);
  }, 60_000);
});
