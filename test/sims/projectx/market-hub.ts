// Simulator market hub (/hubs/market): SignalR JSON protocol, Subscribe/UnsubscribeContractQuotes|Trades(contractId),
// GatewayQuote(contractId, data): the full quote on subscribe, then SPARSE updates (only what changed), GatewayTrade
// arrays, pings, and faults.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { Decimal } from '../../../core/domain/decimal.js';
import { RecordReader, frame } from './framing.js';
import type { SimAuth } from './auth.js';
import { dotnetTime, type SimContract } from './model.js';

interface Conn {
  readonly ws: WebSocket;
  readonly user: string;
  readonly reader: RecordReader;
  handshaken: boolean;
  stalled: boolean;
  readonly quotes: Set<string>;
  readonly trades: Set<string>;
  ping: NodeJS.Timeout;
}

type QuoteState = { lastPrice: number; bestBid: number; bestAsk: number; volume: number };

export class SimMarketHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  /** The last full quote per contract: later quotes carry only the fields that changed. */
  private readonly state = new Map<string, QuoteState>();
  connects = 0;
  /** Date.now() of every accepted connection and of every logout fault (backoff assertions on venue time). */
  readonly connectedAt: number[] = [];
  readonly loggedOutAt: number[] = [];
  /** Every price published (Date.now() when sent): the breaching tick's time for latency assertions. */
  readonly published: { contractId: string; price: string; at: number }[] = [];
  readonly invocations: { target: string; args: unknown[] }[] = [];

  constructor(
    private readonly auth: SimAuth,
    private readonly contracts: () => ReadonlyMap<string, SimContract>,
    private readonly pingIntervalMs: number,
  ) {}

  get connectionCount(): number {
    return this.conns.size;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('access_token') ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = this.auth.check(token ?? undefined);
    if (!user) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, user));
  }

  private accept(ws: WebSocket, user: string): void {
    this.connects++;
    this.connectedAt.push(Date.now());
    const c: Conn = {
      ws, user, reader: new RecordReader(), handshaken: false, stalled: false, quotes: new Set(), trades: new Set(),
      ping: setInterval(() => this.send(c, [{ type: 6 }]), this.pingIntervalMs),
    };
    this.conns.add(c);
    ws.on('message', (data) => {
      for (const rec of c.reader.push(data.toString())) this.onRecord(c, rec);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearInterval(c.ping);
      this.conns.delete(c);
    });
  }

  private onRecord(c: Conn, text: string): void {
    if (c.stalled) return;
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.send(c, [{ type: 7, error: 'Connection closed with an error. InvalidDataException: invalid JSON' }]);
      return void c.ws.close(1000);
    }
    if (!c.handshaken) {
      if (msg.protocol !== 'json' || msg.version !== 1) {
        this.send(c, [{ error: `The protocol '${String(msg.protocol)}' is not supported.` }]);
        return void c.ws.close();
      }
      c.handshaken = true;
      return this.send(c, [{}]);
    }
    if (msg.type === 7) return void c.ws.close();
    if (msg.type !== 1 || typeof msg.target !== 'string') return;
    const args = Array.isArray(msg.arguments) ? msg.arguments : [];
    this.invocations.push({ target: msg.target, args });
    const error = this.invoke(c, msg.target, args);
    if (typeof msg.invocationId === 'string') {
      this.send(c, [error ? { type: 3, invocationId: msg.invocationId, error } : { type: 3, invocationId: msg.invocationId, result: null }]);
    }
    if (!error && msg.target === 'SubscribeContractQuotes') this.snapshot(c, args[0] as string);
  }

  /** A new quote subscriber first gets the contract's full quote (when one exists); later ones are sparse. */
  private snapshot(c: Conn, contractId: string): void {
    const st = this.state.get(contractId);
    const sym = this.contracts().get(contractId)?.symbolId;
    if (!st || !sym) return;
    const now = dotnetTime(Date.now());
    this.send(c, [{ type: 1, target: 'GatewayQuote', arguments: [contractId, { symbol: sym, symbolName: sym, ...st, lastUpdated: now, timestamp: now }] }]);
  }

  private invoke(c: Conn, target: string, args: unknown[]): string | undefined {
    const m = /^(Subscribe|Unsubscribe)Contract(Quotes|Trades|MarketDepth)$/.exec(target);
    if (!m) return `Unknown hub method '${target}'`;
    const id = args[0];
    if (typeof id !== 'string' || !this.contracts().has(id)) return `Failed to invoke '${target}' due to an error on the server.`;
    if (m[2] === 'MarketDepth') return undefined;
    const set = m[2] === 'Quotes' ? c.quotes : c.trades;
    if (m[1] === 'Subscribe') set.add(id);
    else set.delete(id);
    return undefined;
  }

  /** A trade at `price`: a sparse GatewayQuote (changed fields only) and a GatewayTrade to the contract's subscribers. */
  publish(contractId: string, price: Decimal): void {
    const c = this.contracts().get(contractId);
    if (!c) throw new Error(`sim market hub: no contract ${contractId}`);
    const p = price.toNumber();
    const tick = c.tickSize.toNumber();
    const prev = this.state.get(contractId);
    const next: QuoteState = { lastPrice: p, bestBid: p - tick, bestAsk: p + tick, volume: (prev?.volume ?? 1000) + 1 };
    this.state.set(contractId, next);
    const sentAt = Date.now();
    this.published.push({ contractId, price: price.toString(), at: sentAt });
    const now = dotnetTime(sentAt);
    const changed = Object.fromEntries(Object.entries(next).filter(([k, v]) => prev?.[k as keyof QuoteState] !== v));
    const quote = { symbol: c.symbolId, symbolName: c.symbolId, ...changed, lastUpdated: now, timestamp: now };
    const trade = [{ symbolId: c.symbolId, price: p, timestamp: now, type: 0, volume: 1 }];
    for (const conn of this.conns) {
      if (!conn.handshaken) continue;
      const recs = [
        ...(conn.quotes.has(contractId) ? [{ type: 1, target: 'GatewayQuote', arguments: [contractId, quote] }] : []),
        ...(conn.trades.has(contractId) ? [{ type: 1, target: 'GatewayTrade', arguments: [contractId, trade] }] : []),
      ];
      if (recs.length) this.send(conn, recs);
    }
  }

  /** Sends raw GatewayQuote arguments to every quote subscriber of the contract (sparse or odd quotes from tests). */
  rawQuote(contractId: string, data: unknown): void {
    for (const c of this.conns) if (c.quotes.has(contractId)) this.send(c, [{ type: 1, target: 'GatewayQuote', arguments: [contractId, data] }]);
  }

  /** Fault: GatewayQuote invocations no client can use (wrong arity, data not an object, a price that is not a number). */
  malformed(): void {
    for (const c of this.conns) {
      if (!c.handshaken) continue;
      const id = [...c.quotes][0] ?? 'CON.F.US.MES.Z26';
      this.send(c, [
        { type: 1, target: 'GatewayQuote', arguments: [{ lastPrice: 1 }] },
        { type: 1, target: 'GatewayQuote', arguments: [id, 'not an object'] },
        { type: 1, target: 'GatewayQuote', arguments: [id, { symbol: 'F.US.MES', lastPrice: 'abc' }] },
      ]);
    }
  }

  /** Fault: close every socket abruptly (no close frame). */
  drop(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** Fault: the session was displaced: GatewayLogout, then a Close that does not allow a reconnect. */
  logout(reason = 'Logged in elsewhere'): void {
    this.loggedOutAt.push(Date.now());
    for (const c of this.conns) {
      this.send(c, [{ type: 1, target: 'GatewayLogout', arguments: [reason] }, { type: 7, error: 'Session logged out', allowReconnect: false }]);
      c.ws.close(1000);
    }
  }

  /** Fault: go silent (no pings, no quotes) while keeping sockets open. */
  stall(): void {
    for (const c of this.conns) c.stalled = true;
  }

  /** Contracts the user's connections are subscribed to for quotes. */
  subscribed(user?: string): string[] {
    const out = new Set<string>();
    for (const c of this.conns) if (user === undefined || c.user === user.toLowerCase()) for (const id of c.quotes) out.add(id);
    return [...out].sort();
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }

  private send(c: Conn, recs: readonly unknown[]): void {
    if (!c.stalled && c.ws.readyState === c.ws.OPEN) c.ws.send(frame(recs));
  }
}
