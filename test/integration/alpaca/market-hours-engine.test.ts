// Outside-hours policies end to end on the Alpaca wire simulator: the real adapter's market clock drives the engine,
// an extended_limit follower gets a whole-share extended_hours day limit, a skip follower gets nothing and an alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../core/app/system-clock.js';
import type { Alert } from '../../../core/domain/alert.js';
import { accountId, type AccountId } from '../../../core/domain/ids.js';
import { parseWorkspaceConfig } from '../../../core/domain/workspace-config.js';
import { CopyEngine } from '../../../core/engine/index.js';
import type { BrokerAdapter } from '../../../core/ports/broker-adapter.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { waitFor } from '../../contract/event-recorder.js';
import { adapterFor, startSim } from '../../sims/alpaca/harness.js';
import type { AlpacaSim, SimKeys } from '../../sims/alpaca/server.js';

const wait = { timeoutMs: 10_000 };

describe('outside hours on Alpaca (wire simulator, market closed)', () => {
  let sim: AlpacaSim;
  let journal: SqliteJournal;
  let engine: CopyEngine;
  const alerts: Alert[] = [];
  const brokers = new Map<AccountId, BrokerAdapter>();
  const keys = new Map<string, SimKeys>();

  beforeAll(async () => {
    sim = await startSim({ seed: 5, partialFillRate: 0 });
    sim.book.setMarketOpen(false);
    for (const id of ['leader', 'f-ext', 'f-skip']) {
      keys.set(id, sim.addAccount({ cash: '1000000' }));
      brokers.set(accountId(id), adapterFor(sim, keys.get(id)!, id));
    }
    const ws = parseWorkspaceConfig({
      accounts: [...keys.keys()].map((id) => ({ id, label: id, broker: 'alpaca', endpoints: { rest: sim.restUrl, stream: sim.streamUrl } })),
      links: [
        { leader: 'leader', follower: 'f-ext', sizing: { mode: 'multiplier', value: '1' }, outsideHours: 'extended_limit' },
        { leader: 'leader', follower: 'f-skip', sizing: { mode: 'multiplier', value: '1' }, outsideHours: 'skip' },
      ],
    });
    for (const b of brokers.values()) await b.connect();
    journal = openJournal(':memory:');
    engine = new CopyEngine({ clock: new SystemClock(), journal, notifier: { notify: () => undefined }, brokers, links: ws.links, risk: ws.risk });
    engine.on('alert', (a) => alerts.push(a));
    await engine.start();
  }, 30_000);

  afterAll(async () => {
    await engine?.stop();
    for (const b of brokers.values()) await b.disconnect();
    journal?.close();
    await sim?.stop();
  });

  it('sends an extended-hours limit to one follower and skips the other with an alert', async () => {
    const pos = (id: string) => sim.position(keys.get(id)!.keyId, 'AAPL').toString();
    await sim.leaderTrade(keys.get('leader')!.keyId, { symbol: 'AAPL', side: 'buy', qty: '7', price: '180' });
    await waitFor('extended-hours copy filled', () => pos('f-ext') === '7', wait);
    await waitFor('skip alert', () => alerts.some((a) => a.code === 'market_closed' && a.accountId === 'f-skip'), wait);
    const [order, ...rest] = sim.orders(keys.get('f-ext')!.keyId);
    expect(rest).toEqual([]);
    expect(order).toMatchObject({ side: 'buy', type: 'limit', timeInForce: 'day', extendedHours: true });
    expect(order!.limitPrice!.toString()).toBe('180.05');
    expect(sim.orders(keys.get('f-skip')!.keyId)).toEqual([]);
    expect(pos('f-skip')).toBe('0');
    const skip = alerts.find((a) => a.code === 'market_closed')!;
    expect(skip.severity).toBe('warning');
    expect(skip.message).toMatch(/next open \d{4}-\d\d-\d\dT/);
  }, 20_000);
});
