// ProjectX user hub over @microsoft/signalr: one WebSocket (skipNegotiation, token in the URL and the factory) for
// every account, subscriptions re-sent on each connect, a server-silence watchdog, rebuilds with the newest token
// (make-before-break), jittered reconnect backoff, and GatewayLogout handling.
import {
  HttpTransportType, HubConnectionBuilder, LogLevel, type HubConnection, type ILogger,
} from '@microsoft/signalr';
import { BrokerError, errorMessage } from '../../domain/errors.js';
import type { AlertInput } from '../../domain/alert.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { Backoff, maskTokens, type RandomSource } from '../shared/index.js';

export const USER_EVENTS = ['GatewayUserAccount', 'GatewayUserOrder', 'GatewayUserPosition', 'GatewayUserTrade'] as const;
export type UserEvent = (typeof USER_EVENTS)[number];

export interface StreamTuning {
  /** Watchdog: no frame (event or ping) for this long tears the connection down. */
  readonly serverTimeoutMs: number;
  readonly keepAliveMs: number;
  readonly reconnectBaseMs: number;
  readonly reconnectMaxMs: number;
  /** Pause after GatewayLogout before trying again (another session displaced ours). */
  readonly logoutBackoffMs: number;
}

export interface StreamHandlers {
  event(target: UserEvent, arg: unknown): void;
  /** After every successful (re)connect and subscribe: reconcile through REST. */
  connected(reconnected: boolean): Promise<void>;
  lost(reason: string): void;
  alert(a: AlertInput): void;
}

export interface StreamOptions {
  readonly hubUrl: string;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly tuning: StreamTuning;
  /** The current token; `recheck` after a failed connect: the SignalR client hides a 401, so verify it first. */
  readonly token: (recheck: boolean) => Promise<string>;
  readonly accounts: () => readonly number[];
  readonly log: (line: string) => void;
  readonly handlers: StreamHandlers;
}

export class UserHubStream {
  private conn: HubConnection | undefined;
  private readonly backoff: Backoff;
  private timer: TimerHandle | undefined;
  private running = false;
  private everConnected = false;
  private logoutUntil = 0;
  private recheckNext = false;
  private building: Promise<void> | undefined;
  private lostReported = false;

  constructor(private readonly opts: StreamOptions) {
    this.backoff = new Backoff({ baseMs: opts.tuning.reconnectBaseMs, maxMs: opts.tuning.reconnectMaxMs, random: opts.random });
  }

  get connected(): boolean {
    return this.conn?.state === 'Connected';
  }

  /** First connection; rejects with a BrokerError when the hub cannot be reached or refuses the token. */
  async start(): Promise<void> {
    this.running = true;
    try {
      await this.build();
    } catch (err) {
      this.running = false;
      throw err instanceof BrokerError ? err : new BrokerError('network', `ProjectX user hub: ${maskTokens(errorMessage(err))}`, { cause: err });
    }
  }

  /**
   * Replaces the connection with one carrying the newest token (auto-reconnect would reuse the stale URL);
   * a build already under way may hold the old token, so the rebuild follows it.
   */
  rebuild(reason: string): void {
    if (!this.running || !this.everConnected) return;
    this.opts.log(`ProjectX user hub: rebuilding (${reason})`);
    this.cancelTimer();
    const inFlight = this.building;
    const next = inFlight ? inFlight.catch(() => undefined).then(() => this.build()) : this.build();
    next.catch((err: unknown) => this.scheduleReconnect(`rebuild failed: ${maskTokens(errorMessage(err))}`));
  }

  /** Subscribes a newly attached account on the live connection (all accounts are re-sent on every connect). */
  async subscribe(accountId: number): Promise<void> {
    const c = this.conn;
    if (c?.state === 'Connected') await this.subscribeAccount(c, accountId);
  }

  async stop(): Promise<void> {
    this.running = false;
    this.cancelTimer();
    const c = this.conn;
    this.conn = undefined;
    await c?.stop().catch(() => undefined);
  }

  private build(): Promise<void> {
    if (!this.building) {
      this.building = this.connectOnce().finally(() => {
        this.building = undefined;
      });
    }
    return this.building;
  }

