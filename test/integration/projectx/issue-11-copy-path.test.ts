// Issue 11 on the ProjectX wire simulator: a copy to N accounts of one login costs exactly N requests, one Order/place
// per follower account, also after the contract resolution and the snapshots aged; connections are open before the
// first copy. Engine and adapters share a TestClock (time between copies is compressed); sockets are real.
import type { Server } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { startProjectXSim, type ProjectXSim } from '../../sims/projectx/server.js';
import { TestClock } from '../../support/test-clock.js';
import { API_KEY, LEADER, makeAdapter, MES, USER } from './harness.js';

const wait = { timeoutMs: 5_000 };
const FOLLOWERS = [71_000_001, 71_000_002, 71_000_003];
/** Hub keep-alives and watchdogs never fire while the test moves the clock. */
const TUNING = { serverTimeoutMs: 86_400_000, keepAliveMs: 3_600_000, requestTimeoutMs: 10_000 };

describe('issue 11: the ProjectX copy path makes one request per follower per copy', () => {
  let sim: ProjectXSim;
  let clock: TestClock;
  let journal: SqliteJournal;
  let engine: CopyEngine;
  const adapters = new Map<AccountId, BrokerAdapter>();
  let log: { path: string; account?: unknown }[] = [];

  /** Waits until the simulator heard nothing for 150 ms. */
  async function quiet(): Promise<void> {
    for (let seen = -1; seen !== sim.rest.log.length; ) {
      seen = sim.rest.log.length;
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  beforeEach(async () => {
    sim = await startProjectXSim({ users: { [USER]: API_KEY }, pingIntervalMs: 3_600_000, accounts: [{ id: LEADER }, ...FOLLOWERS.map((id) => ({ id }))] });
    clock = new TestClock(Date.now());
    const ids = [LEADER, ...FOLLOWERS];
    for (const px of ids) adapters.set(accountId(`px-${px}`), makeAdapter(sim, px, { clock, tuning: TUNING }));
    const ws = parseWorkspaceConfig({
      accounts: ids.map((px) => ({ id: `px-${px}`, label: `px-${px}`, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: sim.restUrl, userHub: sim.hubUrl } })),
      links: FOLLOWERS.map((px) => ({ leader: `px-${LEADER}`, follower: `px-${px}`, sizing: { mode: 'multiplier', value: '1' } })),
      risk: { reconcileIntervalMs: 3_600_000, equityRefreshMs: 3_600_000 },
    });
    for (const a of adapters.values()) await a.connect();
    journal = openJournal(':memory:');
    engine = new CopyEngine({ clock, journal, notifier: { notify: () => undefined }, brokers: adapters, links: ws.links, risk: ws.risk });
    await engine.start();
    await quiet();
    log = [];
    sim.rest.onRequest = (e) => log.push({ path: e.path, account: (e.body as { accountId?: unknown } | undefined)?.accountId });
  });

  afterEach(async () => {
    await engine.stop();
    for (const a of adapters.values()) await a.disconnect();
    adapters.clear();
    journal.close();
    await sim.close();
  });

  /** Every request the simulator received from the leader's trade until each follower holds `holds` and all is quiet. */
  async function copy(side: 'buy' | 'sell', size: number, holds: number): Promise<string[]> {
    log = [];
    sim.trade(LEADER, MES, side, size);
    for (const px of FOLLOWERS) await waitFor(`${px} holds ${holds}`, () => sim.exchange.position(px, MES) === holds, wait);
    await waitFor('every copy settled in the engine', () => engine.snapshot().openIntents === 0, wait);
    await quiet();
    return log.map((r) => `${r.path} ${String(r.account)}`).sort();
  }

  /** Moves app time forward in steps, letting whatever the timers start finish between steps. */
  async function age(ms: number, step: number): Promise<void> {
    for (let done = 0; done < ms; done += step) {
      clock.advance(step);
      await quiet();
    }
  }

  it('issue 11: each copy is exactly one Order/place per follower account, fresh or after an hour (contract cache aged)', async () => {
    const one = FOLLOWERS.map((px) => `/api/Order/place ${px}`);
    let connections = 0;
    (sim as unknown as { server: Server }).server.on('connection', () => connections++);
    expect(await copy('buy', 2, 2)).toEqual(one);
    expect(connections).toBe(0); // the first copy to three accounts of one login found three connections open
    await age(120_000, 20_000); // past the snapshots' maximum age (60 s)
    expect(await copy('sell', 1, 1)).toEqual(one);
    await age(3_660_000, 600_000); // past the contract resolution's hour
    expect(await copy('sell', 2, -1)).toEqual(one);
    expect(await copy('buy', 1, 0)).toEqual(one);
  }, 60_000);
});
