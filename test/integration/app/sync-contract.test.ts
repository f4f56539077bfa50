// Issue 12 #6 and #11 through the contract on a real AppHost: links:add without a start copies new trades only (the
// leader's open position is not opened), links:preview + start 'align' with the shown orders sends them; sync:view
// shows the drift and sync:apply sends the confirmed repair, audited with the actor, refused while halted.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { openHostWorld, pause, until, type HostWorld } from './host-world.js';

const worlds: HostWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.host.close();
});

type Value<T> = { ok: true; value: T } | { ok: false; error: { message: string } };
type Preview = { items: { symbol: string; orders: { side: 'buy' | 'sell'; qty: string }[] }[] };
type View = { rows: { linkId: string; followerAccountId: string; symbol: string; drift: string; canApply: boolean; note?: string; orders: { side: string; qty: string }[] }[] };

describe('issue 12 #6 and #11 through the contract', () => {
  it('issue 12 #11: links:add defaults to new trades only; align sends exactly the previewed orders', async () => {
    const w = await openHostWorld({ accounts: ['lead', 'f1', 'f2', 'f3'], links: [{ leader: 'lead', follower: 'f1', sizing: { mode: 'multiplier', value: '1' } }] });
    worlds.push(w);
    const d = createDispatcher(w.host, { coalesceMs: 1 });
    w.trade('MSFT', 'buy', 4);
    await until(() => w.pos('f1', 'MSFT') === '4', 'f1 copies');

    expect(await d.dispatch('links:add', { leader: 'lead', follower: 'f2', sizing: { mode: 'multiplier', value: '1' }, reconcilePolicy: 'repair' }, 'it')).toEqual({ ok: true, value: null });
    await until(() => w.host.snapshot().armed === true, 'f2 armed');
    await d.dispatch('engine:reconcile', undefined, 'it');
    await pause(200);
    expect(w.venueOrders('f2'), 'the default start sends nothing for the open position').toBe(0);

    const preview = (await d.dispatch('links:preview', { leader: 'lead', follower: 'f3', sizing: { mode: 'multiplier', value: '2' } }, 'it')) as Value<Preview>;
    expect(preview).toMatchObject({ ok: true, value: { items: [{ symbol: 'MSFT', orders: [{ side: 'buy', qty: '8' }] }] } });
    const orders = preview.ok ? preview.value.items.flatMap((i) => i.orders.map((o) => ({ symbol: i.symbol, ...o }))) : [];
    const added = await d.dispatch('links:add', { leader: 'lead', follower: 'f3', sizing: { mode: 'multiplier', value: '2' }, start: 'align', orders }, 'it');
    expect(added).toEqual({ ok: true, value: null });
    await until(() => w.pos('f3', 'MSFT') === '8', 'f3 matched');
    expect(w.venueOrders('f3')).toBe(1);
    const audit = (await d.dispatch('audit:list', { action: 'link-add', limit: 5 }, 'it')) as Value<{ items: { details?: Record<string, unknown> }[] }>;
    expect(audit.ok && audit.value.items.map((a) => a.details?.start)).toEqual(['align', 'new_only']);

    w.trade('MSFT', 'buy', 1);
    await until(() => w.pos('f2', 'MSFT') === '1' && w.pos('f3', 'MSFT') === '10', () => `f2 ${w.pos('f2', 'MSFT')}, f3 ${w.pos('f3', 'MSFT')}`);
  });

  it('issue 12 #6: sync:view shows the drift, sync:apply sends the confirmed repair (audited), refused while the follower is halted', async () => {
    const w = await openHostWorld({ accounts: ['lead', 'f1'] });
    worlds.push(w);
    const d = createDispatcher(w.host, { coalesceMs: 1 });
    w.trade('MSFT', 'buy', 3);
    await until(() => w.pos('f1', 'MSFT') === '3', 'f1 copies');
    await d.dispatch('engine:halt', { scope: 'f1', cancelOpenOrders: false, flattenPositions: false }, 'it');
    w.trade('MSFT', 'buy', 2);
    await pause(200);
    const view = (await d.dispatch('sync:view', { followerAccountId: 'f1' }, 'it')) as Value<View>;
    expect(view).toMatchObject({ ok: true, value: { rows: [{ symbol: 'MSFT', drift: '2', canApply: false, orders: [{ side: 'buy', qty: '2' }] }] } });
    const refused = await d.dispatch('sync:apply', { linkId: 'lead->f1', symbol: 'MSFT', orders: [{ side: 'buy', qty: '2' }] }, 'alice');
    expect(refused).toMatchObject({ ok: true, value: { sent: [], refused: [{ reason: expect.stringContaining('halted') }] } });
    expect(w.pos('f1', 'MSFT')).toBe('3');

    await d.dispatch('engine:resume', { scope: 'f1', mode: 'new_only' }, 'it');
    const applied = await d.dispatch('sync:apply', { followerAccountId: 'f1', items: [{ linkId: 'lead->f1', symbol: 'MSFT', orders: [{ side: 'buy', qty: '2' }] }] }, 'alice');
    expect(applied).toMatchObject({ ok: true, value: { sent: [{ side: 'buy', qty: '2', symbol: 'MSFT' }], refused: [] } });
    await until(() => w.pos('f1', 'MSFT') === '5', 'repaired');
    const audit = (await d.dispatch('audit:list', { action: 'sync_apply', limit: 5 }, 'it')) as Value<{ items: { actor: string }[] }>;
    expect(audit.ok && audit.value.items.map((a) => a.actor)).toEqual(['alice', 'alice']);
    expect(await d.dispatch('sync:apply', { linkId: 'nope', symbol: 'MSFT' }, 'alice')).toMatchObject({ ok: false, error: { message: expect.stringContaining('no link "nope"') } });
  });
});
