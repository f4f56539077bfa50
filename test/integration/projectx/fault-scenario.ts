// The end-to-end fault scenario: a ProjectX leader on MES and three followers (MES x1, MES x0.5, ES x0.1);
// the leader trades while every simulator fault is injected once, and the followers must land on their targets.
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import { waitFor } from '../../contract/event-recorder.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { LEADER, MES } from './harness.js';

export const ES = 'CON.F.US.EP.Z26';
export const FOLLOWERS = { f1: 60_000_001, f2: 60_000_002, f3: 60_000_003 } as const;
const wait = { timeoutMs: 15_000 };

/** Accounts (leader + followers) and links in workspace-config form, pointed at the simulator. */
export function scenarioWorkspace(sim: ProjectXSim) {
  const acct = (id: string, px: number) => ({
    id, label: id, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: sim.restUrl, userHub: sim.hubUrl },
  });
  const link = (follower: string, value: string, extra: Record<string, unknown> = {}) => ({
    leader: 'px-leader', follower, sizing: { mode: 'multiplier', value }, ...extra,
  });
  return {
    accounts: [acct('px-leader', LEADER), acct('px-f1', FOLLOWERS.f1), acct('px-f2', FOLLOWERS.f2), acct('px-f3', FOLLOWERS.f3)],
    links: [
      link('px-f1', '1'),
      link('px-f2', '0.5'),
      link('px-f3', '1', { symbolMap: { MES: { symbol: 'ES', factor: '0.1' } }, copyUnmapped: false }),
    ],
    risk: { breaker: { maxOrders: 500, windowMs: 10_000, maxConsecutiveRejects: 10 }, reconcileIntervalMs: 60_000 },
  };
}

export const scenarioSimAccounts = [{ id: LEADER }, { id: FOLLOWERS.f1 }, { id: FOLLOWERS.f2 }, { id: FOLLOWERS.f3 }];

/** Fast hub timeouts for the scenario (the adapter's tuning, or MIRRORDESK_PROJECTX_TUNING for the CLI). */
export const SCENARIO_TUNING = { serverTimeoutMs: 1_500, keepAliveMs: 400, reconnectBaseMs: 50, reconnectMaxMs: 300, logoutBackoffMs: 500 };

/** Runs the trades and faults; returns the number of leader trades. */
export async function runFaultScenario(sim: ProjectXSim): Promise<number> {
  let net = 0;
  let trades = 0;
  const positions = () => ({
    f1: sim.exchange.position(FOLLOWERS.f1, MES), f2: sim.exchange.position(FOLLOWERS.f2, MES), f3: sim.exchange.position(FOLLOWERS.f3, ES),
  });
  const converged = async () => {
    const t = JSON.stringify({ f1: net, f2: Math.trunc(net * 0.5), f3: Math.trunc(net * 0.1) });
    try {
      await waitFor(`followers at ${t}`, () => JSON.stringify(positions()) === t, wait);
    } catch (err) {
      throw new Error(`${(err as Error).message}; they are at ${JSON.stringify(positions())}`);
    }
  };
  const trade = async (side: 'buy' | 'sell', size: number) => {
    sim.trade(LEADER, MES, side, size);
    net += side === 'buy' ? size : -size;
    trades++;
    await converged();
  };
  const reconnected = async (what: string, before: number) =>
    waitFor(`a reconnect after ${what}`, () => sim.hub.connects > before && sim.hub.connectionCount === 1, wait);

  await trade('buy', 4);

  sim.hub.duplicate = true;
  sim.hub.reorder = true;
  await trade('buy', 6);
  sim.hub.duplicate = false;
  sim.hub.reorder = false;

  let before = sim.hub.connects;
  sim.hub.drop();
  await reconnected('a dropped socket', before);
  await trade('sell', 3);

  const validations = sim.auth.validations;
  before = sim.hub.connects;
  await waitFor('a proactive token refresh and the hub rebuilt with the new token', () =>
    sim.auth.validations > validations && sim.hub.connects > before && sim.hub.connectionCount === 1, wait);
  await trade('buy', 1);
  await trade('sell', 1);

  before = sim.hub.connects;
  sim.hub.stall();
  await trade('buy', 3);
  expect(sim.hub.connects, 'the stalled hub was rebuilt').toBeGreaterThan(before);

  before = sim.hub.connects;
  sim.hub.logout();
  await reconnected('GatewayLogout', before);
  await trade('sell', 10);

  sim.expireTokens();
  await trade('buy', 2);

  sim.rateLimitBurst(2, 1);
  await trade('buy', 8);
  await new Promise((r) => setTimeout(r, 500));
  await converged();

  for (const f of Object.values(FOLLOWERS)) {
    const tags = sim.placeRequests(f).map((b) => b.customTag);
    expect(new Set(tags).size, `follower ${f} reused a customTag`).toBe(tags.length);
  }
  expect(sim.auth.logins, 'a re-login after the tokens expired').toBeGreaterThanOrEqual(2);
  return trades;
}

/** Reads the journal file after the run: one execution per leader trade, every fault visible as an alert, no secret. */
export function assertJournal(file: string, trades: number, secret: string): void {
  const db = new Database(file, { readonly: true });
  try {
    const executions = db.prepare('SELECT count(*) AS n FROM executions').get() as { n: number };
    expect(executions.n, 'one journaled execution per leader trade').toBe(trades);
    const alerts = db.prepare('SELECT code, message FROM alerts').all() as { code: string; message: string }[];
    const codes = new Set(alerts.map((a) => a.code));
    for (const code of ['disconnected', 'reconnected', 'broker_notice', 'rate_limited']) expect([...codes]).toContain(code);
    expect(alerts.some((a) => /GatewayLogout/.test(a.message)), 'a GatewayLogout alert').toBe(true);
    expect(alerts.some((a) => a.message.includes(secret)), 'a secret in an alert').toBe(false);
  } finally {
    db.close();
  }
}
