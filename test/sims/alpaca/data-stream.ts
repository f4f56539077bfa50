// Simulator market data WebSocket (/v2/iex|sip|test): connected greeting, auth within a deadline, subscribe/unsubscribe
// of trades and quotes, T-typed arrays, IEX's 30-symbol limit, one connection per key (406), and faults.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

export type DataFeed = 'iex' | 'sip' | 'test';

interface Conn {
  readonly ws: WebSocket;
  readonly feed: DataFeed;
  keyId?: string;
  readonly trades: Set<string>;
  readonly quotes: Set<string>;
  stalled: boolean;
  authTimer: NodeJS.Timeout;
}

export interface DataStreamOptions {
  /** Auth must arrive this soon after connecting (Alpaca: a few seconds). */
  readonly authTimeoutMs?: number;
  /** Trade/quote symbols per connection on the IEX feed. */
  readonly iexSymbolLimit?: number;
}

const LISTS = ['trades', 'quotes', 'bars', 'updatedBars', 'dailyBars', 'statuses', 'lulds'] as const;

export class SimDataStream {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  readonly conns = new Set<Conn>();
  /** Keys whose connection slot stays taken after a drop until this time (half-dead connections, ~90 s live). */
  private readonly held = new Map<string, number>();
  /** Every client message received, for assertions (credentials replaced). */
  readonly received: { keyId?: string; action: string; trades?: string[]; quotes?: string[] }[] = [];
  /** Every price published (Date.now() when sent): the breaching tick's time for latency assertions. */
  readonly published: { symbol: string; price: string; at: number }[] = [];
  private tradeSeq = 1;
  private readonly authTimeoutMs: number;
  private readonly iexLimit: number;

  constructor(
    private readonly auth: (keyId: string, secret: string) => boolean,
    opts: DataStreamOptions = {},
  ) {
    this.authTimeoutMs = opts.authTimeoutMs ?? 5_000;
    this.iexLimit = opts.iexSymbolLimit ?? 30;
  }

  /** Handles an upgrade for /v2/{feed}; false when the path is not a data stream. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const m = /^\/v2\/(iex|sip|test)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) return false;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, m[1] as DataFeed));
    return true;
  }

  private accept(ws: WebSocket, feed: DataFeed): void {
    const c: Conn = {
      ws, feed, trades: new Set(), quotes: new Set(), stalled: false,
      authTimer: setTimeout(() => this.fatal(c, 404, 'auth timeout'), this.authTimeoutMs),
    };
    this.conns.add(c);
    ws.on('close', () => {
      clearTimeout(c.authTimer);
      this.conns.delete(c);
    });
    ws.on('error', () => undefined);
    ws.on('ping', (data) => {
      if (!c.stalled) ws.pong(data);
    });
    ws.on('message', (data) => {
      if (!c.stalled) this.onMessage(c, String(data));
    });
    this.send(c, [{ T: 'success', msg: 'connected' }]);
  }

  private onMessage(c: Conn, text: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) throw new Error('not an object');
    } catch {
      return this.send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    }
    const action = msg.action;
    this.received.push({ action: String(action), ...(c.keyId ? { keyId: c.keyId } : {}), ...listsOf(msg) });
    if (action === 'auth') return this.onAuth(c, msg);
    if (!c.keyId) return this.send(c, [{ T: 'error', code: 401, msg: 'not authenticated' }]);
    if (action !== 'subscribe' && action !== 'unsubscribe') return this.send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    const lists = listsOf(msg);
    if (!lists) return this.send(c, [{ T: 'error', code: 400, msg: 'invalid syntax' }]);
    const trades = new Set(c.trades);
    const quotes = new Set(c.quotes);
    for (const s of lists.trades ?? []) (action === 'subscribe' ? trades.add(s) : trades.delete(s));
    for (const s of lists.quotes ?? []) (action === 'subscribe' ? quotes.add(s) : quotes.delete(s));
    if (c.feed === 'iex' && new Set([...trades, ...quotes]).size > this.iexLimit) {
      return this.send(c, [{ T: 'error', code: 405, msg: 'symbol limit exceeded' }]);
    }
    c.trades.clear();
    c.quotes.clear();
    for (const s of trades) c.trades.add(s);
    for (const s of quotes) c.quotes.add(s);
    this.send(c, [{
      T: 'subscription', trades: [...c.trades], quotes: [...c.quotes], bars: [], updatedBars: [], dailyBars: [], statuses: [], lulds: [],
      corrections: [...c.trades], cancelErrors: [...c.trades],
    }]);
  }

  private onAuth(c: Conn, msg: Record<string, unknown>): void {
    if (c.keyId) return this.send(c, [{ T: 'error', code: 403, msg: 'already authenticated' }]);
    const key = typeof msg.key === 'string' ? msg.key : '';
    if (!this.auth(key, typeof msg.secret === 'string' ? msg.secret : '')) return this.fatal(c, 402, 'auth failed');
    const taken = [...this.conns].some((o) => o !== c && o.keyId === key) || (this.held.get(key) ?? 0) > Date.now();
    if (taken) return this.fatal(c, 406, 'connection limit exceeded');
    clearTimeout(c.authTimer);
    c.keyId = key;
    this.send(c, [{ T: 'success', msg: 'authenticated' }]);
  }

  /** A trade at `price` (and the quote around it) to every connection subscribed to the symbol, batched per socket. */
  publish(symbol: string, price: string): void {
    const sentAt = Date.now();
    this.published.push({ symbol, price, at: sentAt });
    const t = new Date(sentAt).toISOString().replace('Z', '123456Z');
    const p = Number(price);
    const trade = { T: 't', S: symbol, i: this.tradeSeq++, x: 'V', p, s: 100, c: ['@'], t, z: 'C' };
    const quote = { T: 'q', S: symbol, bx: 'V', bp: round(p - 0.01), bs: 2, ax: 'V', ap: round(p + 0.01), as: 3, c: ['R'], t, z: 'C' };
    for (const c of this.conns) {
      if (!c.keyId) continue;
      const batch = [...(c.trades.has(symbol) ? [trade] : []), ...(c.quotes.has(symbol) ? [quote] : [])];
      if (batch.length) this.send(c, batch);
    }
  }

