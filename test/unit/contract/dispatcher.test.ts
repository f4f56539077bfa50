// The dispatcher against an in-memory host: validation, error mapping, secret scrubbing, event fan-out.
import { describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { BrokerError } from '../../../core/domain/errors.js';
import { dec } from '../../../core/domain/decimal.js';
import { resultSchema, DEMO_BURST_MAX, INVOKE_CHANNELS, type EventChannel } from '../../../core/contract/index.js';
import { ConfigError } from '../../../core/app/config-file.js';
import { MAX_DEMO_BURST } from '../../../core/brokers/sim/demo-trader.js';
import { z } from 'zod';
import { createFakeHost } from './fake-host.js';

const envelope = resultSchema(z.unknown());
const flush = () => new Promise((r) => setTimeout(r, 5));

describe('dispatcher', () => {
  it('serves the snapshot with decimals as strings', async () => {
    const d = createDispatcher(createFakeHost());
    const r = await d.dispatch('workspace:snapshot', undefined, 'test');
    expect(r.ok).toBe(true);
    const snap = (r as { value: { accounts: { equity: string; positions: { qty: string }[] }[]; links: { sizing: { value: string } }[] } }).value;
    expect(snap.accounts[0]!.equity).toBe('100000.5');
    expect(snap.accounts[0]!.positions[0]!.qty).toBe('-2');
    expect(snap.links[0]!.sizing.value).toBe('0.5');
  });

  it('refuses unknown channels, including prototype names', async () => {
    const d = createDispatcher(createFakeHost());
    for (const c of ['nope', 'constructor', '__proto__', 'toString', 'engine:halt ', 42, null, undefined, { a: 1 }]) {
      const r = await d.dispatch(c, {}, 'test');
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_channel', retryable: false } });
    }
  });

  it('runs commands with the actor and validates their payloads', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    expect(await d.dispatch('engine:pause', undefined, 'desktop')).toEqual({ ok: true, value: null });
    expect(host.audit).toEqual([{ actor: 'desktop', action: 'state global paused' }]);
    const bad = await d.dispatch('engine:halt', { scope: 'global', flattenPositions: 'yes' }, 'desktop');
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((bad as { error: { message: string } }).error.message).toContain('flattenPositions');
    const halted = await d.dispatch('engine:halt', { flattenPositions: true }, 'desktop');
    expect(halted).toEqual({ ok: true, value: { cancelled: 0, flattened: [] } });
    expect(await d.dispatch('engine:start', undefined, 'tray')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await d.dispatch('engine:resume', undefined, 'tray')).toEqual({ ok: true, value: null });
  });

  it('maps host errors to clean codes', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    expect(await d.dispatch('accounts:remove', { id: 'ghost' }, 't')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await d.dispatch('accounts:remove', { id: 'f1' }, 't')).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await d.dispatch('copies:get', { id: 'zzz' }, 't')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    host.failNext(new BrokerError('timeout', 'no answer in 5 s'));
    expect(await d.dispatch('engine:pause', {}, 't')).toEqual({
      ok: false,
      error: { code: 'unavailable', message: 'timeout: no answer in 5 s', retryable: true },
    });
    host.failNext(new TypeError('cannot read x of undefined\n    at Foo (/src/app.ts:1:1)'));
    const internal = await d.dispatch('engine:pause', {}, 't');
    expect(internal).toEqual({ ok: false, error: { code: 'internal', message: 'internal error (details are in the log)', retryable: false } });
    expect(host.lines.some((l) => l.includes('cannot read x of undefined') && !l.includes('/src/app.ts'))).toBe(true);
  });

  it('puts every issue of a refused workspace change on one line, naming the fields', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    host.failNext(new ConfigError('workspace', ['links[2].follower: "x" is the leader\'s own broker account', 'accounts[1].id: duplicate account id "y"']));
    expect(await d.dispatch('engine:pause', {}, 't')).toEqual({
      ok: false,
      error: {
        code: 'invalid_request',
        message: 'invalid workspace: links[2].follower: "x" is the leader\'s own broker account; accounts[1].id: duplicate account id "y"',
        retryable: false,
      },
    });
  });

  it('runs the demo burst with the parsed trade count and refuses counts outside 1..200', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    expect(await d.dispatch('workspace:demo-burst', { trades: 80 }, 'desktop')).toEqual({ ok: true, value: { sent: 80 } });
    expect(host.audit).toEqual([{ actor: 'desktop', action: 'demo-burst 80' }]);
    for (const trades of [0, 201, 1.5, null]) {
      expect(await d.dispatch('workspace:demo-burst', { trades }, 'desktop')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(DEMO_BURST_MAX).toBe(MAX_DEMO_BURST);
    expect(host.audit).toHaveLength(1);
  });

  it('never echoes credentials in errors or logs', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    const secret = 'SK-very-secret-0123456789';
    const wrong = await d.dispatch('credentials:set', { accountId: 'f1', credentials: { keyId: 'AK1', secretKey: secret, extra: secret } }, 't');
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    host.failNext(new Error(`keychain refused ${secret}`));
    const failed = await d.dispatch('credentials:set', { accountId: 'f1', credentials: { keyId: 'AK1', secretKey: secret } }, 't');
    expect(failed).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(JSON.stringify([wrong, failed, host.lines])).not.toContain(secret);
    expect((wrong as { error: { message: string } }).error.message).toContain('credentials');
    host.failNext(new Error(`no keychain entry for f1 with ${secret}`));
    const named = await d.dispatch('credentials:set', { accountId: 'f1', credentials: { keyId: 'AK1', secretKey: secret } }, 't');
    expect(host.lines.at(-1)).toContain('no keychain entry for f1 with ***');
    expect(JSON.stringify(named)).not.toContain(secret);
    expect(await d.dispatch('credentials:set', { accountId: 'f1', credentials: { keyId: 'AK1', secretKey: secret } }, 't')).toEqual({ ok: true, value: null });
    const snap = await d.dispatch('workspace:snapshot', undefined, 't');
    expect(JSON.stringify(snap)).not.toContain(secret);
    expect(JSON.stringify(snap)).toContain('"hasCredentials":true');
  });

  it('applies partial updates to accounts and links, refusing unknown or immutable fields', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host);
    expect(await d.dispatch('accounts:update', { id: 'f1', patch: { label: 'Renamed' } }, 't')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('accounts:update', { id: 'f1', patch: { broker: 'alpaca' } }, 't')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await d.dispatch('accounts:update', { id: 'f1', patch: {} }, 't')).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await d.dispatch('links:update', { id: 'lead->f1', patch: { sizing: { mode: 'fixed', value: '3' } } }, 't')).toEqual({ ok: true, value: null });
    expect(await d.dispatch('links:update', { id: 'lead->f1', patch: { sizing: { mode: 'fixed', value: '-3' } } }, 't')).toMatchObject({ ok: false });
    const snap = (await d.dispatch('workspace:snapshot', undefined, 't')) as { value: { links: { sizing: { mode: string; value: string } }[] } };
    expect(snap.value.links[0]!.sizing).toEqual({ mode: 'fixed', value: '3' });
  });

  it('answers every query channel with a contract-valid result', async () => {
    const d = createDispatcher(createFakeHost());
    const payloads: Record<string, unknown> = { 'copies:get': { id: 'i1' }, 'alerts:list': {}, 'copies:list': {}, 'audit:list': {}, 'copies:export-csv': {} };
    for (const [c, p] of Object.entries(payloads)) {
      const r = await d.dispatch(c, p, 't');
      expect(envelope.safeParse(r).success).toBe(true);
      expect(r.ok, c).toBe(true);
    }
    const list = (await d.dispatch('copies:list', { limit: 10 }, 't')) as { value: { items: { slippage: string }[] } };
    expect(list.value.items[0]!.slippage).toBe('0.25');
    const detail = (await d.dispatch('copies:get', { id: 'i1' }, 't')) as { value: { fills: { price: string }[] } };
    expect(detail.value.fills[0]!.price).toBe('5000.25');
    expect(INVOKE_CHANNELS.length).toBeGreaterThan(20);
  });

  it('fans out host events as contract events, coalescing snapshots and reporting breaker trips', async () => {
    const host = createFakeHost();
    const d = createDispatcher(host, { coalesceMs: 1 });
    const got: [EventChannel, unknown][] = [];
    const unsub = d.subscribe((c, p) => got.push([c, p]));
    host.emit('intent', { id: 'i9', followerAccountId: 'f1', symbol: 'MES', side: 'sell', qty: dec('1.5'), status: 'accepted' });
    host.emit('alert', { id: 'a2', time: 5, severity: 'critical', code: 'breaker_tripped', message: 'breaker', acknowledged: false });
    host.tripBreaker('f1');
    host.emit('snapshot');
    host.emit('snapshot');
    await flush();
    const channels = got.map(([c]) => c);
    expect(channels).toEqual(['copy:updated', 'alerts:raised', 'breaker:tripped', 'workspace:changed']);
    expect((got[0]![1] as { qty: string }).qty).toBe('1.5');
    await d.dispatch('breaker:reset', { scope: 'f1' }, 't');
    await flush();
    expect(got.map(([c]) => c).slice(4)).toEqual(['breaker:cleared', 'workspace:changed']);
    host.emit('alert', { id: 'bad', severity: 'nonsense' });
    expect(got.length).toBe(6);
    expect(host.lines.some((l) => l.includes('alerts:raised does not match'))).toBe(true);
    unsub();
    host.emit('intent', { id: 'i10', followerAccountId: 'f1', symbol: 'MES', side: 'sell', qty: dec('1'), status: 'accepted' });
    expect(got.length).toBe(6);
  });
});
