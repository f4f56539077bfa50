// The lifecycle through the contract on a real AppHost: the kill switch per scope, a halted workspace across a restart,
// the resume preview and resume modes (audited), and flatten orders in the copies query and CSV.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { openHostWorld, until, type HostWorld } from './host-world.js';

const worlds: HostWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.host.close();
});

async function open(opts: Parameters<typeof openHostWorld>[0] = {}): Promise<HostWorld> {
  const w = await openHostWorld(opts);
  worlds.push(w);
  return w;
}

describe('lifecycle through the contract', () => {
  it('engine:halt takes one follower: it is halted and flattened with a journaled flatten order, the other keeps copying', async () => {
    const w = await open();
    const d = createDispatcher(w.host, { coalesceMs: 1 });
    w.trade('MSFT', 'buy', 2);
    await until(() => w.pos('f1', 'MSFT') === '2' && w.pos('f2', 'MSFT') === '2', 'first copies');
    const res = await d.dispatch('engine:halt', { scope: 'f1', cancelOpenOrders: true, flattenPositions: true }, 'it');
    expect(res.ok, JSON.stringify(res)).toBe(true);
    const report = (res as { value: { ok: boolean; followers: { accountId: string; flattened: unknown[] }[] } }).value;
    expect(report.ok).toBe(true);
    expect(report.followers).toMatchObject([{ accountId: 'f1', flattened: [{ symbol: 'MSFT', ok: true }] }]);
    expect(w.host.snapshot().trading).toMatchObject({ global: 'active', followers: { f1: 'halted' } });
    await until(() => w.pos('f1', 'MSFT') === '0', 'f1 flattened');
    w.trade('MSFT', 'buy', 1);
    await until(() => w.pos('f2', 'MSFT') === '3', 'f2 keeps copying');
    expect(w.pos('f1', 'MSFT')).toBe('0');

    const flattens = await d.dispatch('copies:list', { purpose: 'flatten' }, 'it');
    expect(flattens).toMatchObject({ ok: true, value: { items: [{ followerAccountId: 'f1', purpose: 'flatten', side: 'sell', qty: '2' }] } });
    const csv = await d.dispatch('copies:export-csv', { purpose: 'flatten' }, 'it');
    expect((csv as { value: { csv: string } }).value.csv).toContain(',flatten,');
  });

  it('a halted workspace stays halted across an AppHost restart until a person resumes it', async () => {
    const first = await open();
    await first.host.trading.halt({ scope: 'global', cancelOpenOrders: false, flattenPositions: false, actor: 'it' });
    await first.host.close();
    worlds.splice(0);
    const again = await open({ dataDir: first.dataDir, exchange: first.exchange, config: false });
    expect(again.host.snapshot().trading.global).toBe('halted');
    await until(() => again.host.snapshot().armed, 'armed after the restart');
    let executions = 0;
    again.host.on('execution', () => executions++);
    again.trade('MSFT', 'buy', 1);
    await until(() => executions > 0, 'the leader execution reaches the engine');
    await again.host.trading.reconcileNow('it');
    expect(again.host.snapshot().trading.global).toBe('halted');
    expect(again.venueOrders('f1') + again.venueOrders('f2')).toBe(0);
  });

  it('issue 9 #13: engine:resume-preview shows the orders; engine:resume with a mode applies it and the choice is audited', async () => {
    const w = await open();
    const d = createDispatcher(w.host, { coalesceMs: 1 });
    expect((await d.dispatch('engine:halt', { scope: 'global' }, 'it')).ok).toBe(true);
    w.trade('MSFT', 'buy', 2);
    await until(() => w.host.snapshot().counters.copies === 0 && w.exchange.position('lead', 'MSFT').toString() === '2', 'leader traded');
    const preview = await d.dispatch('engine:resume-preview', { scope: 'global' }, 'it');
    expect(preview).toMatchObject({
      ok: true,
      value: { scope: 'global', items: [{ followerAccountId: 'f1', symbol: 'MSFT', target: '2', orders: [{ side: 'buy', qty: '2' }] }, { followerAccountId: 'f2' }] },
    });
    expect(w.venueOrders('f1')).toBe(0);
    expect(await d.dispatch('followers:set-state', { accountId: 'f2', state: 'paused' }, 'it')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('engine:resume', { scope: 'global', mode: 'align' }, 'alice')).toEqual({ ok: true, value: null });
    await until(() => w.pos('f1', 'MSFT') === '2', 'f1 aligned at once');
    expect(await d.dispatch('followers:set-state', { accountId: 'f2', state: 'active', mode: 'new_only' }, 'bob')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('engine:resume', { mode: 'sideways' }, 'it')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const audit = await d.dispatch('audit:list', { limit: 20 }, 'it');
    const rows = (audit as { value: { items: { actor: string; action: string; details?: Record<string, unknown> }[] } }).value.items;
    expect(rows.filter((r) => r.action === 'resume').map((r) => [r.actor, r.details])).toEqual(
      expect.arrayContaining([
        ['alice', { scope: 'global', mode: 'align' }],
        ['bob', { scope: 'f2', mode: 'new_only' }],
      ]),
    );
    expect(w.pos('f2', 'MSFT')).toBe('0');
  });
});
