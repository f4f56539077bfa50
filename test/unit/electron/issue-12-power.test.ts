// Desktop sleep (issue 12 #16) on the fake Electron power API with a real AppHost: the blocker is held exactly while
// copying is active, and a 'resume' reconnects every account through host.resumeFromSleep with an alert saying so.
import { afterEach, describe, expect, it } from 'vitest';
import { PowerController } from '../../../electron/main/power.js';
import { FakePower } from '../../support/fake-electron.js';
import { openHostWorld, until, type HostWorld } from '../../integration/app/host-world.js';

let world: HostWorld | undefined;
afterEach(async () => {
  await world?.host.close();
  world = undefined;
});

describe('power: sleep and resume', () => {
  it('issue 12 #16: holds prevent-app-suspension while copying, releases it when paused, halted or quitting', async () => {
    world = await openHostWorld({ accounts: ['lead', 'f1'] });
    const { host } = world;
    const power = new FakePower();
    const lines: string[] = [];
    const ctl = new PowerController(power, host, (l) => lines.push(l));
    expect(power.started).toEqual(['prevent-app-suspension']);
    expect(power.held.size).toBe(1);

    await host.trading.setTradingState('global', 'paused', 'test');
    expect(power.held.size, 'paused: suspension allowed').toBe(0);
    await host.trading.setTradingState('global', 'active', 'test');
    expect(power.held.size, 'active again: blocked again').toBe(1);
    await host.trading.halt({ scope: 'global', cancelOpenOrders: true, flattenPositions: false, actor: 'test' });
    expect(power.held.size, 'halted: suspension allowed').toBe(0);
    await host.trading.setTradingState('global', 'active', 'test');
    expect(power.held.size).toBe(1);

    ctl.dispose();
    expect(power.held.size, 'quit releases the blocker').toBe(0);
    expect(lines).toContain('power: copying is active; app suspension is blocked');
  });

  it('issue 12 #16: a resume event reconnects every account and re-arms only after reading them, with an alert', async () => {
    world = await openHostWorld({ accounts: ['lead', 'f1', 'f2'] });
    const w = world;
    const power = new FakePower();
    const lines: string[] = [];
    const alerts: string[] = [];
    w.host.on('alert', (a) => alerts.push(a.message));
    const ctl = new PowerController(power, w.host, (l) => lines.push(l));
    power.fire('suspend');
    power.fire('resume');
    await until(() => lines.some((l) => l.startsWith('power: resumed from sleep')), () => `resume handled; log: ${lines.join(' | ')}`);
    expect(lines).toContain('power: resumed from sleep; 3 accounts reconnected and read again before re-arming');
    expect(alerts).toContain('resumed from sleep: reconnecting 3 accounts');
    await until(() => w.host.snapshot().armed, 'armed again after the reads');
    w.trade('MSFT', 'buy', 2);
    await until(() => w.pos('f1', 'MSFT') === '2' && w.pos('f2', 'MSFT') === '2', 'both followers copy after the resume');
    expect(power.held.size).toBe(1);
    ctl.dispose();
  });
});
