// One engine for the life of the AppHost: concurrent workspace edits are applied in place, and the kill switch stops
// every copy (issue 9 item 1).
import { afterEach, describe, expect, it } from 'vitest';
import type { LinkId } from '../../../core/domain/ids.js';
import { openHostWorld, pause, until, type HostWorld } from './host-world.js';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.close();
  world = undefined;
});

describe('AppHost lifecycle: edits on the running engine', () => {
  it('issue 9 #1: quick concurrent edits then halt: no second engine, no follower order after HALTED, edits take effect', async () => {
    world = await openHostWorld({ accounts: ['lead', 'f1', 'f2'] });
    const { host } = world;
    const w = world;
    // Flip f1's Copying switch off and on while an account is added and f2's sizing changes: all at once.
    await Promise.all([
      host.updateLink('lead->f1' as LinkId, { enabled: false }, 'it'),
      host.addAccount({ id: 'f3', label: 'f3', broker: 'sim' }, 'it'),
      host.updateLink('lead->f1' as LinkId, { enabled: true }, 'it'),
      host.updateLink('lead->f2' as LinkId, { sizing: { mode: 'multiplier', value: '2' } }, 'it'),
    ]);
    await host.addLink({ leader: 'lead', follower: 'f3', sizing: { mode: 'multiplier', value: '1' } } as never, 'it');
    await until(() => host.snapshot().armed === true, 'engine armed');

    w.trade('MSFT', 'buy', '3');
    await until(() => w.pos('f1', 'MSFT') === '3' && w.pos('f2', 'MSFT') === '6' && w.pos('f3', 'MSFT') === '3', () => `copies on f1, f2 (x2) and the new f3; held ${['f1', 'f2', 'f3'].map((f) => w.pos(f, 'MSFT')).join(', ')}`);

    const report = await host.trading.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: false, actor: 'it' });
    expect(report.ok).toBe(true);
    expect(host.snapshot().trading.global).toBe('halted');
    const before = ['f1', 'f2', 'f3'].map((f) => w.venueOrders(f));
    let executions = 0;
    host.on('execution', () => executions++);
    w.trade('MSFT', 'buy', '5');
    await until(() => executions > 0, 'the leader execution reaches the engine');
    await pause(300);
    expect(['f1', 'f2', 'f3'].map((f) => w.venueOrders(f)), 'orders reached a follower venue after HALTED').toEqual(before);
    expect([w.pos('f1', 'MSFT'), w.pos('f2', 'MSFT'), w.pos('f3', 'MSFT')]).toEqual(['3', '6', '3']);
  });
});
