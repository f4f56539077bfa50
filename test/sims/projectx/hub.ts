// Simulator user hub: SignalR JSON protocol over WebSocket (handshake, 0x1E batching, completions, pings, faults).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RecordReader, frame } from './framing.js';
import type { SimAuth } from './auth.js';

export interface HubOptions {
  readonly pingIntervalMs: number;
}

interface Conn {
  readonly ws: WebSocket;
  readonly user: string;
  readonly reader: RecordReader;
  handshaken: boolean;
  stalled: boolean;
  accounts: boolean;
  readonly orders: Set<number>;
  readonly positions: Set<number>;
  readonly trades: Set<number>;
  queue: unknown[];
  flushScheduled: boolean;
  ping: NodeJS.Timeout;
}

const SUBS = ['Orders', 'Positions', 'Trades'] as const;

export class SimHub {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly conns = new Set<Conn>();
  /** Fault knobs. */
  duplicate = false;
  reorder = false;
  bareEntities = false;
  rejectHandshake: string | undefined;
  /** Records queued right after the handshake reply (they share its frame). */
  greeting: unknown[] = [];
  /** Called with every frame's records right after it is written (latency benches). */
  onFrameSent?: (records: readonly unknown[], at: number) => void;
  /** Counters for assertions. */
  connects = 0;
  readonly invocations: { target: string; args: unknown[] }[] = [];

  constructor(private readonly auth: SimAuth, private readonly opts: HubOptions, private readonly owns: (user: string, accountId: number) => boolean = () => true) {}

  get connectionCount(): number {
    return this.conns.size;
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const token = url.searchParams.get('access_token') ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = url.pathname.startsWith('/hubs/') ? this.auth.check(token ?? undefined) : undefined;
    if (!user) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, user));
  }

  private accept(ws: WebSocket, user: string): void {
    this.connects++;
    const c: Conn = {
      ws, user, reader: new RecordReader(), handshaken: false, stalled: false, accounts: false,
      orders: new Set(), positions: new Set(), trades: new Set(), queue: [], flushScheduled: false,
      ping: setInterval(() => this.send(c, { type: 6 }), this.opts.pingIntervalMs),
    };
    this.conns.add(c);
    ws.on('message', (data) => {
      for (const rec of c.reader.push(data.toString())) this.onRecord(c, rec);
    });
    ws.on('close', () => {
      clearInterval(c.ping);
      this.conns.delete(c);
    });
  }

  private onRecord(c: Conn, text: string): void {
    let msg: Record<string, unknown>;
    try {
      msg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      this.closeWith(c, { type: 7, error: 'Connection closed with an error. InvalidDataException: invalid JSON' });
      return;
    }
    if (!c.handshaken) {
      if (msg.protocol !== 'json' || msg.version !== 1 || this.rejectHandshake) {
        this.send(c, { error: this.rejectHandshake ?? `The protocol '${String(msg.protocol)}' is not supported.` });
        this.flush(c);
        c.ws.close();
        return;
      }
      c.handshaken = true;
      this.send(c, {});
      for (const g of this.greeting) this.send(c, g);
      return;
    }
    if (msg.type === 7) return void c.ws.close();
    if (msg.type !== 1 || typeof msg.target !== 'string') return;
    const args = Array.isArray(msg.arguments) ? msg.arguments : [];
    this.invocations.push({ target: msg.target, args });
    const error = this.invoke(c, msg.target, args);
    if (typeof msg.invocationId === 'string') {
      this.send(c, error ? { type: 3, invocationId: msg.invocationId, error } : { type: 3, invocationId: msg.invocationId, result: null });
    }
  }

  private invoke(c: Conn, target: string, args: unknown[]): string | undefined {
    const m = /^(Subscribe|Unsubscribe)(Accounts|Orders|Positions|Trades)$/.exec(target);
    if (!m) return `Unknown hub method '${target}'`;
    const on = m[1] === 'Subscribe';
    if (m[2] === 'Accounts') {
      c.accounts = on;
      return undefined;
    }
    const id = args[0];
    if (typeof id !== 'number' || !Number.isInteger(id) || !this.owns(c.user, id)) return `Failed to invoke '${target}' due to an error on the server.`;
    const set = c[m[2]!.toLowerCase() as Lowercase<(typeof SUBS)[number]>];
    if (on) set.add(id);
    else set.delete(id);
    return undefined;
  }

  /** Sends a user event to every connection subscribed to it. */
  publish(accountId: number, target: string, action: number, data: Record<string, unknown>): void {
    for (const c of this.conns) {
      const subscribed =
        target === 'GatewayUserAccount' ? c.accounts
        : target === 'GatewayUserOrder' ? c.orders.has(accountId)
        : target === 'GatewayUserPosition' ? c.positions.has(accountId)
        : c.trades.has(accountId);
      if (!subscribed || !c.handshaken) continue;
      const rec = { type: 1, target, arguments: [this.bareEntities ? data : { action, data }] };
      this.send(c, rec);
      if (this.duplicate) this.send(c, rec);
    }
  }

  /** Fault: close every socket abruptly (no close frame). */
  drop(): void {
    for (const c of this.conns) c.ws.terminate();
  }

  /** Fault: go silent (no pings, no events) while keeping sockets open. */
  stall(): void {
    for (const c of this.conns) c.stalled = true;
  }

  /** Fault: a server Close message, optionally allowing the client to reconnect. */
  closeAll(error: string, allowReconnect: boolean): void {
    for (const c of this.conns) this.closeWith(c, { type: 7, error, allowReconnect });
  }

  /** Fault: the session was displaced. */
  logout(reason = 'Logged in elsewhere'): void {
    for (const c of this.conns) {
      this.send(c, { type: 1, target: 'GatewayLogout', arguments: [reason] });
      this.closeWith(c, { type: 7, error: 'Session logged out', allowReconnect: false });
    }
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }

  private closeWith(c: Conn, rec: unknown): void {
    this.send(c, rec);
    this.flush(c);
    c.ws.close(1000);
  }

  private send(c: Conn, rec: unknown): void {
    if (c.stalled) return;
    c.queue.push(rec);
    if (!c.flushScheduled) {
      c.flushScheduled = true;
      setImmediate(() => this.flush(c));
    }
  }

  /** Everything queued in one tick goes out as one text frame (batching). */
  private flush(c: Conn): void {
    c.flushScheduled = false;
    if (!c.queue.length || c.ws.readyState !== c.ws.OPEN) return;
    let batch = c.queue;
    c.queue = [];
    if (this.reorder) {
      const events = batch.filter(isEvent).reverse();
      batch = batch.map((r) => (isEvent(r) ? events.shift() : r));
    }
    c.ws.send(frame(batch));
    this.onFrameSent?.(batch, performance.now());
  }
}

const isEvent = (r: unknown): boolean => (r as { type?: number; target?: string }).type === 1 && (r as { target?: string }).target !== 'GatewayLogout';
