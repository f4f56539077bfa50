// Alpaca market data stream (wss://stream.data.alpaca.markets/v2/{iex|sip}): auth, trades+quotes for the watched
// symbols within the feed's symbol limit, one connection per key (406), pings, backoff reconnects that resubscribe.
import WebSocket from 'ws';
import type { AlertInput } from '../../domain/alert.js';
import type { Decimal } from '../../domain/decimal.js';
import { BrokerError } from '../../domain/errors.js';
import type { AccountId } from '../../domain/ids.js';
import type { ConnectionHealth, ConnectionStatus, Unsubscribe } from '../../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { MarketData, MarketDataEvents, WatchedInstrument } from '../../ports/market-data.js';
import { AlertThrottle, TypedEmitter } from '../shared/index.js';
import { redact } from '../shared/redact.js';
import type { AlpacaCredentials } from './client.js';
import { parseDataFrame, type DataMessage } from './market-data-parse.js';
import { backoffDelay, type StreamTuning } from './stream.js';

/** The same host serves paper and live keys; the IEX feed is the one every plan has. */
export const ALPACA_DATA_URL = 'wss://stream.data.alpaca.markets/v2/iex';
/** Trade/quote symbols one IEX connection may hold (SIP: no documented limit). */
export const IEX_SYMBOL_LIMIT = 30;

/** Errors after which retrying cannot help: auth failed (402), the plan lacks the feed (409). */
const FINAL = new Set([402, 409]);

export class AlpacaMarketData implements MarketData {
  private readonly events: TypedEmitter<MarketDataEvents>;
  private readonly throttle: AlertThrottle;
  private readonly limit: number;
  private ws: WebSocket | undefined;
  private running = false;
  private closed = false; // set by disconnect(): nothing more is reported until the next connect
  private authed = false;
  private everReady = false;
  private attempt = 0;
  private readonly timers = new Set<TimerHandle>();
  private health_: ConnectionHealth = { status: 'disconnected' };
  /** Watched instruments by wire symbol, within the limit; what this connection asked the server for. */
  private wanted = new Map<string, WatchedInstrument[]>();
  private requested = new Set<string>();
  private lastAdded: string[] = []; // the last subscribe's symbols (a 405 refuses exactly those)
  private readonly trades = new Map<string, Decimal>();
  private readonly books = new Map<string, { bid?: Decimal; ask?: Decimal }>();
  private pingSentAt: number | undefined;
  private first: { resolve: () => void; reject: (e: Error) => void }[] = [];

  constructor(
    private readonly url: string,
    private readonly creds: AlpacaCredentials,
    private readonly accountId: AccountId,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly tuning: StreamTuning,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.limit = /\/v2\/iex\/?$/.test(new URL(url).pathname) ? IEX_SYMBOL_LIMIT : Number.POSITIVE_INFINITY;
    this.throttle = new AlertThrottle(() => clock.now());
    this.events = new TypedEmitter<MarketDataEvents>((err, event) => log(`alpaca market data ${accountId}: ${event} listener failed: ${String(err)}`));
  }

  connect(): Promise<void> {
    this.closed = false;
    if (this.authed) return Promise.resolve();
    const p = new Promise<void>((resolve, reject) => this.first.push({ resolve, reject }));
    if (!this.running) {
      this.running = true;
      this.attempt = 0;
      this.open();
    }
    return p;
  }

  async disconnect(): Promise<void> {
    this.closed = true;
    this.running = false;
    this.drop();
    this.settle(new BrokerError('network', 'Alpaca market data disconnected'));
    if (this.health_.status !== 'disconnected') this.setStatus('disconnected');
  }

  health(): ConnectionHealth {
    return { ...this.health_ };
  }

  on<K extends keyof MarketDataEvents>(event: K, listener: (e: MarketDataEvents[K]) => void): Unsubscribe {
    return this.events.on(event, listener);
  }

