// Issue 10, ProjectX items 1 and 8: several logins with five and more accounts each on the simulator, and sessions
// keyed by the credential (a wrong API key never borrows or poisons a good session).
import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openSessionKeys } from '../../../core/brokers/projectx/session.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import { startProjectXSim, type ProjectXSim } from '../../sims/projectx/server.js';
import { MES, makeAdapter } from './harness.js';

const wait = { timeoutMs: 8_000 };
const ALICE = Array.from({ length: 6 }, (_, i) => 81_000_001 + i);
const BOB = 82_000_001;
let sim: ProjectXSim;
let adapters: BrokerAdapter[] = [];

async function twoLogins(): Promise<ProjectXSim> {
  sim = await startProjectXSim({
    pingIntervalMs: 250,
    logins: [
      { userName: 'alice', apiKey: 'alice-key', accounts: ALICE.map((id) => ({ id })) },
      { userName: 'bob', apiKey: 'bob-key', accounts: [{ id: BOB }] },
    ],
  });
  return sim;
}

const adapter = (px: number, user: string, apiKey: string, isolated = false): BrokerAdapter => {
  const a = makeAdapter(sim, px, { user, apiKey, isolated, id: `px-${px}-${adapters.length}` });
  adapters.push(a);
  return a;
};

afterEach(async () => {
  for (const a of adapters) await a.disconnect();
  adapters = [];
  await sim.close();
});

describe('issue 10 ProjectX #8: configurable logins and accounts', () => {
  it('issue 10 ProjectX #8: six accounts on one login and one on another, each login sees only its own accounts', async () => {
    await twoLogins();
    const alice = ALICE.map((id) => adapter(id, 'alice', 'alice-key'));
    const bob = adapter(BOB, 'bob', 'bob-key');
    await Promise.all([...alice, bob].map((a) => a.connect()));
    expect(sim.auth.logins).toBe(2);
    expect(sim.hub.connectionCount).toBe(2);
    const recs = alice.map((a) => new EventRecorder(a));
    for (const id of ALICE) sim.trade(id, MES, 'buy', 1);
    await waitFor('every alice account to see its own fill', () => recs.every((r) => r.log.execution.length === 1), wait);
    const seen = sim.requestsOf('alice').filter((e) => e.path === '/api/Account/search');
    expect(seen.length).toBeGreaterThan(0);
    const foreign = adapter(BOB, 'alice', 'alice-key');
    await expect(foreign.connect()).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('issue 10 ProjectX #1: sessions are keyed by the credential', () => {
  it('issue 10 ProjectX #1: a wrong API key created first does not poison the good accounts of the same login', async () => {
    await twoLogins();
    const bad = adapter(ALICE[0]!, 'alice', 'wrong-key');
    const good = adapter(ALICE[1]!, 'alice', 'alice-key');
    await expect(bad.connect()).rejects.toMatchObject({ code: 'auth' });
    await good.connect();
    expect(good.health().status).toBe('connected');
  });

  it('issue 10 ProjectX #1: a wrong key never borrows a running good session', async () => {
    await twoLogins();
    await adapter(ALICE[0]!, 'alice', 'alice-key').connect();
    await expect(adapter(ALICE[1]!, 'alice', 'wrong-key').connect()).rejects.toMatchObject({ code: 'auth' });
    await expect(adapter(ALICE[2]!, 'alice', 'wrong-key', true).connect()).rejects.toMatchObject({ code: 'auth' });
    expect(openSessionKeys().join(' ')).not.toMatch(/alice-key|wrong-key/);
  });

  it('issue 10 ProjectX #1: a connection test (isolated) logs in on its own even when the login is running', async () => {
    await twoLogins();
    await adapter(ALICE[0]!, 'alice', 'alice-key').connect();
    const probe = adapter(ALICE[1]!, 'alice', 'alice-key', true);
    await probe.connect();
    expect((await probe.account()).equity.gt(0)).toBe(true);
    expect(sim.auth.logins).toBe(2);
    await probe.disconnect();
    expect(openSessionKeys()).toHaveLength(1);
  });
});
