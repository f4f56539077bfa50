// Chaos world: the Alpaca wire simulator in this process (127.0.0.1, port 0) with one leader and the scenario's
// followers, the whole-share chaos assets, and the workspace config + credential env vars the headless app reads.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSim } from '../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../sims/alpaca/server.js';
import { newId } from '../sims/alpaca/wire.js';
import { SYMBOLS, type Scenario } from './scenario.js';

export interface ChaosWorld {
  readonly sim: AlpacaSim;
  readonly keys: ReadonlyMap<string, SimKeys>;
  readonly dir: string;
  readonly config: string;
  readonly dataDir: string;
  readonly env: Record<string, string>;
}

export const envName = (accountId: string): string => `MIRRORDESK_CREDENTIALS_${accountId.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;

export async function createWorld(s: Scenario): Promise<ChaosWorld> {
  const sim = await startSim({ seed: s.seed, partialFillRate: 0.3 });
  for (const symbol of SYMBOLS) {
    sim.book.assets.set(symbol, {
      id: newId(), symbol, name: `${symbol} whole shares`, exchange: 'NYSE', tradable: true, shortable: true, easyToBorrow: true, fractionable: false, status: 'active',
    });
    sim.setPrice(symbol, '50');
  }
  const dir = mkdtempSync(join(tmpdir(), `md-chaos-${s.seed}-`));
  const keys = new Map<string, SimKeys>();
  const env: Record<string, string> = {};
  const endpoints = { rest: sim.restUrl, stream: sim.streamUrl };
  const accounts = ['leader', ...s.followers.map((f) => f.id)].map((id) => {
    const k = sim.addAccount({ cash: '1000000' });
    keys.set(id, k);
    env[envName(id)] = JSON.stringify({ keyId: k.keyId, secretKey: k.secretKey });
    return { id, label: id, broker: 'alpaca', environment: 'paper', endpoints };
  });
  const links = s.followers.map((f) => ({
    leader: 'leader', follower: f.id, sizing: { mode: 'multiplier', value: f.multiplier }, reconcilePolicy: 'repair',
  }));
  const config = join(dir, 'workspace.json');
  writeFileSync(config, JSON.stringify({
    accounts,
    links,
    risk: {
      reconcileIntervalMs: 1_000,
      breaker: { maxOrders: 1_000, windowMs: 10_000, maxConsecutiveRejects: 50 },
      settle: { firstDelayMs: 50, maxDelayMs: 200, notFoundGraceMs: 400 },
    },
  }));
  return { sim, keys, dir, config, dataDir: join(dir, 'data'), env };
}
