// ProjectX market hub (/hubs/market) for one login session: one SignalR connection, opened only while some account
// watches a contract, SubscribeContractQuotes for the union of the watched sets, sparse GatewayQuote merging,
// rebuilds with the newest token, backoff reconnects that resubscribe everything.
import {
  HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection, type ILogger,
} from '@microsoft/signalr';
import type { AlertInput } from '../../domain/alert.js';
import { errorMessage } from '../../domain/errors.js';
import type { ConnectionHealth, StatusEvent } from '../../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { Backoff, maskTokens, type RandomSource } from '../shared/index.js';
import { mergeQuote, type BookState, type HubQuote } from './market-hub-quote.js';
import type { StreamTuning } from './stream.js';

/** One account's view of the hub (ProjectXMarketData): the contracts it watches and where its events go. */
export interface HubListener {
  contracts(): ReadonlySet<string>;
  quote(q: HubQuote): void;
  status(e: StatusEvent): void;
  alert(a: AlertInput): void;
}

export interface MarketHubOptions {
  readonly hubUrl: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly tuning: StreamTuning;
  /** The login's current token; `recheck` after a failed connect (the SignalR client hides a 401). */
  readonly token: (recheck: boolean) => Promise<string>;
  readonly log: (line: string) => void;
  /** Every quote's price, for marking positions (the contract book's last price). */
  readonly onPrice?: (contractId: string, q: HubQuote) => void;
}

export class MarketHub {
  private readonly listeners = new Set<HubListener>();
  private readonly backoff: Backoff;
  private conn: HubConnection | undefined;
  /** Contracts subscribed on the current connection. */
  private subscribed = new Set<string>();
  private readonly books = new Map<string, BookState>();
  private running = false;
  private everConnected = false;
  private recheck = false;
  /** After GatewayLogout (another session displaced this one): no reconnect before this time. */
  private logoutUntil = 0;
  private timer: TimerHandle | undefined;
  private building: Promise<void> | undefined;
  private syncing: Promise<void> = Promise.resolve();
  private state: ConnectionHealth = { status: 'disconnected' };

  constructor(private readonly opts: MarketHubOptions) {
    this.backoff = new Backoff({ baseMs: opts.tuning.reconnectBaseMs, maxMs: opts.tuning.reconnectMaxMs, random: opts.random });
  }

  health(): ConnectionHealth {
    return this.state;
  }

  attach(l: HubListener): void {
    this.listeners.add(l);
    this.changed();
  }

  detach(l: HubListener): void {
    this.listeners.delete(l);
    this.changed();
  }

  /** A watched set changed: open the connection when something is wanted, sync it, close it when nothing is. */
  changed(): void {
    const wanted = this.wanted();
    for (const id of this.books.keys()) if (!wanted.has(id)) this.books.delete(id);
    if (wanted.size === 0) {
      if (this.running) void this.stop();
      return;
    }
    if (!this.running) {
      this.running = true;
      this.report({ status: 'connecting' });
      this.connectSoon(0);
      return;
    }
    const c = this.conn;
    if (c) this.sync(c);
  }

  /** A new token: replace the connection (a reconnect would present the stale one in its URL). */
  rebuild(reason: string): void {
    const old = this.conn;
    if (!this.running || !old) return;
    this.opts.log(`ProjectX market hub: rebuilding (${reason})`);
    this.conn = undefined;
    void old.stop().catch(() => undefined);
    this.report({ status: 'reconnecting', reason });
    this.connectSoon(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) this.opts.clock.clearTimer(this.timer);
    this.timer = undefined;
    const c = this.conn;
    this.conn = undefined;
    this.subscribed = new Set();
    this.report({ status: 'disconnected' }); // before the await: a watch meanwhile may already be reconnecting
    await c?.stop().catch(() => undefined);
  }

  private wanted(): Set<string> {
    const all = new Set<string>();
    for (const l of this.listeners) for (const id of l.contracts()) all.add(id);
    return all;
  }

