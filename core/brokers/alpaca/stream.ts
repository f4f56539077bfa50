// trade_updates WebSocket: authenticate/listen, text+binary frames, pings, staleness watchdog, backoff reconnects.
import WebSocket from 'ws';
import { BrokerError } from '../../domain/errors.js';
import type { AlertInput } from '../../domain/alert.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import type { ConnectionStatus } from '../../ports/broker-adapter.js';
import type { AlpacaCredentials } from './client.js';
import { holdsSecret, redact, redactValue } from '../shared/redact.js';
import { isObj, parseTradeUpdate, type TradeUpdate } from './parse.js';

export interface StreamTuning {
  readonly pingMs: number;
  readonly pongTimeoutMs: number;
  /** Reconnect when nothing (frame or pong) arrived for this long. */
  readonly staleMs: number;
  readonly handshakeTimeoutMs: number;
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
  /** ±fraction applied to every backoff delay. */
  readonly jitter: number;
  /** Failed attempts tolerated before the first connect() gives up. */
  readonly firstConnectAttempts: number;
}

export const DEFAULT_STREAM_TUNING: StreamTuning = {
  pingMs: 10_000,
  pongTimeoutMs: 5_000,
  staleMs: 30_000,
  handshakeTimeoutMs: 10_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 64_000,
  jitter: 0.2,
  firstConnectAttempts: 4,
};

export interface StreamHandlers {
  update(u: TradeUpdate): void;
  /** After every successful authenticate+listen; reconnected is false only for the first. */
  ready(reconnected: boolean): void;
  status(status: ConnectionStatus, reason?: string): void;
  alert(a: Omit<AlertInput, 'accountId'>): void;
  heard(at: number, roundTripMs?: number): void;
}

/** Exponential backoff with ±jitter: initial * 2^(attempt-1), capped. */
export function backoffDelay(attempt: number, t: StreamTuning, random: () => number): number {
  const base = Math.min(t.backoffMaxMs, t.backoffInitialMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(base * (1 + t.jitter * (2 * random() - 1))));
}

export class TradeUpdatesStream {
  private ws: WebSocket | undefined;
  private stopped = true;
  private everReady = false;
  private attempt = 0;
  private timers = new Set<TimerHandle>();
  private pingSentAt: number | undefined;
  private lastHeard = 0;
  private first: { resolve: () => void; reject: (e: Error) => void } | undefined;

  constructor(
    private readonly url: string,
    private readonly creds: AlpacaCredentials,
    private readonly clock: Clock,
    private readonly random: () => number,
    private readonly tuning: StreamTuning,
    private readonly on: StreamHandlers,
  ) {}

  start(): Promise<void> {
    this.stopped = false;
    return new Promise((resolve, reject) => {
      this.first = { resolve, reject };
      this.open();
    });
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
    const ws = this.ws;
    this.ws = undefined;
    ws?.removeAllListeners();
    ws?.on('error', () => undefined);
    ws?.terminate();
    this.on.status('disconnected');
  }

  private later(ms: number, fn: () => void): void {
    const h = this.clock.setTimer(ms, () => {
      this.timers.delete(h);
      fn();
    });
    this.timers.add(h);
  }

  private clearTimers(): void {
    for (const h of this.timers) this.clock.clearTimer(h);
    this.timers.clear();
  }