  /** Replaces the watched set (first come within the feed's limit; an alert names the rest) and syncs the server. */
  watch(instruments: readonly WatchedInstrument[]): void {
    const next = new Map<string, WatchedInstrument[]>();
    const left: string[] = [];
    for (const w of instruments) {
      const sym = (w.instrumentId || w.symbol).trim().toUpperCase();
      if (!next.has(sym) && next.size >= this.limit) {
        if (!left.includes(sym)) left.push(sym);
        continue;
      }
      const list = next.get(sym) ?? [];
      if (!list.some((x) => x.instrumentId === w.instrumentId)) list.push(w);
      next.set(sym, list);
    }
    for (const s of this.wanted.keys()) {
      if (next.has(s)) continue;
      this.trades.delete(s);
      this.books.delete(s);
    }
    this.wanted = next;
    if (left.length) {
      this.alert({ severity: 'warning', code: 'broker_notice', message: `Alpaca market data streams at most ${this.limit} symbols on this feed: no prices for ${left.join(', ')}`, details: { leftOut: left } });
    }
    if (this.authed) this.sync();
    else if (!this.running && next.size > 0) this.connect().catch(() => undefined);
  }

  private open(): void {
    if (!this.running) return;
    this.setStatus(this.everReady ? 'reconnecting' : 'connecting', this.health_.reason);
    this.authed = false;
    this.requested = new Set();
    this.pingSentAt = undefined;
    const ws = new WebSocket(this.url, { handshakeTimeout: this.tuning.handshakeTimeoutMs });
    this.ws = ws;
    const live = () => this.ws === ws && this.running;
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      if (live()) this.fail(`market data handshake answered HTTP ${res.statusCode ?? 0}`);
    });
    ws.on('message', (data) => {
      if (!live()) return;
      this.heard();
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      const frame = parseDataFrame(text);
      for (const p of frame.problems) {
        const sample = redact(text, [this.creds.secretKey, this.creds.keyId]).slice(0, 120);
        this.alert({ severity: 'warning', code: 'malformed_message', message: `Alpaca market data sent ${p}; ignored`, details: { sample } });
      }
      for (const m of frame.messages) if (live()) this.onMessage(m);
    });
    ws.on('pong', () => {
      if (!live()) return;
      const rtt = this.pingSentAt !== undefined ? this.clock.monotonic() - this.pingSentAt : undefined;
      this.pingSentAt = undefined;
      this.heard(rtt);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (live()) this.fail(`market data connection closed (code ${code})`);
    });
    this.later(this.tuning.handshakeTimeoutMs, () => {
      if (live() && !this.authed) this.fail('no authentication answer from the market data stream');
    });
  }

  private onMessage(m: DataMessage): void {
    switch (m.kind) {
      case 'success':
        if (m.msg === 'connected') this.ws?.send(JSON.stringify({ action: 'auth', key: this.creds.keyId, secret: this.creds.secretKey }));
        else if (m.msg === 'authenticated') this.ready();
        return;
      case 'error':
        return this.onError(m.code, m.msg);
      case 'subscription':
        this.requested = new Set(m.symbols);
        return;
      case 'trade':
        this.trades.set(m.symbol, m.price);
        return this.emitQuote(m.symbol, m.at);
      case 'quote':
        this.books.set(m.symbol, { ...(m.bid ? { bid: m.bid } : {}), ...(m.ask ? { ask: m.ask } : {}) });
        return this.emitQuote(m.symbol, m.at);
      case 'other':
        return;
    }
  }

  /** Price = the last trade, else the bid/ask midpoint; nothing until one of them is known. */
  private emitQuote(symbol: string, at: number | undefined): void {
    const watchers = this.wanted.get(symbol);
    if (!watchers) return;
    const book = this.books.get(symbol) ?? {};
    const price = this.trades.get(symbol) ?? (book.bid && book.ask ? book.bid.add(book.ask).div(2) : undefined);
    if (!price) return;
    const when = at ?? this.clock.now();
    for (const w of watchers) {
      this.events.emit('quote', { instrumentId: w.instrumentId, symbol: w.symbol, price, ...book, at: when });
    }
  }

  private onError(code: number, msg: string): void {
    const text = `Alpaca market data error ${code}: ${redact(msg, [this.creds.secretKey, this.creds.keyId]).slice(0, 120)}`;
    if (code === 405) {
      const asked = this.lastAdded;
      for (const s of asked) this.requested.delete(s);
      this.alert({ severity: 'warning', code: 'broker_notice', message: `${text}: the stream kept its previous symbols; no prices for ${asked.join(', ') || 'the new symbols'}`, details: { leftOut: asked } });
      return;
    }
    if (code === 406) {
      this.alert({ severity: 'error', code: 'broker_notice', message: `${text}: Alpaca allows one market data connection per API key and another one holds it (another app, or a connection still held after a drop); retrying with backoff` });
      return this.fail('406 connection limit exceeded: another market data connection uses this API key');
    }
    if (FINAL.has(code)) {
      const auth = code === 402;
      this.alert({ severity: 'critical', code: auth ? 'auth_failed' : 'broker_notice', message: `${text}: ${auth ? 'the credentials were refused' : 'the plan does not include this feed'}; market data stopped` });
      this.running = false;
      this.drop();
      this.setStatus('failed', text);
      this.settle(new BrokerError(auth ? 'auth' : 'forbidden', text));
      return;
    }
    this.alert({ severity: 'warning', code: 'broker_notice', message: text });
  }

  private ready(): void {
    this.authed = true;
    const reconnected = this.everReady;
    this.everReady = true;
    this.attempt = 0;
    this.sync();
    this.setStatus('connected', undefined, reconnected);
    this.schedulePing(this.ws!);
    this.settle();
    this.log(`alpaca market data ${this.accountId}: ${reconnected ? 'reconnected' : 'connected'}, ${this.wanted.size} symbol(s)`);
  }

  /**
   * Unsubscribes what is no longer wanted, then subscribes what is new (trades and quotes). `requested` is updated as
   * sent and replaced by each subscription answer; answers come in request order, so the last one is the truth.
   */
  private sync(): void {
    const gone = [...this.requested].filter((s) => !this.wanted.has(s));
    const added = [...this.wanted.keys()].filter((s) => !this.requested.has(s));
    if (gone.length) this.ws?.send(JSON.stringify({ action: 'unsubscribe', trades: gone, quotes: gone }));
    if (added.length) this.ws?.send(JSON.stringify({ action: 'subscribe', trades: added, quotes: added }));
    for (const s of gone) this.requested.delete(s);
    for (const s of added) this.requested.add(s);
    if (added.length) this.lastAdded = added;
  }

  private schedulePing(gen: WebSocket): void {
    this.later(this.tuning.pingMs, () => {
      if (this.ws !== gen || !this.running) return;
      if (this.pingSentAt !== undefined) {
        if (this.clock.monotonic() - this.pingSentAt > this.tuning.pongTimeoutMs) return this.fail('no pong within the timeout (silent stall)');
      } else {
        this.pingSentAt = this.clock.monotonic();
        gen.ping();
      }
      this.schedulePing(gen);
    });
  }

  private fail(reason: string): void {
    this.drop();
    if (!this.running) return;
    this.attempt += 1;
    if (!this.everReady && this.attempt >= this.tuning.firstConnectAttempts) this.settle(new BrokerError('network', `Alpaca market data unavailable: ${reason}`));
    this.setStatus('reconnecting', reason);
    this.later(backoffDelay(this.attempt, this.tuning, this.random), () => this.open());
  }

  private drop(): void {
    for (const h of this.timers) this.clock.clearTimer(h);
    this.timers.clear();
    const ws = this.ws;
    this.ws = undefined;
    this.authed = false;
    ws?.removeAllListeners();
    ws?.on('error', () => undefined);
    ws?.terminate();
  }

  private settle(err?: Error): void {
    for (const f of this.first.splice(0)) (err ? f.reject(err) : f.resolve());
  }

  private later(ms: number, fn: () => void): void {
    const h = this.clock.setTimer(ms, () => this.timers.delete(h) && fn());
    this.timers.add(h);
  }

  private heard(rtt?: number): void {
    this.health_ = { ...this.health_, lastHeartbeatAt: this.clock.now(), ...(rtt !== undefined ? { roundTripMs: rtt } : {}) };
  }

  private setStatus(status: ConnectionStatus, reason?: string, reconnected = false): void {
    const { lastHeartbeatAt, roundTripMs } = this.health_;
    this.health_ = {
      status, ...(reason !== undefined ? { reason } : {}),
      ...(lastHeartbeatAt !== undefined ? { lastHeartbeatAt } : {}), ...(roundTripMs !== undefined ? { roundTripMs } : {}),
    };
    this.events.emit('status', { ...this.health_, ...(reconnected ? { reconnected } : {}) });
  }

  private alert(input: Omit<AlertInput, 'accountId'>): void {
    const a = this.closed ? undefined : this.throttle.admit(input);
    if (!a) return;
    this.log(`alpaca market data ${this.accountId}: ${a.code}: ${a.message}`);
    this.events.emit('alert', { ...a, accountId: this.accountId });
  }
}