  private connectSoon(delay: number): void {
    if (this.timer || !this.running) return;
    this.timer = this.opts.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.building ??= this.connectOnce()
        .catch((err: unknown) => this.lost(`connect failed: ${maskTokens(errorMessage(err))}`))
        .finally(() => (this.building = undefined));
    });
  }

  private async connectOnce(): Promise<void> {
    const token = await this.opts.token(this.recheck);
    this.recheck = false;
    const c = this.newConnection(token);
    try {
      await c.start();
    } catch (err) {
      this.recheck = true;
      await c.stop().catch(() => undefined);
      throw err;
    }
    if (!this.running) return void (await c.stop().catch(() => undefined));
    this.conn = c;
    this.subscribed = new Set();
    this.sync(c);
    await this.syncing;
    if (this.conn !== c) return;
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.backoff.reset();
    this.opts.log(`ProjectX market hub: ${reconnected ? 'reconnected' : 'connected'}, ${this.subscribed.size} contract(s)`);
    this.report({ status: 'connected', lastHeartbeatAt: this.opts.clock.now(), ...(reconnected ? { reconnected: true } : {}) });
  }

  /** Unsubscribes contracts no longer watched and subscribes new ones, one invocation at a time. */
  private sync(c: HubConnection): void {
    this.syncing = this.syncing.then(async () => {
      if (this.conn !== c) return;
      const wanted = this.wanted();
      for (const id of [...this.subscribed]) {
        if (wanted.has(id)) continue;
        this.subscribed.delete(id);
        await c.invoke('UnsubscribeContractQuotes', id).catch((err: unknown) => this.opts.log(`ProjectX market hub: unsubscribe ${id} failed: ${errorMessage(err)}`));
      }
      for (const id of wanted) {
        if (this.subscribed.has(id) || this.conn !== c) continue;
        this.subscribed.add(id);
        try {
          await c.invoke('SubscribeContractQuotes', id);
        } catch (err) {
          if (c.state !== 'Connected') return;
          this.subscribed.delete(id);
          this.alertWatchers(id, `ProjectX market hub refused quotes for ${id}: ${maskTokens(errorMessage(err))}`);
        }
      }
    });
  }

  private newConnection(token: string): HubConnection {
    const logger: ILogger = {
      log: (level, message) => {
        if (level >= LogLevel.Warning) this.opts.log(`ProjectX market hub: ${maskTokens(message)}`);
      },
    };
    const c = new HubConnectionBuilder()
      .withUrl(`${this.opts.hubUrl}?access_token=${encodeURIComponent(token)}`, {
        skipNegotiation: true, transport: HttpTransportType.WebSockets, accessTokenFactory: () => token, timeout: 10_000,
      })
      .configureLogging(logger)
      .build();
    c.serverTimeoutInMilliseconds = this.opts.tuning.serverTimeoutMs;
    c.keepAliveIntervalInMilliseconds = this.opts.tuning.keepAliveMs;
    c.on('GatewayQuote', (...args: unknown[]) => this.onQuote(c, args));
    c.on('GatewayLogout', (...args: unknown[]) => {
      if (c !== this.conn) return;
      const wait = this.opts.tuning.logoutBackoffMs;
      this.logoutUntil = this.opts.clock.now() + wait;
      const why = args.length ? maskTokens(JSON.stringify(args).slice(0, 200)) : 'no reason given';
      for (const l of this.listeners) {
        l.alert({ severity: 'error', code: 'broker_notice', message: `ProjectX logged the market data session out (GatewayLogout: ${why}); another session may have displaced it. Backing off ${wait} ms before reconnecting.` });
      }
    });
    c.onclose((err) => {
      if (c === this.conn && this.running) {
        this.conn = undefined;
        this.lost(err ? maskTokens(err.message) : 'connection closed');
      }
    });
    return c;
  }

  private onQuote(c: HubConnection, args: unknown[]): void {
    if (c !== this.conn) return;
    this.state = { ...this.state, lastHeartbeatAt: this.opts.clock.now() };
    const [contractId, data] = args;
    if (args.length !== 2 || typeof contractId !== 'string') {
      return this.alertAll(`ProjectX market hub sent a GatewayQuote without (contractId, data): ignored`, args);
    }
    if (!this.subscribed.has(contractId)) return;
    const r = mergeQuote(this.books.get(contractId) ?? {}, data, this.opts.clock.now());
    if (!r.ok) return this.alertAll(`ProjectX market hub sent an unreadable quote for ${contractId} (${r.error}): ignored`, args);
    this.books.set(contractId, r.book);
    if (!r.quote) return;
    const q: HubQuote = { contractId, ...r.quote };
    this.opts.onPrice?.(contractId, q);
    for (const l of this.listeners) if (l.contracts().has(contractId)) l.quote(q);
  }

  private lost(reason: string): void {
    if (!this.running) return;
    this.report({ status: 'reconnecting', reason });
    const delay = Math.max(0, this.logoutUntil - this.opts.clock.now()) + this.backoff.next();
    this.opts.log(`ProjectX market hub: lost (${reason}); reconnecting in ${delay} ms`);
    this.connectSoon(delay);
  }

  private report(e: StatusEvent): void {
    const { reconnected: _r, ...health } = e;
    this.state = health;
    for (const l of [...this.listeners]) l.status(e);
  }

  private alertAll(message: string, args: unknown): void {
    const sample = maskTokens(JSON.stringify(args) ?? '').slice(0, 120);
    for (const l of this.listeners) l.alert({ severity: 'warning', code: 'malformed_message', message, details: { sample } });
  }

  private alertWatchers(contractId: string, message: string): void {
    for (const l of this.listeners) if (l.contracts().has(contractId)) l.alert({ severity: 'warning', code: 'instrument_unavailable', message });
  }
}