  private async connectOnce(): Promise<void> {
    const token = await this.opts.token(this.recheckNext);
    this.recheckNext = false;
    const c = this.newConnection(token);
    try {
      await c.start();
      await c.invoke('SubscribeAccounts');
      for (const id of this.opts.accounts()) await this.subscribeAccount(c, id);
    } catch (err) {
      this.recheckNext = true;
      await c.stop().catch(() => undefined);
      throw err;
    }
    if (!this.running) {
      await c.stop().catch(() => undefined);
      return;
    }
    const old = this.conn;
    const seamless = old?.state === 'Connected';
    this.conn = c;
    await old?.stop().catch(() => undefined);
    if (seamless) {
      this.opts.log('ProjectX user hub: switched to a new connection (subscribed before the old one closed: nothing missed)');
      return;
    }
    const reconnected = this.everConnected;
    this.everConnected = true;
    this.backoff.reset();
    this.lostReported = false;
    this.opts.log(`ProjectX user hub: ${reconnected ? 'reconnected' : 'connected'}, ${this.opts.accounts().length} account(s) subscribed`);
    await this.opts.handlers.connected(reconnected);
  }

  private async subscribeAccount(c: HubConnection, id: number): Promise<void> {
    await c.invoke('SubscribeOrders', id);
    await c.invoke('SubscribePositions', id);
    await c.invoke('SubscribeTrades', id);
  }

  private newConnection(token: string): HubConnection {
    const logger: ILogger = {
      log: (level, message) => {
        if (level >= LogLevel.Warning) this.opts.log(`ProjectX user hub: ${maskTokens(message)}`);
      },
    };
    const c = new HubConnectionBuilder()
      .withUrl(`${this.opts.hubUrl}?access_token=${encodeURIComponent(token)}`, {
        skipNegotiation: true,
        transport: HttpTransportType.WebSockets,
        accessTokenFactory: () => token,
        timeout: 10_000,
      })
      .configureLogging(logger)
      .build();
    c.serverTimeoutInMilliseconds = this.opts.tuning.serverTimeoutMs;
    c.keepAliveIntervalInMilliseconds = this.opts.tuning.keepAliveMs;
    for (const target of USER_EVENTS) c.on(target, (arg: unknown) => this.opts.handlers.event(target, arg));
    c.on('GatewayLogout', (...args: unknown[]) => this.onLogout(c, args));
    c.onclose((err) => this.onClosed(c, err));
    return c;
  }

  private onLogout(c: HubConnection, args: unknown[]): void {
    if (c !== this.conn) return;
    const reason = args.length ? maskTokens(JSON.stringify(args).slice(0, 200)) : 'no reason given';
    this.logoutUntil = this.opts.clock.now() + this.opts.tuning.logoutBackoffMs;
    this.opts.handlers.alert({
      severity: 'error', code: 'broker_notice',
      message: `ProjectX logged this session out (GatewayLogout: ${reason}); another session may have displaced it. Backing off ${this.opts.tuning.logoutBackoffMs} ms before reconnecting.`,
    });
    c.stop().catch(() => undefined);
  }

  private onClosed(c: HubConnection, err: Error | undefined): void {
    if (c !== this.conn || !this.running) return;
    this.conn = undefined;
    this.scheduleReconnect(err ? maskTokens(err.message) : 'connection closed');
  }

  private scheduleReconnect(reason: string): void {
    if (!this.running || this.timer) return;
    if (!this.lostReported) this.opts.handlers.lost(reason);
    this.lostReported = true;
    const logoutWait = Math.max(0, this.logoutUntil - this.opts.clock.now());
    const delay = logoutWait + this.backoff.next();
    this.opts.log(`ProjectX user hub: lost (${reason}); reconnecting in ${delay} ms`);
    this.timer = this.opts.clock.setTimer(delay, () => {
      this.timer = undefined;
      this.build().catch((e: unknown) => this.scheduleReconnect(`reconnect failed: ${maskTokens(errorMessage(e))}`));
    });
  }

  private cancelTimer(): void {
    if (this.timer) this.opts.clock.clearTimer(this.timer);
    this.timer = undefined;
  }
}
