// The ProjectX simulator checked on the wire with a raw WebSocket and fetch, independently of the SignalR client.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RS } from '../../sims/projectx/framing.js';
import type { ProjectXSim } from '../../sims/projectx/server.js';
import { API_KEY, LEADER, MES, USER, startSim } from './harness.js';

let sim: ProjectXSim;
const post = async (path: string, body: unknown, token?: string) => {
  const res = await fetch(`${sim.restUrl}/api/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined };
};
const login = async () => (await post('Auth/loginKey', { userName: USER, apiKey: API_KEY })).body!.token as string;

/** A raw hub client: collects every text frame as it arrived. */
async function rawHub(token: string | undefined): Promise<{ ws: WebSocket; frames: string[]; next: (pred: (f: string) => boolean) => Promise<string> }> {
  const url = sim.hubUrl.replace('http', 'ws') + (token ? `?access_token=${token}` : '');
  const ws = new WebSocket(url);
  const frames: string[] = [];
  const waiters: { pred: (f: string) => boolean; resolve: (f: string) => void }[] = [];
  ws.on('message', (d) => {
    const f = d.toString();
    frames.push(f);
    for (const w of [...waiters]) if (w.pred(f)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(f);
    }
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (pred: (f: string) => boolean) => {
    const hit = frames.find(pred);
    return hit ? Promise.resolve(hit) : new Promise<string>((resolve) => waiters.push({ pred, resolve }));
  };
  return { ws, frames, next };
}
const records = (frame: string) => frame.split(RS).filter(Boolean).map((r) => JSON.parse(r) as Record<string, unknown>);

beforeEach(async () => {
  sim = await startSim({ pingIntervalMs: 100 });
});
afterEach(async () => {
  await sim.close();
});

describe('ProjectX simulator hub framing', () => {
  it('coalesces the handshake reply with the first event in one frame', async () => {
    sim.hub.greeting = [{ type: 1, target: 'GatewayUserAccount', arguments: [{ action: 1, data: { id: LEADER, name: 'x', balance: 1, canTrade: true } }] }];
    const c = await rawHub(await login());
    c.ws.send(`{"protocol":"json","version":1}${RS}`);
    const first = await c.next(() => true);
    expect(first.startsWith(`{}${RS}`)).toBe(true);
    const recs = records(first);
    expect(recs).toHaveLength(2);
    expect(recs[1]!.target).toBe('GatewayUserAccount');
    c.ws.close();
  });

  it('accepts a handshake and invocations in one frame, a record split across frames, and batches an event sequence', async () => {
    const c = await rawHub(await login());
    const hs = `{"protocol":"json","version":1}${RS}`;
    const inv = (id: string, target: string) => JSON.stringify({ type: 1, invocationId: id, target, arguments: [LEADER] }) + RS;
    c.ws.send(hs + inv('0', 'SubscribeOrders') + inv('1', 'SubscribeTrades').slice(0, 20));
    c.ws.send(inv('1', 'SubscribeTrades').slice(20) + inv('2', 'SubscribePositions'));
    await c.next((f) => f.includes('"invocationId":"2"'));
    const completions = c.frames.flatMap(records).filter((r) => r.type === 3).map((r) => r.invocationId);
    expect(completions).toEqual(['0', '1', '2']);

    sim.trade(LEADER, MES, 'buy', 3);
    const batch = await c.next((f) => f.includes('GatewayUserTrade'));
    const recs = records(batch);
    expect(recs.length).toBeGreaterThanOrEqual(4);
    const seq = recs.filter((r) => r.type === 1).map((r) => {
      const arg = (r.arguments as { action: number; data: Record<string, unknown> }[])[0]!;
      return `${String(r.target)}:${String(arg.data.status ?? arg.data.size)}`;
    });
    expect(seq).toEqual(['GatewayUserOrder:6', 'GatewayUserTrade:3', 'GatewayUserOrder:2', 'GatewayUserPosition:3']);
    // Found by target, not position: a ping whose timer fired in the same loop turn shares the frame, ahead of the events.
    const trade = (recs.find((r) => r.target === 'GatewayUserTrade')!.arguments as { data: Record<string, unknown> }[])[0]!.data;
    expect('profitAndLoss' in trade).toBe(false);
    expect(trade.creationTimestamp).toMatch(/\.\d{7}\+00:00$/);
    expect(trade.orderId as number).toBeGreaterThan(2 ** 31);
    c.ws.close();
  });

  it('answers bad arguments and unknown methods with error completions, and pings periodically', async () => {
    const c = await rawHub(await login());
    c.ws.send(`{"protocol":"json","version":1}${RS}`
      + JSON.stringify({ type: 1, invocationId: '7', target: 'SubscribeOrders', arguments: ['nope'] }) + RS
      + JSON.stringify({ type: 1, invocationId: '8', target: 'Bogus', arguments: [] }) + RS);
    await c.next((f) => f.includes('"invocationId":"8"'));
    const errs = c.frames.flatMap(records).filter((r) => r.type === 3);
    expect(errs.map((r) => r.invocationId)).toEqual(['7', '8']);
    expect(errs.every((r) => typeof r.error === 'string')).toBe(true);
    await c.next((f) => records(f).some((r) => r.type === 6));
    c.ws.close();
  });

  it('refuses the upgrade without a valid token and sends GatewayLogout before a close message', async () => {
    await expect(rawHub(undefined)).rejects.toThrow(/401/);
    const token = await login();
    sim.expireTokens();
    await expect(rawHub(token)).rejects.toThrow(/401/);
    const c = await rawHub(await login());
    c.ws.send(`{"protocol":"json","version":1}${RS}`);
    await c.next((f) => f.startsWith('{}'));
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    sim.hub.logout();
    const f = await c.next((x) => x.includes('GatewayLogout'));
    expect(records(f).map((r) => r.type)).toEqual([1, 7]);
    await closed;
  });

  it('rejects a non-JSON protocol handshake with an error record', async () => {
    const c = await rawHub(await login());
    c.ws.send(`{"protocol":"messagepack","version":1}${RS}`);
    const f = await c.next(() => true);
    expect(typeof records(f)[0]!.error).toBe('string');
  });
});

describe('ProjectX simulator REST', () => {
  it('logs in, refreshes through validate, logs out, and answers 400/401 like the gateway', async () => {
    expect((await post('Auth/loginKey', { userName: USER })).status).toBe(400);
    const bad = await post('Auth/loginKey', { userName: USER, apiKey: 'wrong' });
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({ success: false, errorCode: 3, token: null });
    const token = await login();
    expect(token.split('.')).toHaveLength(3);
    expect((await post('Account/search', { onlyActiveAccounts: true })).status).toBe(401);
    const v = await post('Auth/validate', {}, token);
    expect(typeof v.body!.newToken).toBe('string');
    expect((await post('Account/search', { onlyActiveAccounts: true }, token)).status).toBe(200);
    await post('Auth/logout', {}, token);
    expect((await post('Account/search', { onlyActiveAccounts: true }, token)).status).toBe(401);
    expect((await post('Order/place', { accountId: LEADER }, v.body!.newToken as string)).status).toBe(400);
  });

  it('maps errors per endpoint: place 2 rejected with an orderId, cancel 2 not found, tags burned by rejections', async () => {
    const token = await login();
    const place = (extra: Record<string, unknown>) =>
      post('Order/place', { accountId: LEADER, contractId: MES, type: 2, side: 0, size: 1, ...extra }, token);
    const rej = await place({ customTag: 't1', stopLossBracket: { ticks: -10, type: 4 } });
    expect(rej.body).toMatchObject({ success: false, errorCode: 2 });
    expect(typeof rej.body!.orderId).toBe('number');
    expect(rej.body!.errorMessage).toMatch(/Auto OCO/);
    expect((await place({ customTag: 't1' })).body).toMatchObject({ errorCode: 2, errorMessage: 'custom tag already in use' });
    expect((await place({ contractId: 'CON.F.US.MES.U26' })).body).toMatchObject({ errorCode: 9 });
    expect((await post('Order/cancel', { accountId: LEADER, orderId: 1 }, token)).body).toMatchObject({ errorCode: 2 });
    expect((await post('Position/closeContract', { accountId: LEADER, contractId: MES }, token)).body).toMatchObject({ errorCode: 2 });
    sim.trade(LEADER, MES, 'buy', 2);
    expect((await post('Position/partialCloseContract', { accountId: LEADER, contractId: MES, size: 3 }, token)).body).toMatchObject({ errorCode: 5 });
    expect((await post('Position/partialCloseContract', { accountId: LEADER, contractId: MES, size: 1 }, token)).body).toMatchObject({ success: true });
    expect(sim.exchange.position(LEADER, MES)).toBe(1);
  });

  it('answers 429 with Retry-After during a burst and past the rolling window', async () => {
    const token = await login();
    sim.rateLimitBurst(1, 2);
    const r = await post('Account/search', { onlyActiveAccounts: true }, token);
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('2');
    expect((await post('Account/search', { onlyActiveAccounts: true }, token)).status).toBe(200);
  });

  it('serves negotiate for clients that do not skip it', async () => {
    const res = await fetch(`${sim.restUrl}/hubs/user/negotiate?negotiateVersion=1`, { method: 'POST' });
    const body = (await res.json()) as { availableTransports: { transport: string }[] };
    expect(body.availableTransports[0]!.transport).toBe('WebSockets');
  });
});