  private open(): void {
    if (this.stopped) return;
    this.on.status(this.everReady ? 'reconnecting' : 'connecting');
    this.pingSentAt = undefined;
    const ws = new WebSocket(this.url, { handshakeTimeout: this.tuning.handshakeTimeoutMs });
    this.ws = ws;
    let authed = false;
    const gen = ws;
    const live = (): boolean => this.ws === gen && !this.stopped;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      const ra = Number(res.headers['retry-after']);
      if (status === 429) {
        this.on.alert({ severity: 'warning', code: 'rate_limited', message: 'Alpaca refused the stream handshake (HTTP 429); backing off' });
      }
      this.fail(gen, `stream handshake answered HTTP ${status}`, status === 429 && Number.isFinite(ra) ? ra * 1000 : 0);
    });
    ws.on('open', () => {
      if (!live()) return;
      this.heard();
      ws.send(JSON.stringify({ action: 'authenticate', data: { key_id: this.creds.keyId, secret_key: this.creds.secretKey } }));
      this.later(this.tuning.handshakeTimeoutMs, () => {
        if (live() && !authed) this.fail(gen, 'no authorization answer from the stream');
      });
    });
    ws.on('message', (data, isBinary) => {
      if (!live()) return;
      this.heard();
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      let msg: unknown;
      try {
        msg = JSON.parse(text);
        if (holdsSecret(text, this.secrets)) msg = redactValue(msg, this.secrets);
      } catch {
        this.malformed(`a ${isBinary ? 'binary' : 'text'} frame that is not JSON`, text);
        return;
      }
      if (!isObj(msg) || !isObj(msg.data)) {
        this.malformed('a frame without a data object', text);
        return;
      }
      if (msg.stream === 'authorization') {
        if (msg.data.status === 'authorized') {
          authed = true;
          ws.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
        } else {
          this.authFailed(gen, typeof msg.data.message === 'string' ? msg.data.message : 'unauthorized');
        }
      } else if (msg.stream === 'listening') {
        const streams = Array.isArray(msg.data.streams) ? msg.data.streams : [];
        if (streams.includes('trade_updates')) this.ready(gen);
        else this.fail(gen, 'the stream did not confirm trade_updates');
      } else if (msg.stream === 'trade_updates') {
        let u: TradeUpdate;
        try {
          u = parseTradeUpdate(msg.data);
        } catch {
          this.malformed('a trade update it could not read', text);
          return;
        }
        this.on.update(u);
      }
    });
    ws.on('pong', () => {
      if (!live()) return;
      const rtt = this.pingSentAt !== undefined ? this.clock.monotonic() - this.pingSentAt : undefined;
      this.pingSentAt = undefined;
      this.heard(rtt);
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => {
      if (live()) this.fail(gen, `stream closed (code ${code})`);
    });
  }

  private get secrets(): readonly string[] {
    return [this.creds.secretKey, this.creds.keyId];
  }

  private heard(rtt?: number): void {
    this.lastHeard = this.clock.monotonic();
    this.on.heard(this.clock.now(), rtt);
  }

  private malformed(what: string, text: string): void {
    const sample = redact(text, this.secrets).slice(0, 120); // cut only after redaction
    this.on.alert({ severity: 'warning', code: 'malformed_message', message: `Alpaca stream sent ${what}; ignored`, details: { sample } });
  }

  private ready(gen: WebSocket): void {
    const reconnected = this.everReady;
    this.everReady = true;
    this.attempt = 0;
    this.on.status('connected');
    this.schedulePing(gen);
    this.on.ready(reconnected);
    this.first?.resolve();
    this.first = undefined;
  }

  private schedulePing(gen: WebSocket): void {
    this.later(this.tuning.pingMs, () => {
      if (this.ws !== gen || this.stopped) return;
      if (this.clock.monotonic() - this.lastHeard > this.tuning.staleMs) {
        this.fail(gen, 'stream went silent (staleness watchdog)');
        return;
      }
      if (this.pingSentAt !== undefined) {
        this.schedulePing(gen);
        return;
      }
      this.pingSentAt = this.clock.monotonic();
      const sentAt = this.pingSentAt;
      try {
        gen.ping();
      } catch {
        this.fail(gen, 'ping failed');
        return;
      }
      this.later(this.tuning.pongTimeoutMs, () => {
        if (this.ws === gen && this.pingSentAt === sentAt) this.fail(gen, 'no pong within the timeout (silent stall)');
      });
      this.schedulePing(gen);
    });
  }

  private authFailed(gen: WebSocket, message: string): void {
    const err = new BrokerError('auth', `Alpaca stream refused the credentials: ${redact(message, this.secrets).slice(0, 200)}`);
    this.on.alert({ severity: 'critical', code: 'auth_failed', message: err.message });
    this.stopped = true;
    this.clearTimers();
    this.ws = undefined;
    gen.removeAllListeners();
    gen.on('error', () => undefined);
    gen.terminate();
    this.on.status('failed', err.message);
    this.first?.reject(err);
    this.first = undefined;
  }

  /** Drops this connection and schedules the next attempt (or gives up on a first connect that keeps failing). */
  private fail(gen: WebSocket, reason: string, minDelayMs = 0): void {
    if (this.ws !== gen) return;
    this.ws = undefined;
    this.clearTimers();
    gen.removeAllListeners();
    gen.on('error', () => undefined);
    gen.terminate();
    if (this.stopped) return;
    this.attempt += 1;
    if (!this.everReady && this.attempt >= this.tuning.firstConnectAttempts) {
      this.stopped = true;
      this.on.status('failed', reason);
      this.first?.reject(new BrokerError('network', `Alpaca stream unavailable: ${reason}`));
      this.first = undefined;
      return;
    }
    this.on.status('reconnecting', reason);
    this.later(Math.max(minDelayMs, backoffDelay(this.attempt, this.tuning, this.random)), () => this.open());
  }
}
