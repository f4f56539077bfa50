// Bridge security over real sockets: token, Origin/Host, size limits, malformed input, auth limit, static files.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../core/app/dispatcher.js';
import { startBridge, type Bridge } from '../../../core/headless/bridge-server.js';
import { createFakeHost, type FakeHost } from '../../unit/contract/fake-host.js';
import { connect, wsUrl } from './ws-client.js';
import WebSocket from 'ws';
import { createContractClient, createSocketTransport, type SocketLike } from '../../../core/contract/index.js';

let bridge: Bridge | undefined;
let host: FakeHost;

function staticDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'md-static-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Mirrordesk</title>');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'md-outside.txt'), 'outside');
  return dir;
}

async function start(extra: Partial<Parameters<typeof startBridge>[0]> = {}): Promise<Bridge> {
  host = createFakeHost();
  bridge = await startBridge({ dispatcher: createDispatcher(host, { coalesceMs: 1 }), staticDir: staticDir(), log: host.log, authTimeoutMs: 300, ...extra });
  return bridge;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

afterEach(async () => {
  await bridge?.close();
  bridge = undefined;
});

describe('bridge: a correct client', () => {
  it('gets the snapshot on connect, runs commands and receives live events', async () => {
    const b = await start();
    expect(b.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{43}$/);
    const c = await connect(wsUrl(b.url), { Origin: `http://127.0.0.1:${b.port}` });
    await c.next((m) => m.type === 'ready');
    const snap = await c.next((m) => m.type === 'event' && m.channel === 'workspace:changed');
    expect((snap.payload as { accounts: { equity: string }[] }).accounts[0]!.equity).toBe('100000.5');
    expect(await c.invoke('engine:pause', { scope: 'global' })).toEqual({ ok: true, value: null });
    const ev = await c.next((m) => m.type === 'event' && m.channel === 'engine:state-changed');
    expect(ev.payload).toEqual({ scope: 'global', state: 'paused' });
    await c.next((m) => m.type === 'event' && m.channel === 'workspace:changed' && (m.payload as { trading: { global: string } }).trading.global === 'paused');
    expect(host.audit).toEqual([{ actor: 'bridge:127.0.0.1', action: 'state global paused' }]);
    c.ws.close();
  });

  it('serves the typed contract client over the socket transport the browser uses', async () => {
    const b = await start();
    const transport = createSocketTransport(new WebSocket(wsUrl(b.url), { headers: { Origin: `http://127.0.0.1:${b.port}` } }) as unknown as SocketLike);
    const client = createContractClient(transport);
    const states: string[] = [];
    client.on('engine:state-changed', (e) => states.push(e.state));
    await transport.ready;
    const snap = await client.invoke('workspace:snapshot');
    expect(snap.ok && snap.value.trading.global).toBe('active');
    expect(await client.invoke('engine:pause')).toEqual({ ok: true, value: null });
    expect(await client.invoke('copies:list', { limit: 1 })).toMatchObject({ ok: true, value: { total: 1 } });
    expect(states).toEqual(['paused']);
    const closed = new Promise<void>((r) => transport.onClose(r));
    await b.close();
    bridge = undefined;
    await closed;
    expect(await client.invoke('stats:counts')).toMatchObject({ ok: false, error: { code: 'unavailable', retryable: true } });
  });

  it('accepts the token as the first message instead of in the URL (non-browser client, no Origin)', async () => {
    const b = await start();
    const c = await connect(wsUrl(b.url, (u) => u.searchParams.delete('token')));
    c.ws.send(JSON.stringify({ type: 'auth', token: b.token }));
    await c.next((m) => m.type === 'ready');
    expect((await c.invoke('accounts:test', { accountId: 'f1' })).ok).toBe(true);
    c.ws.close();
  });

  it('answers malformed JSON, bad envelopes, unknown channels and hostile payloads without dropping the client', async () => {
    const b = await start();
    const c = await connect(wsUrl(b.url));
    await c.next((m) => m.type === 'ready');
    const before = host.state();
    c.ws.send('{"type": "invoke", ');
    expect(await c.next((m) => m.type === 'error')).toMatchObject({ error: { code: 'invalid_request', message: 'malformed JSON' } });
    c.ws.send(JSON.stringify({ type: 'invoke', id: { evil: 1 }, channel: 'engine:halt' }));
    expect(c.messages.filter((m) => m.type === 'error').length).toBeLessThanOrEqual(2);
    await c.next((m) => m.type === 'error' && (m.error as { message: string }).message.startsWith('not a bridge message'));
    expect((await c.invoke('engine:explode', {})).error?.code).toBe('unknown_channel');
    expect((await c.invoke('__proto__', {})).error?.code).toBe('unknown_channel');
    for (const payload of [{ scope: { $gt: '' } }, { scope: 'global', cancelOpenOrders: 'true' }, [1, 2], 'halt', { __proto__: { x: 1 }, scope: 'nope nope' }]) {
      expect((await c.invoke('engine:halt', payload)).error?.code).toBe('invalid_request');
    }
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await c.next((m) => m.type === 'error' && (m.error as { message: string }).message.includes('binary'));
    expect(host.state()).toBe(before);
    expect((await c.invoke('stats:counts')).ok).toBe(true);
    c.ws.close();
  });
});

describe('bridge: refused connections', () => {
  it('refuses a wrong token in the URL and a client that never authenticates', async () => {
    const b = await start();
    await expect(connect(wsUrl(b.url, (u) => u.searchParams.set('token', 'guess')))).rejects.toThrow('HTTP 401');
    const silent = await connect(wsUrl(b.url, (u) => u.searchParams.delete('token')));
    expect((await silent.closed).code).toBe(4401);
    const eager = await connect(wsUrl(b.url, (u) => u.searchParams.delete('token')));
    eager.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'engine:halt', payload: {} }));
    expect((await eager.closed).code).toBe(4401);
    const wrong = await connect(wsUrl(b.url, (u) => u.searchParams.delete('token')));
    wrong.ws.send(JSON.stringify({ type: 'auth', token: `${b.token}x` }));
    expect((await wrong.closed).code).toBe(4401);
    expect(wrong.messages).toEqual([]);
    expect(host.audit).toEqual([]);
  });

  it('refuses a foreign Origin and a foreign Host (DNS rebinding) even with the right token', async () => {
    const b = await start();
    await expect(connect(wsUrl(b.url), { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(b.url), { Origin: `http://localhost:${b.port + 1}` })).rejects.toThrow('HTTP 403');
    await expect(connect(wsUrl(b.url), { Host: `evil.example:${b.port}`, Origin: `http://evil.example:${b.port}` })).rejects.toThrow('HTTP 403');
    expect((await get(b.port, '/', { Host: `evil.example:${b.port}` })).status).toBe(421);
    expect(host.log && host.lines.join('\n')).not.toContain(b.token);
  });

  it('closes a client that sends an oversized message, changing nothing', async () => {
    const b = await start({ maxMessageBytes: 4096 });
    const c = await connect(wsUrl(b.url));
    await c.next((m) => m.type === 'ready');
    const before = host.state();
    c.ws.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'accounts:add', payload: { id: 'big', label: 'x'.repeat(10_000), broker: 'sim' } }));
    expect((await c.closed).code).toBe(1009);
    expect(host.state()).toBe(before);
  });

  it('refuses an address after repeated failed authentications, even with the right token', async () => {
    const b = await start({ maxFailedAuth: 3 });
    for (let i = 0; i < 3; i++) await expect(connect(wsUrl(b.url, (u) => u.searchParams.set('token', `bad${i}`)))).rejects.toThrow('HTTP 401');
    await expect(connect(wsUrl(b.url))).rejects.toThrow('HTTP 429');
  });

  it('binds 127.0.0.1 only unless remote access is explicitly allowed', async () => {
    host = createFakeHost();
    await expect(startBridge({ dispatcher: createDispatcher(host), staticDir: staticDir(), log: host.log, bindAddress: '0.0.0.0' })).rejects.toThrow(/refusing to serve/);
    bridge = await startBridge({ dispatcher: createDispatcher(host), staticDir: staticDir(), log: host.log, bindAddress: '0.0.0.0', allowRemote: true });
    expect(host.lines.some((l) => l.includes('WARNING serving on 0.0.0.0'))).toBe(true);
  });
});

describe('bridge: static files', () => {
  it('serves the renderer with a CSP and refuses traversal and other methods', async () => {
    const b = await start();
    const index = await get(b.port, '/?token=abc');
    expect(index.status).toBe(200);
    expect(index.body).toContain('<title>Mirrordesk</title>');
    expect(index.headers['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${b.port}`);
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(index.headers['referrer-policy']).toBe('no-referrer');
    const js = await get(b.port, '/assets/app.js');
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBeUndefined();
    for (const p of ['/../md-outside.txt', '/%2e%2e/md-outside.txt', '/..%2fmd-outside.txt', '/assets/%00', '/nope.html']) {
      const r = await get(b.port, p);
      expect([400, 404], p).toContain(r.status);
      expect(r.body).not.toContain('outside');
    }
    expect((await get(b.port, '/', {}, 'POST')).status).toBe(405);
  });
});
