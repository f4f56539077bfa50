// Accounts not connected when the app starts keep their links (issue 9 item 12, the AppHost half): the account is
// retried with backoff, an alert says so, the other followers copy meanwhile, and its links arm when it is back.
import { afterEach, describe, expect, it } from 'vitest';
import { openHostWorld, until, type HostWorld } from './host-world.js';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.close();
  world = undefined;
});

describe('AppHost: an account unreachable at start', () => {
  it('issue 9 #12: a follower down when the app starts keeps its links, is retried, and gets in line when it returns', async () => {
    const alerts: string[] = [];
    world = await openHostWorld({ accounts: ['lead', 'f1', 'f2'], down: ['f2'], host: { reconnectMs: 50, armRetryMs: 50 } });
    const w = world;
    const { host } = w;
    host.on('alert', (a) => alerts.push(`${a.code}: ${a.message}`));
    expect(host.snapshot().links.map((l) => l.id)).toEqual(['lead->f1', 'lead->f2']);
    w.trade('MSFT', 'buy', 2);
    await until(() => w.pos('f1', 'MSFT') === '2', () => `f1 copies while f2 is down; f1 holds ${w.pos('f1', 'MSFT')}`);
    expect(w.pos('f2', 'MSFT')).toBe('0');

    w.exchange.reconnect('f2');
    await until(() => w.pos('f2', 'MSFT') === '2', () => `f2 in line after it is back; f2 holds ${w.pos('f2', 'MSFT')}; alerts ${alerts.join(' | ')}`);
    const journaled = host.journal.queries.listAlerts({}, { limit: 200 }).items.map((a) => `${a.code}: ${a.message}`);
    expect(journaled.filter((a) => a.startsWith('disconnected: f2: cannot connect') && a.includes('retrying in 50 ms'))).toHaveLength(1);
    expect(journaled).toContain('reconnected: f2: connected');
    await until(() => host.snapshot().armed, 'every link armed');
    w.trade('MSFT', 'buy', 1);
    await until(() => w.pos('f1', 'MSFT') === '3' && w.pos('f2', 'MSFT') === '3', 'both copy the next trade');
  });
});
