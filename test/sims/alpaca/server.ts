// AlpacaSim: a wire-level Alpaca Trading API simulator on 127.0.0.1 (REST + trade_updates), scriptable from tests.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Decimal } from '../../../core/domain/decimal.js';
import { SimBook, seeded, type SimAccount, type TradeEvent } from './book.js';
import { FaultPlan, type StreamFaultKind } from './faults.js';
import { handleRest, type RestContext } from './rest.js';
import { SimStream } from './stream.js';
import { SimDataStream, type DataFeed, type DataStreamOptions } from './data-stream.js';
import { newId, type SimAsset, type SimOrder, type WireSide } from './wire.js';

export interface AlpacaSimOptions {
  readonly seed?: number;
  /** Requests per minute per key (Alpaca: 200). */
  readonly rateLimit?: number;
  readonly partialFillRate?: number;
  /** Every REST answer repeats the caller's credentials in a header. */
  readonly echoHeaders?: boolean;
  /** Market data WebSocket settings (auth deadline, IEX symbol limit). */
  readonly data?: DataStreamOptions;
}

export interface SimKeys {
  readonly keyId: string;
  readonly secretKey: string;
  readonly accountId: string;
}

/** Assets every simulator knows: fractionable and not, shortable and not, and one that cannot trade. */
const DEFAULT_ASSETS: Omit<SimAsset, 'id'>[] = [
  { symbol: 'AAPL', name: 'Apple Inc.', exchange: 'NASDAQ', tradable: true, shortable: true, easyToBorrow: true, fractionable: true, status: 'active' },
  { symbol: 'MSFT', name: 'Microsoft Corp.', exchange: 'NASDAQ', tradable: true, shortable: true, easyToBorrow: true, fractionable: true, status: 'active' },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF', exchange: 'ARCA', tradable: true, shortable: true, easyToBorrow: true, fractionable: true, status: 'active' },
  { symbol: 'BRK.A', name: 'Berkshire Hathaway A', exchange: 'NYSE', tradable: true, shortable: false, easyToBorrow: false, fractionable: false, status: 'active' },
  { symbol: 'GME', name: 'GameStop Corp.', exchange: 'NYSE', tradable: true, shortable: true, easyToBorrow: false, fractionable: false, status: 'active' },
  { symbol: 'DELIST', name: 'Delisted Co.', exchange: 'OTC', tradable: false, shortable: false, easyToBorrow: false, fractionable: false, status: 'inactive' },
];

export class AlpacaSim {
  readonly faults = new FaultPlan();
  readonly book: SimBook;
  readonly stream: SimStream;
  /** Market data WebSocket at /v2/{iex|sip|test}: setPrice publishes trades and quotes on it. */
  readonly data: SimDataStream;
  private server: Server | undefined;
  private readonly keys = new Map<string, SimAccount>();
  private readonly held = new Set<ServerResponse>();
  private readonly rest: RestContext;
  /** Latency marks (performance.now()): fill frames written and order POSTs received. */
  readonly marks: { kind: 'fill' | 'post'; keyId: string; id: string; at: number }[] = [];
  port = 0;

