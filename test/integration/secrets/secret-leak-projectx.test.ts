// Secrets never leak, ProjectX side: a gateway that echoes the API key, the user name and the session token in the
// errorMessage of a rejected order. Everything an AppHost keeps or shows (journal files,
// WAL, log, events, query results, CSV) is searched for each secret in every form (leak-search.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { startProjectXSim, type ProjectXSim } from '../../sims/projectx/server.js';
import { findLeaks, readDir, READ_CHANNELS } from './leak-search.js';

const LEADER = 20_258_288;
const FOLLOWER = 60_000_001;
const MES = 'CON.F.US.MES.Z26';
const USER = 'px-leak-user-Qz7';
const API_KEY = 'pxK3y/+=9aZ!"<&>\\u0041 endsHere';
const wait = { timeoutMs: 30_000 };

describe('secrets never leak (ProjectX, a gateway that echoes them)', () => {
  let sim: ProjectXSim;
  let base: string;

  beforeAll(async () => {
    sim = await startProjectXSim({ users: { [USER]: API_KEY }, pingIntervalMs: 250, accounts: [{ id: LEADER }, { id: FOLLOWER }] });
    base = mkdtempSync(join(tmpdir(), 'md-px-leak-'));
  });

  afterAll(async () => {
    await sim.close();
    rmSync(base, { recursive: true, force: true });
  });

  it('an echoed API key, user name and session token reach no journal row, log line, event, query result or CSV', async () => {
    const acct = (id: string, px: number) => ({ id, label: id, broker: 'projectx', brokerAccountId: String(px), endpoints: { rest: sim.restUrl, userHub: sim.hubUrl } });
    const config = parseWorkspaceConfig({
      accounts: [acct('px-leader', LEADER), acct('px-f1', FOLLOWER)],
      links: [{ leader: 'px-leader', follower: 'px-f1', sizing: { mode: 'multiplier', value: '1' } }],
      risk: { reconcileIntervalMs: 3_600_000 },
    });
    const creds = JSON.stringify({ userName: USER, apiKey: API_KEY });
    const env = { MIRRORDESK_CREDENTIALS_PX_LEADER: creds, MIRRORDESK_CREDENTIALS_PX_F1: creds };
    const dataDir = join(base, 'host');
    const lines: string[] = [];
    const log = createLogger({ file: join(dataDir, 'mirrordesk.log'), write: (l) => lines.push(l) });
    const host = await AppHost.open({ dataDir, secrets: new MemorySecretStore(), log, config, env });
    const d = createDispatcher(host, { coalesceMs: 1 });
    const events: unknown[] = [];
    const results: unknown[] = [];
    const unsubscribe = d.subscribe((channel, payload) => events.push({ channel, payload }));
    let tokens: string[] = [];
    let running: [string, string][] = [];
    try {
      await host.start();
      await waitFor('the user hub', () => sim.hub.connectionCount >= 1, wait);
      tokens = [...sim.rest.issued];
      expect(tokens.length).toBeGreaterThan(0);
      const echo = `invalid request from ${USER} with key ${API_KEY} on session ${tokens.join(',')}`;
      sim.trade(LEADER, MES, 'buy', 2);
      sim.exchange.forcedPlaceError = { code: 2, message: echo }; // the follower's order, which comes after the trade
      await waitFor('the follower order rejected', async () => {
        const r = (await d.dispatch('alerts:list', { limit: 200 }, 'it')) as { ok: boolean; value?: { items: { code: string; accountId?: string }[] } };
        return r.ok && r.value!.items.some((a) => a.code === 'order_rejected' && a.accountId === 'px-f1');
      }, wait);
      for (const [channel, payload] of READ_CHANNELS) {
        const r = await d.dispatch(channel, payload, 'it');
        expect(r.ok, `${channel}: ${JSON.stringify(r)}`).toBe(true);
        results.push(r);
      }
      // The rejection reached the journal with the gateway's words, the secrets masked.
      expect(JSON.stringify(results)).toMatch(/invalid request from \*\*\* with key \*\*\*/);
      running = readDir(dataDir);
    } finally {
      unsubscribe();
      await host.close();
    }
    const haystacks: [string, string][] = [...running, ...readDir(dataDir), ['console', lines.join('\n')], ['events', JSON.stringify(events)], ['results', JSON.stringify(results)]];
    expect(findLeaks(haystacks, [API_KEY, USER, ...tokens])).toEqual([]);
  }, 60_000);
});
