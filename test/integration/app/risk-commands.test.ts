// Issue 13: the risk channels through the contract on a real AppHost: guards set from the dashboard are saved in the
// workspace and audited, risk:status answers with real values, a breach locks and flattens (risk:changed pushed), a
// person's lock and unlock are audited with actor and reason, and a copy refused by the lock shows in Activity.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { openHostWorld, until, type HostWorld } from './host-world.js';

const worlds: HostWorld[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.host.close();
});

describe('risk through the contract', () => {
  it('issue 13 #10: risk:set-guards (saved, audited), risk:status, a breach locks and flattens, risk:lock/unlock audited', async () => {
    const w = await openHostWorld();
    worlds.push(w);
    const d = createDispatcher(w.host, { coalesceMs: 1 });
    const events: { channel: string; payload: unknown }[] = [];
    const off = d.subscribe((channel, payload) => events.push({ channel, payload }));
    const set = await d.dispatch('risk:set-guards', { accountId: 'f1', guards: { dailyLoss: { limit: '1000', action: 'flatten_lock' } } }, 'desk');
    expect(set).toEqual({ ok: true, value: null });
    expect(w.host.config.accounts.find((a) => a.id === 'f1')?.guards?.dailyLoss).toMatchObject({ limit: '1000', action: 'flatten_lock' });
    const audit = await d.dispatch('audit:list', { action: 'risk-set-guards' }, 'desk');
    expect(audit).toMatchObject({ ok: true, value: { items: [{ actor: 'desk', action: 'risk-set-guards' }] } });

    w.trade('MES', 'buy', 2);
    await until(() => w.pos('f1', 'MES') === '2' && w.pos('f2', 'MES') === '2', 'copies');
    const status = await d.dispatch('risk:status', { accountId: 'f1' }, 'desk');
    expect(status).toMatchObject({ ok: true, value: { accounts: [{ accountId: 'f1', state: 'ok', guards: [{ kind: 'daily_loss', limit: '1000' }] }] } });

    w.exchange.setPrice('MES', '5880');
    await until(() => w.pos('f1', 'MES') === '0', 'f1 flattened by its guard');
    expect(w.pos('f2', 'MES')).toBe('2');
    await until(() => events.some((e) => e.channel === 'risk:changed' && (e.payload as { state: string }).state === 'locked'), 'risk:changed locked');
    w.trade('MES', 'sell', 2);
    w.trade('MES', 'buy', 1);
    await until(() => w.pos('f2', 'MES') === '1', 'f2 keeps copying');
    await until(() => w.host.journal.queries.listCopies({ followerAccountId: 'f1' as never, status: 'not_placed' }).items.length === 1, 'refused copy');
    const refused = await d.dispatch('copies:list', { followerAccountId: 'f1', status: 'not_placed' }, 'desk');
    expect(refused).toMatchObject({ ok: true, value: { items: [{ error: expect.stringMatching(/^refused by risk guard: f1 is locked/) }] } });

    expect(await d.dispatch('risk:unlock', { accountId: 'f1', reason: 'reviewed' }, 'desk')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('risk:lock', { accountId: 'f2', reason: 'stop for today' }, 'desk')).toEqual({ ok: true, value: null });
    await until(() => w.pos('f2', 'MES') === '0', 'f2 flattened by the person');
    const locks = await d.dispatch('audit:list', { actor: 'desk' }, 'desk');
    const rows = (locks as { value: { items: { action: string; details?: Record<string, unknown> }[] } }).value.items;
    expect(rows.filter((r) => r.action.startsWith('risk-')).map((r) => `${r.action}:${String(r.details?.reason ?? '')}`).sort()).toEqual([
      'risk-lock:stop for today',
      'risk-set-guards:',
      'risk-unlock:reviewed',
    ]);
    const all = await d.dispatch('risk:status', undefined, 'desk');
    const states = (all as { value: { accounts: { accountId: string; state: string }[] } }).value.accounts.map((a) => `${a.accountId}:${a.state}`);
    // f1 unlocked by a person: no lock any more (its day loss past the limit still reads as a warning).
    expect(states).toEqual(['lead:ok', 'f1:warning', 'f2:locked']);
    off();
  }, 30_000);
});
