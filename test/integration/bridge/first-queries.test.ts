// The first screen's queries named in the WebSocket URL: answered on connect (read-only channels only), a malformed
// list refuses the upgrade, and nothing is run for a connection that has not authenticated.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { FIRST_QUERIES_PARAM } from '../../../core/contract/index.js';
import { startBridge, type Bridge } from '../../../core/headless/bridge-server.js';
import { createFakeHost, type FakeHost } from '../../unit/contract/fake-host.js';
import { connect, wsUrl } from './ws-client.js';

let bridge: Bridge | undefined;
let host: FakeHost;

async function start(): Promise<Bridge> {
  const dir = mkdtempSync(join(tmpdir(), 'md-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Mirrordesk</title>');
  host = createFakeHost();
  bridge = await startBridge({ dispatcher: createDispatcher(host, { coalesceMs: 1 }), staticDir: dir, log: host.log, authTimeoutMs: 300 });
  return bridge;
}

const withFirst = (b: Bridge, queries: unknown, token = true) =>
  wsUrl(b.url, (u) => {
    if (!token) u.searchParams.delete('token');
    u.searchParams.set(FIRST_QUERIES_PARAM, typeof queries === 'string' ? queries : JSON.stringify(queries));
  });

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe('bridge: first-screen queries in the URL', () => {
  it('answers each read-only query once, after ready, with id first:<index>, like the same invoke', async () => {
    const b = await start();
    const origin = { Origin: `http://127.0.0.1:${b.port}` };
    const c = await connect(withFirst(b, [{ channel: 'risk:status' }, { channel: 'copies:list', payload: { limit: 5, offset: 0 } }]), origin);
    const risk = await c.next((m) => m.type === 'result' && m.id === 'first:0');
    const copies = await c.next((m) => m.type === 'result' && m.id === 'first:1');
    expect(c.messages.findIndex((m) => m.type === 'ready')).toBe(0);
    expect(risk.result).toEqual(await c.invoke('risk:status'));
    expect(copies.result).toEqual(await c.invoke('copies:list', { limit: 5, offset: 0 }));
    expect((copies.result as { ok: boolean }).ok).toBe(true);
    expect(c.messages.filter((m) => typeof m.id === 'string')).toHaveLength(2);
  });

  it('refuses to run a command named there, and reports a bad request as that query failing', async () => {
    const b = await start();
    const origin = { Origin: `http://127.0.0.1:${b.port}` };
    const c = await connect(withFirst(b, [{ channel: 'engine:pause', payload: { scope: 'global' } }, { channel: 'copies:list', payload: { limit: -1 } }]), origin);
    const pause = await c.next((m) => m.type === 'result' && m.id === 'first:0');
    expect(pause.result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const bad = await c.next((m) => m.type === 'result' && m.id === 'first:1');
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const snap = (await c.invoke('workspace:snapshot')) as { ok: boolean; value?: { trading: { global: string } } };
    expect(snap.value?.trading.global).toBe('active');
    expect(c.messages.some((m) => m.channel === 'engine:state-changed')).toBe(false);
  });

  it('refuses the upgrade when the list is malformed', async () => {
    const b = await start();
    const origin = { Origin: `http://127.0.0.1:${b.port}` };
    await expect(connect(withFirst(b, '[{"channel":'), origin)).rejects.toThrow('HTTP 400');
    await expect(connect(withFirst(b, { channel: 'risk:status' }), origin)).rejects.toThrow('HTTP 400');
    await expect(connect(withFirst(b, Array.from({ length: 9 }, () => ({ channel: 'risk:status' }))), origin)).rejects.toThrow('HTTP 400');
  });

  it('runs nothing before the client authenticated, and the queries once it has', async () => {
    const b = await start();
    const c = await connect(withFirst(b, [{ channel: 'risk:status' }], false), { Origin: `http://127.0.0.1:${b.port}` });
    await new Promise((r) => setTimeout(r, 50));
    expect(c.messages).toEqual([]);
    c.ws.send(JSON.stringify({ type: 'auth', token: b.token }));
    await c.next((m) => m.type === 'ready');
    const risk = await c.next((m) => m.type === 'result' && m.id === 'first:0');
    expect((risk.result as { ok: boolean }).ok).toBe(true);
  });
});
