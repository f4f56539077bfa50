// Resume from sleep on a real AppHost (issue 12 #16): every account reconnects and is read again before its links
// arm; a leader trade made while that happens is copied only after the follower was read; an alert says so.
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderRequest } from '../../../core/domain/order.js';
import { openHostWorld, until, type HostWorld } from './host-world.js';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.close();
  world = undefined;
});

describe('AppHost: resume from sleep', () => {
  it('issue 12 #16: after resume-from-sleep no copy leaves before the follower is read again', async () => {
    world = await openHostWorld({ accounts: ['lead', 'f1'] });
    const w = world;
    const { host, exchange } = w;
    w.trade('MSFT', 'buy', 2);
    await until(() => w.pos('f1', 'MSFT') === '2' && host.snapshot().armed, 'f1 copies and the link is armed');

    // Watch the venue: when f1's positions are read and when an order reaches f1.
    const timeline: string[] = [];
    const positions = exchange.positions.bind(exchange);
    const submit = exchange.submit.bind(exchange);
    exchange.positions = (id: string) => {
      if (id === 'f1') timeline.push('read f1');
      return positions(id);
    };
    exchange.submit = (id: string, req: OrderRequest) => {
      if (id === 'f1') timeline.push('order f1');
      return submit(id, req);
    };
    const statuses: string[] = [];
    host.on('account-status', (e) => statuses.push(`${e.accountId} ${e.status.status}`));
    const alerts: string[] = [];
    host.on('alert', (a) => alerts.push(a.message));

    const resumed = host.resumeFromSleep();
    w.trade('MSFT', 'buy', 1);
    expect(await resumed).toEqual({ accounts: 2 });
    await until(() => w.pos('f1', 'MSFT') === '3', () => `the trade made during the resume is copied; f1 holds ${w.pos('f1', 'MSFT')}`);
    await until(() => host.snapshot().armed, 'armed again');

    const firstOrder = timeline.indexOf('order f1');
    expect(firstOrder).toBeGreaterThan(0);
    expect(timeline.slice(0, firstOrder), 'f1 was read before any order reached it').toContain('read f1');
    expect(alerts).toContain('resumed from sleep: reconnecting 2 accounts');
    expect(statuses).toContain('f1 connecting');
    expect(w.pos('f1', 'MSFT')).toBe('3');
  });
});
