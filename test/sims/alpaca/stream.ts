// Simulator trade_updates WebSocket: authenticate/listen handshake, binary frames, and stream fault injection.
import { WebSocketServer, type WebSocket } from 'ws';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SimAccount, TradeEvent } from './book.js';
import type { FaultPlan, StreamFaultKind } from './faults.js';

interface Conn {
  readonly ws: WebSocket;
  account?: SimAccount;
  listening: boolean;
  stalled: boolean;
}

interface Pending {
  duplicate: number;
  reorder: number;
  held: string[];
  /** Fill frames to lose silently (a gap without a disconnect), optionally on one connection only. */
  lose: { n: number; events: readonly string[]; conn?: number };
  /** Fields overwritten on the next fill/partial_fill frame (a broker sending facts that contradict the account). */
  tamper: ((e: TradeEvent) => TradeEvent)[];
}

export class SimStream {
  private readonly wss = new WebSocketServer({ noServer: true, autoPong: false });
  readonly conns = new Set<Conn>();
  private readonly pending = new Map<string, Pending>();
  /** Send frames as binary (Alpaca paper does) or text. */
  binary = true;
  /** Called with performance.now() after a fill/partial_fill frame is written (latency bench). */
  onFillWritten: ((keyId: string, e: TradeEvent, at: number) => void) | undefined;
  readonly authAttempts: { keyId: string; ok: boolean }[] = [];

