// The bare relay on the ProjectX wire (copy-path bench): log in once, listen to the leader's trades on the user hub
// (SignalR JSON over a WebSocket: handshake, SubscribeTrades), and on each trade POST /api/Order/place for every
// follower at once on keep-alive node:http connections. No reads, no journal: the floor Mirrordesk is measured against.
import { Agent, request } from 'node:http';
import WebSocket from 'ws';
import type { Contender } from './contenders.js';

const RS = '\x1e';
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

interface Answer {
  readonly status: number;
  readonly text: string;
}

function post(rest: string, path: string, body: unknown, token?: string): Promise<Answer> {
  const url = new URL(path, rest);
  const data = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

interface TradeData {
  readonly accountId?: number;
  readonly contractId?: string;
  readonly side?: number;
  readonly size?: number;
  readonly id?: number;
}

/** Connects to the user hub and resolves once the leader's trades are subscribed. */
async function listen(hubUrl: string, token: string, leader: number, onTrade: (t: TradeData) => void): Promise<WebSocket> {
  const ws = new WebSocket(`${hubUrl.replace(/^http/, 'ws')}?access_token=${encodeURIComponent(token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let subscribed: () => void = () => undefined;
  const ready = new Promise<void>((r) => (subscribed = r));
  let buffer = '';
  ws.on('message', (raw) => {
    buffer += String(raw);
    const records = buffer.split(RS);
    buffer = records.pop() ?? '';
    for (const rec of records) {
      if (rec === '{}') {
        ws.send(JSON.stringify({ type: 1, target: 'SubscribeTrades', arguments: [leader], invocationId: '1' }) + RS);
        continue;
      }
      const msg = JSON.parse(rec) as { type?: number; target?: string; invocationId?: string; arguments?: unknown[] };
      if (msg.type === 3 && msg.invocationId === '1') subscribed();
      else if (msg.type === 1 && msg.target === 'GatewayUserTrade') {
        const arg = msg.arguments?.[0] as { data?: TradeData } & TradeData;
        const t = arg?.data ?? arg;
        if (t?.accountId === leader) onTrade(t);
      }
    }
  });
  ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
  await ready;
  return ws;
}

/** The bare ProjectX relay: one market order per follower, all written at once. */
export async function startProjectXRelay(rest: string, hubUrl: string, credentials: { userName: string; apiKey: string }, leader: number, followers: readonly number[]): Promise<Contender> {
  const login = await post(rest, '/api/Auth/loginKey', credentials);
  const token = (JSON.parse(login.text) as { token?: string }).token;
  if (!token) throw new Error(`ProjectX relay login failed (HTTP ${login.status})`);
  // Warm one keep-alive connection per follower, as Mirrordesk has its pool warm before the first copy.
  await Promise.all(followers.map(() => post(rest, '/api/Account/search', { onlyActiveAccounts: true }, token)));
  let last: Promise<unknown> = Promise.resolve();
  const ws = await listen(hubUrl, token, leader, (t) => {
    last = Promise.allSettled(
      followers.map((accountId, i) => post(rest, '/api/Order/place', { accountId, contractId: t.contractId, type: 2, side: t.side, size: t.size, customTag: `r-${t.id ?? 0}-${i}` }, token)),
    );
  });
  return { idle: async () => void (await last), stop: async () => ws.close() };
}
