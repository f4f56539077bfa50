// Copy-path bench contenders that are not Mirrordesk: a bare relay (parse the leader's frame, POST one market order
// per follower at once on keep-alive node:http connections) and a naive sequential copier (per follower: read the
// account, read the asset, then submit, one follower after another). Both speak the Alpaca wire protocol.
import { Agent, request } from 'node:http';
import WebSocket from 'ws';

export interface Keys {
  readonly keyId: string;
  readonly secretKey: string;
}

export interface Contender {
  /** Resolves when everything the last trade started has finished (answers read, fills processed). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

interface FillFrame {
  readonly event: string;
  readonly execution_id?: string;
  readonly qty?: string;
  readonly order?: { readonly symbol?: string; readonly side?: string };
}

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** One HTTP call on the shared keep-alive agent; resolves with the status code once the body is drained. */
export function call(rest: string, k: Keys, method: string, path: string, body?: unknown): Promise<number> {
  const url = new URL(path, rest);
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method,
        path: url.pathname,
        headers: {
          'APCA-API-KEY-ID': k.keyId,
          'APCA-API-SECRET-KEY': k.secretKey,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Opens a keep-alive socket to the REST server before the first copy (both contenders get a warm pool). */
export async function warm(rest: string, followers: readonly Keys[]): Promise<void> {
  await Promise.all(followers.map((k) => call(rest, k, 'GET', '/v2/clock')));
}

/** Listens to the leader's trade_updates and calls onFill for each fill frame. */
async function listen(streamUrl: string, leader: Keys, onFill: (f: FillFrame) => void): Promise<WebSocket> {
  const ws = new WebSocket(streamUrl);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let ready: () => void = () => undefined;
  const listening = new Promise<void>((r) => (ready = r));
  ws.on('message', (raw) => {
    const msg = JSON.parse(String(raw)) as { stream?: string; data?: FillFrame & { status?: string } };
    if (msg.stream === 'authorization' && msg.data?.status === 'authorized') {
      ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
    } else if (msg.stream === 'listening') ready();
    else if (msg.stream === 'trade_updates' && msg.data && (msg.data.event === 'fill' || msg.data.event === 'partial_fill')) onFill(msg.data);
  });
  ws.send(JSON.stringify({ action: 'authenticate', data: { key_id: leader.keyId, secret_key: leader.secretKey } }));
  await listening;
  return ws;
}

function orderBody(f: FillFrame, i: number): Record<string, string> {
  return {
    symbol: f.order?.symbol ?? '',
    qty: f.qty ?? '0',
    side: f.order?.side ?? 'buy',
    type: 'market',
    time_in_force: 'day',
    client_order_id: `${f.execution_id ?? 'x'}-${i}`,
  };
}

/** The bare relay: every follower's POST is written at once, no reads, no journal. */
export async function startRelay(rest: string, streamUrl: string, leader: Keys, followers: readonly Keys[]): Promise<Contender> {
  await warm(rest, followers);
  let last: Promise<unknown> = Promise.resolve();
  const ws = await listen(streamUrl, leader, (f) => {
    last = Promise.allSettled(followers.map((k, i) => call(rest, k, 'POST', '/v2/orders', orderBody(f, i))));
  });
  return { idle: async () => void (await last), stop: async () => ws.close() };
}

/** The naive copier: per follower, read the account and the asset, then submit; followers one after another. */
export async function startNaive(rest: string, streamUrl: string, leader: Keys, followers: readonly Keys[]): Promise<Contender> {
  await warm(rest, followers);
  let chain = Promise.resolve();
  const ws = await listen(streamUrl, leader, (f) => {
    chain = chain.then(async () => {
      for (const [i, k] of followers.entries()) {
        await call(rest, k, 'GET', '/v2/account');
        await call(rest, k, 'GET', `/v2/assets/${f.order?.symbol ?? ''}`);
        await call(rest, k, 'POST', '/v2/orders', orderBody(f, i));
      }
    }).catch(() => undefined);
  });
  return { idle: () => chain, stop: async () => ws.close() };
}
