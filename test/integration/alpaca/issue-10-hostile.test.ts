// Issue 10 item 15 on the wire simulator: a flood of junk frames through a real AppHost (journal, log file) stays a
// handful of alerts and log lines and copying goes on; symbols named like Object.prototype members are ordinary.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppHost } from '../../../core/app/app-host.js';
import { createLogger } from '../../../core/app/logger.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { MemorySecretStore } from '../../../core/secrets/index.js';
import { EventRecorder, waitFor } from '../../contract/event-recorder.js';
import { adapterFor, FAST_TUNING, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const JUNK = 20_000;
const wait = { timeoutMs: 20_000 };

describe('issue 10 #15: hostile input on Alpaca', () => {
  let sim: AlpacaSim;
  let dir: string;
  let host: AppHost | undefined;

  beforeEach(async () => {
    sim = await startSim({ seed: 4, partialFillRate: 0 });
    dir = mkdtempSync(join(tmpdir(), 'md-alpaca-15-'));
  });

  afterEach(async () => {
    await host?.close();
    host = undefined;
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issue 10 #15: 20,000 junk frames make a handful of stored alerts and log lines, and the next fill is copied', async () => {
    const keys = new Map<string, SimKeys>();
    const env: Record<string, string> = {};
    for (const id of ['leader', 'follower']) {
      const k = sim.addAccount({ cash: '1000000' });
      keys.set(id, k);
      env[`MIRRORDESK_CREDENTIALS_${id.toUpperCase()}`] = JSON.stringify({ keyId: k.keyId, secretKey: k.secretKey });
    }
    const config = parseWorkspaceConfig({
      accounts: [...keys.keys()].map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: [{ leader: 'leader', follower: 'follower', sizing: { mode: 'multiplier', value: '1' } }],
    });
    const logFile = join(dir, 'data', 'mirrordesk.log');
    const log = createLogger({ file: logFile, write: () => undefined });
    host = await AppHost.open({ dataDir: join(dir, 'data'), secrets: new MemorySecretStore(), log, config, env, accountRefreshMs: 60_000 });
    await host.start();
    await waitFor('both streams listening', () => [...sim.stream.conns].filter((c) => c.listening).length === 2, wait);

    sim.junkFrames(keys.get('leader')!.keyId, JUNK);
    await sim.leaderTrade(keys.get('leader')!.keyId, { symbol: 'AAPL', side: 'buy', qty: '3', price: '120' });
    await waitFor('the copy after the flood', () => sim.position(keys.get('follower')!.keyId, 'AAPL').eq(3), wait);

    const db = new Database(join(dir, 'data', 'journal.sqlite'), { readonly: true });
    const alerts = db.prepare("SELECT code, message FROM alerts WHERE account_id = 'leader'").all() as { code: string; message: string }[];
    db.close();
    const logBytes = readFileSync(logFile).length;
    expect(alerts.filter((a) => a.code === 'malformed_message').length).toBeGreaterThanOrEqual(1);
    expect(alerts.length).toBeLessThanOrEqual(20);
    expect(logBytes).toBeLessThan(20_000);
  }, 60_000);

  it('issue 10 #15: symbols named constructor, __proto__ and toString trade like any other on the adapter', async () => {
    for (const symbol of ['constructor', '__proto__', 'toString']) {
      sim.book.assets.set(symbol, { id: `00000000-0000-4000-8000-${symbol.length.toString().padStart(12, '0')}`, symbol, name: symbol, exchange: 'NYSE',
        tradable: true, shortable: true, easyToBorrow: true, fractionable: false, status: 'active' });
    }
    const keys = sim.addAccount();
    const adapter = adapterFor(sim, keys, 'proto', { ...FAST_TUNING, requestTimeoutMs: 3_000 });
    const rec = new EventRecorder(adapter);
    try {
      await adapter.connect();
      for (const [i, symbol] of ['constructor', '__proto__', 'toString'].entries()) {
        expect((await adapter.instrument(symbol)).symbol).toBe(symbol);
        const { order } = await sim.leaderTrade(keys.keyId, { symbol, side: 'buy', qty: String(i + 1), price: '10' });
        const exec = await waitFor(`the ${symbol} fill`, () => rec.log.execution.find((e) => e.brokerOrderId === order.id), wait);
        expect(exec.symbol).toBe(symbol);
        expect(exec.positionAfter?.toString()).toBe(String(i + 1));
      }
      expect((await adapter.positions()).map((p) => [p.symbol, p.qty.toString()]).sort()).toEqual([['__proto__', '2'], ['constructor', '1'], ['toString', '3']]);
      expect(rec.log.alert.filter((a) => a.code === 'drift')).toEqual([]);
    } finally {
      rec.stop();
      await adapter.disconnect();
    }
  });
});