  constructor(opts: AlpacaSimOptions = {}) {
    const assets = new Map(DEFAULT_ASSETS.map((a) => [a.symbol, { ...a, id: newId() }]));
    this.stream = new SimStream(this.faults, (k, s) => this.auth(k, s));
    this.data = new SimDataStream((k, s) => this.auth(k, s) !== undefined, opts.data);
    this.book = new SimBook(assets, seeded(opts.seed ?? 1), (acct, e) => this.stream.publish(acct, e));
    if (opts.partialFillRate !== undefined) this.book.partialFillRate = opts.partialFillRate;
    this.stream.onFillWritten = (keyId, e, at) => this.marks.push({ kind: 'fill', keyId, id: String(e.execution_id), at });
    this.rest = {
      book: this.book,
      faults: this.faults,
      rateLimit: opts.rateLimit ?? 200,
      windowMs: 60_000,
      accountByKey: (k, s) => (k !== undefined && s !== undefined ? this.auth(k, s) : undefined),
      held: this.held,
      onOrderPost: (keyId, coid, at) => this.marks.push({ kind: 'post', keyId, id: coid ?? '', at }),
      requests: [],
      echoHeaders: opts.echoHeaders ?? false,
    };
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get streamUrl(): string {
    return `ws://127.0.0.1:${this.port}/stream`;
  }

  /** The market data WebSocket of one feed (Alpaca: wss://stream.data.alpaca.markets/v2/{feed}). */
  dataUrl(feed: DataFeed = 'iex'): string {
    return `ws://127.0.0.1:${this.port}/v2/${feed}`;
  }

  get requests(): readonly { method: string; path: string; keyId?: string }[] {
    return this.rest.requests;
  }

  setRateLimit(perMinute: number): void {
    this.rest.rateLimit = perMinute;
  }

  async start(port = 0): Promise<this> {
    const server = createServer((req, res) => {
      handleRest(this.rest, req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
    server.on('upgrade', (req, socket, head) => {
      if (this.data.upgrade(req, socket, head)) return;
      if ((req.url ?? '').split('?')[0] !== '/stream') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.stream.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const r of this.held) r.socket?.destroy();
    this.stream.close();
    this.data.close();
    const s = this.server;
    this.server = undefined;
    if (s) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
  }

  private auth(keyId: string, secret: string): SimAccount | undefined {
    const a = this.keys.get(keyId);
    return a && a.secretKey === secret ? a : undefined;
  }

  /** Creates a paper account and returns its API keys. */
  addAccount(opts: { cash?: string; shorting?: boolean; keyId?: string; secretKey?: string } = {}): SimKeys {
    const keyId = opts.keyId ?? `PK${randomBytes(9).toString('hex').toUpperCase()}`;
    const secretKey = opts.secretKey ?? randomBytes(20).toString('base64url');
    const acct: SimAccount = {
      id: newId(),
      keyId,
      secretKey,
      cash: Decimal.from(opts.cash ?? '100000'),
      shortingEnabled: opts.shorting ?? true,
      lastEquity: Decimal.from(opts.cash ?? '100000'),
      positions: new Map(),
      orders: new Map(),
      byClientId: new Map(),
      activities: [],
    };
    this.keys.set(keyId, acct);
    this.book.accounts.set(acct.id, acct);
    return { keyId, secretKey, accountId: acct.id };
  }

  account(keyId: string): SimAccount {
    const a = this.keys.get(keyId);
    if (!a) throw new Error(`no simulated account for key ${keyId}`);
    return a;
  }

  position(keyId: string, symbol: string): Decimal {
    return this.book.position(this.account(keyId), symbol);
  }

  orders(keyId: string): SimOrder[] {
    return [...this.account(keyId).orders.values()];
  }

  /** Moves the market: the book's quote (resting orders may fill) and a trade + quote on the market data stream. */
  setPrice(symbol: string, last: string): void {
    this.book.setPrice(symbol, last);
    this.data.publish(symbol, last);
  }

  /** The trading day ends: last_equity becomes the account's equity now (every account when no key is given). */
  closeDay(keyId?: string): void {
    for (const a of keyId ? [this.account(keyId)] : this.keys.values()) a.lastEquity = this.book.equity(a);
  }

  /**
   * A leader trade placed "by hand" on the account: `new`, then one execution per entry of `fills` (partial fills
   * first); returns the order and the fill events. Frames go out with a macrotask between them.
   */
  async leaderTrade(keyId: string, t: { symbol: string; side: WireSide; qty: string; fills?: string[]; price?: string }): Promise<{ order: SimOrder; fills: TradeEvent[] }> {
    const acct = this.account(keyId);
    if (t.price) this.setPrice(t.symbol, t.price);
    const qty = Decimal.from(t.qty);
    const order = this.book.accept(acct, { symbol: t.symbol, side: t.side, qty, type: 'market', timeInForce: 'day' }, true);
    const q = this.book.quote(t.symbol);
    const px = t.side === 'buy' ? q.ask : q.bid;
    const fills: TradeEvent[] = [];
    for (const f of t.fills ?? [t.qty]) {
      await new Promise((r) => setImmediate(r));
      fills.push(this.book.fill(acct, order, Decimal.from(f), px));
    }
    return { order, fills };
  }

  /** Loses the next n fill frames (or frames of other events) silently: a gap without a disconnect. */
  loseFrames(keyId: string, n: number, opts: { events?: readonly string[]; conn?: number } = {}): void {
    this.stream.lose(this.account(keyId), n, opts.events, opts.conn);
  }

  /** The next fill frame for this account is rewritten (fields replaced, or a function of the true frame). */
  tamperNextFill(keyId: string, edit: Record<string, unknown> | ((e: TradeEvent) => TradeEvent)): void {
    this.stream.tamper(this.account(keyId), typeof edit === 'function' ? edit : (e) => ({ ...e, ...edit }));
  }

  /** Cancels a working order "by hand" (the `canceled` update shows what filled before). */
  cancelOrder(keyId: string, orderId: string): void {
    const acct = this.account(keyId);
    const o = acct.orders.get(orderId);
    if (!o) throw new Error(`no simulated order ${orderId}`);
    this.book.cancel(acct, o);
  }

  /** Stream frames that repeat the account's credentials: escaped inside JSON, and cut off halfway through. */
  echoFrames(keyId: string): void {
    this.stream.echo(this.account(keyId));
  }

  /** n hostile frames of every sort on the account's stream (each one different). */
  junkFrames(keyId: string, n: number): void {
    this.stream.junk(this.account(keyId), n);
  }

  injectStream(keyId: string, kind: StreamFaultKind, n = 1): void {
    this.stream.inject(this.account(keyId), kind, n);
  }
}