  /** Fault: closes every data connection abruptly; the key's slot stays taken for `holdMs` (406 meanwhile). */
  drop(holdMs = 0): void {
    for (const c of this.conns) {
      if (c.keyId && holdMs > 0) this.held.set(c.keyId, Date.now() + holdMs);
      c.ws.terminate();
    }
  }

  /** Fault: frames no client can read (not JSON, not an array, a trade without a price, an unknown type). */
  malformed(): void {
    for (const c of this.conns) {
      if (!c.keyId) continue;
      for (const f of ['[{"T":"t","S":', '{"T":"t"}', '[{"T":"t","S":"AAPL","p":"abc","t":"x"}]', '[42,{"T":"zz"}]']) c.ws.send(f);
    }
  }

  /** Fault: goes silent (no data, no pongs) with the sockets open. */
  stall(): void {
    for (const c of this.conns) c.stalled = true;
  }

  /** Subscribed trade/quote symbols of the key's connection(s). */
  subscribed(keyId: string): string[] {
    const out = new Set<string>();
    for (const c of this.conns) if (c.keyId === keyId) for (const s of [...c.trades, ...c.quotes]) out.add(s);
    return [...out].sort();
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }

  private fatal(c: Conn, code: number, msg: string): void {
    this.send(c, [{ T: 'error', code, msg }]);
    setImmediate(() => c.ws.close(1008, msg));
  }

  private send(c: Conn, messages: readonly unknown[]): void {
    if (!c.stalled && c.ws.readyState === c.ws.OPEN) c.ws.send(JSON.stringify(messages));
  }
}

const round = (n: number): number => Math.round(n * 10_000) / 10_000;

function listsOf(msg: Record<string, unknown>): { trades?: string[]; quotes?: string[] } | undefined {
  const out: { trades?: string[]; quotes?: string[] } = {};
  for (const k of LISTS) {
    const v = msg[k];
    if (v === undefined) continue;
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) return undefined;
    if (k === 'trades' || k === 'quotes') out[k] = v as string[];
  }
  return out;
}