  constructor(
    private readonly faults: FaultPlan,
    private readonly auth: (keyId: string, secret: string) => SimAccount | undefined,
  ) {}

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.faults.handshake429 > 0) {
      this.faults.handshake429 -= 1;
      this.faults.record('handshake_429', 'stream upgrade refused');
      socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"code":42910000,"message":"rate limit exceeded"}');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
  }

  private write(c: Conn, obj: unknown): void {
    const text = typeof obj === 'string' ? obj : JSON.stringify(obj);
    c.ws.send(this.binary ? Buffer.from(text, 'utf8') : text, { binary: this.binary });
  }

  private accept(ws: WebSocket): void {
    const c: Conn = { ws, listening: false, stalled: false };
    this.conns.add(c);
    ws.on('close', () => this.conns.delete(c));
    ws.on('error', () => undefined);
    ws.on('ping', (data) => {
      if (!c.stalled) ws.pong(data);
    });
    ws.on('message', (data) => {
      if (c.stalled) return;
      let msg: { action?: string; data?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        this.write(c, { stream: 'error', data: { error_message: 'invalid message' } });
        return;
      }
      if (msg.action === 'authenticate') {
        const d = msg.data ?? {};
        const acct = this.auth(String(d.key_id ?? ''), String(d.secret_key ?? ''));
        this.authAttempts.push({ keyId: String(d.key_id ?? ''), ok: !!acct });
        if (acct) c.account = acct;
        this.write(c, {
          stream: 'authorization',
          data: acct ? { action: 'authenticate', status: 'authorized' } : { action: 'authenticate', status: 'unauthorized', message: 'access key verification failed' },
        });
      } else if (msg.action === 'listen') {
        if (!c.account) {
          this.write(c, { stream: 'authorization', data: { action: 'listen', status: 'unauthorized' } });
          return;
        }
        const wanted = Array.isArray(msg.data?.streams) ? (msg.data.streams as unknown[]) : [];
        c.listening = wanted.includes('trade_updates');
        this.write(c, { stream: 'listening', data: { streams: c.listening ? ['trade_updates'] : [] } });
      }
    });
  }

  private live(acct: SimAccount): Conn[] {
    return [...this.conns].filter((c) => c.account === acct && c.listening && !c.stalled);
  }

  private pend(keyId: string): Pending {
    let p = this.pending.get(keyId);
    if (!p) this.pending.set(keyId, (p = { duplicate: 0, reorder: 0, held: [], lose: { n: 0, events: [] }, tamper: [] }));
    return p;
  }

  /** Delivers a trade update to the account's listening sockets, applying queued faults. */
  publish(acct: SimAccount, event: TradeEvent): void {
    const p = this.pend(acct.keyId);
    const isFill = event.event === 'fill' || event.event === 'partial_fill';
    const e = isFill && p.tamper.length > 0 ? p.tamper.shift()!(event) : event;
    if (p.lose.n > 0 && p.lose.events.includes(e.event)) {
      p.lose.n -= 1;
      this.faults.record('lose', `lost ${e.event} ${String(e.execution_id ?? '')}`, acct.keyId);
      const keep = this.live(acct).filter((_c, i) => p.lose.conn !== undefined && i !== p.lose.conn);
      const frame = JSON.stringify({ stream: 'trade_updates', data: e });
      for (const c of keep) this.write(c, frame);
      return;
    }
    const frame = JSON.stringify({ stream: 'trade_updates', data: e });
    if (p.reorder > 0) {
      p.held.push(frame);
      if (p.held.length >= p.reorder) {
        const out = p.held.reverse();
        p.held = [];
        p.reorder = 0;
        this.faults.record('reorder', `delivered ${out.length} frames in reverse`, acct.keyId);
        for (const f of out) this.sendRaw(acct, f);
      }
      return;
    }
    this.sendRaw(acct, frame);
    if (e.event === 'fill' || e.event === 'partial_fill') {
      const at = performance.now();
      this.onFillWritten?.(acct.keyId, e, at);
    }
    if (e.event === 'fill' && p.duplicate > 0) {
      p.duplicate -= 1;
      this.faults.record('duplicate', `replayed new+fill ${e.execution_id}`, acct.keyId);
      this.sendRaw(acct, JSON.stringify({ stream: 'trade_updates', data: { ...e, event: 'new' } }));
      this.sendRaw(acct, frame);
    }
  }

  private sendRaw(acct: SimAccount, frame: string): void {
    for (const c of this.live(acct)) this.write(c, frame);
  }

  /**
   * Loses the next n frames of the given events without closing anything (Alpaca does not replay): on every
   * connection of the account, or only on the conn-th listening one.
   */
  lose(acct: SimAccount, n: number, events: readonly string[] = ['fill', 'partial_fill'], conn?: number): void {
    this.pend(acct.keyId).lose = { n, events, ...(conn !== undefined ? { conn } : {}) };
  }

  /** The next fill frame carries these fields instead of the true ones (e.g. position_qty "-999", price "0"). */
  tamper(acct: SimAccount, edit: (e: TradeEvent) => TradeEvent): void {
    this.pend(acct.keyId).tamper.push(edit);
  }

  /** Frames echoing the credentials: \uXXXX-escaped in an unreadable update, and cut off halfway through the secret. */
  echo(acct: SimAccount): void {
    this.faults.record('echo', 'credentials echoed on the stream', acct.keyId);
    const u = (s: string) => s.replace(/[^A-Za-z0-9]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    const half = acct.secretKey.slice(0, Math.ceil(acct.secretKey.length / 2));
    const head = '{"stream":"trade_updates","data":{"event":"fill","note":"';
    const frames = [
      `{"stream":"trade_updates","data":{"event":"fill","order":{"id":"echo","side":"${u(acct.secretKey)}","filled_qty":"${u(acct.keyId)}"}}}`,
      `${head}${'x'.repeat(Math.max(0, 100 - head.length))}${acct.keyId} ${acct.secretKey}`.slice(0, 100 + acct.keyId.length + 1 + half.length),
      `{"stream":"${u(acct.secretKey)}"`,
    ];
    for (const f of frames) this.sendRaw(acct, f);
  }

  /** Writes n hostile frames of every sort (not JSON, no data, unreadable orders, arrays, bytes), each one different. */
  junk(acct: SimAccount, n: number): void {
    this.faults.record('junk', `${n} junk frames`, acct.keyId);
    const frames: ((i: number) => string | Buffer)[] = [
      (i) => `not json ${i} {`,
      (i) => JSON.stringify({ stream: 'trade_updates', seq: i }),
      (i) => JSON.stringify({ stream: 'trade_updates', data: { event: 'fill', order: { id: `junk-${i}`, side: 'sideways', filled_qty: `lots-${i}` } } }),
      (i) => JSON.stringify([i, i + 1]),
      (i) => Buffer.from([0xff, 0xfe, i % 256, 0x00]),
    ];
    for (const c of this.live(acct)) {
      for (let i = 0; i < n; i++) {
        const f = frames[i % frames.length]!(i);
        c.ws.send(f, { binary: typeof f !== 'string' || this.binary });
      }
    }
  }

  /** Injects a stream fault for one account (by key). */
  inject(acct: SimAccount, kind: StreamFaultKind, n = 1): void {
    if (kind !== 'duplicate' && kind !== 'reorder') this.faults.record(kind, `stream fault ${kind}`, acct.keyId);
    const conns = [...this.conns].filter((c) => c.account === acct);
    switch (kind) {
      case 'drop':
        for (const c of conns) c.ws.terminate();
        break;
      case 'stall':
        for (const c of conns) c.stalled = true;
        break;
      case 'duplicate':
        this.pend(acct.keyId).duplicate += n;
        break;
      case 'reorder':
        this.pend(acct.keyId).reorder = Math.max(2, n);
        break;
      case 'unknown_event':
        this.sendRaw(acct, JSON.stringify({ stream: 'trade_updates', data: { event: 'mystery_event', order: { id: 'x', symbol: 'AAPL', side: 'buy', qty: '1', filled_qty: '0', status: 'brand_new_status' }, timestamp: new Date().toISOString() } }));
        this.sendRaw(acct, JSON.stringify({ stream: 'account_updates', data: { hello: 'unknown stream' } }));
        break;
      case 'malformed':
        this.sendRaw(acct, '{"stream":"trade_updates","data":{"event":"fill","order":');
        this.sendRaw(acct, JSON.stringify({ stream: 'trade_updates', data: { event: 'fill', order: { id: 'y', side: 'sideways', filled_qty: 'lots' } } }));
        this.sendRaw(acct, '[1,2,3]');
        break;
    }
  }

  close(): void {
    for (const c of this.conns) c.ws.terminate();
    this.wss.close();
  }
}
