// HttpPool: the broker REST clients' keep-alive connection pool on raw HTTP/1.1 connections (wire-http.ts; measured
// against node:http, undici and fetch in test/bench/copy-path/http-clients.ts). A request is written to its socket in
// the call that makes it, has one deadline for the whole answer, and fails with a TransportError (never sent, or sent
// with the outcome unknown).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { requestHead, WireConnection, type WireAnswer, type WireFailure, type WireTarget } from './wire-http.js';

export interface PoolAnswer {
  readonly status: number;
  /** Lower-case names, as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

/** No complete answer: the connection failed or broke, or the deadline passed (the request may have been received). */
export class TransportError extends Error {
  override readonly name = 'TransportError';

  constructor(
    message: string,
    readonly timedOut: boolean,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export interface HttpPoolOptions {
  /** Concurrent connections to the host (a copy to many accounts of one login needs one each). */
  readonly maxSockets?: number;
  /** An idle connection is closed after this long (earlier when the server's Keep-Alive hint says so). */
  readonly idleMs?: number;
  /** Deadlines run on this clock (the adapter's); real timers when absent. */
  readonly clock?: Pick<Clock, 'setTimer' | 'clearTimer'>;
  /** https: trusted CA certificates (PEM) instead of the system's (tests); the certificate is always verified. */
  readonly ca?: string;
}

const realTimers: Pick<Clock, 'setTimer' | 'clearTimer'> = {
  setTimer: (ms, fn) => setTimeout(fn, ms) as unknown as TimerHandle,
  clearTimer: (h) => clearTimeout(h as unknown as ReturnType<typeof setTimeout>),
};

/** First line of a header that may repeat (node:http joins most, but set-cookie style ones stay arrays). */
export const headerOf = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};

/** A server's Keep-Alive hint is cut by this much (its timer and ours do not start at the same instant). */
const HINT_MARGIN_MS = 1_000;

export class HttpPool {
  private readonly target: WireTarget;
  /** The base URL's path without a trailing slash ('' for a bare host). */
  private readonly prefix: string;
  private readonly timers: Pick<Clock, 'setTimer' | 'clearTimer'>;
  private readonly maxSockets: number;
  private readonly idleMs: number;
  /** Idle connections, the most recently used last (reused first: the warmest). */
  private readonly idle: WireConnection[] = [];
  private open = 0;
  /** Requests waiting for a connection (all maxSockets busy), first come first served. */
  private readonly waiting: ((c: WireConnection) => void)[] = [];

  constructor(baseUrl: string, opts: HttpPoolOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`unsupported REST URL scheme ${url.protocol}`);
    const tls = url.protocol === 'https:';
    this.target = { tls, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: url.port === '' ? (tls ? 443 : 80) : Number(url.port), hostHeader: url.host, ...(opts.ca ? { ca: opts.ca } : {}) };
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.timers = opts.clock ?? realTimers;
    this.maxSockets = opts.maxSockets ?? 64;
    this.idleMs = opts.idleMs ?? 30_000;
  }

  /** Connections open and idle now (ready for the next request without a handshake). */
  idleSockets(): number {
    return this.idle.length;
  }

  /**
   * Sends one request (path with its query, relative to the base URL) and resolves with the whole answer, whatever
   * its status. Rejects with a TransportError when no complete answer arrives within timeoutMs.
   */
  request(method: string, path: string, headers: OutgoingHttpHeaders, body: string | undefined, timeoutMs: number): Promise<PoolAnswer> {
    return new Promise<PoolAnswer>((resolve, reject) => {
      const head = requestHead(method, this.prefix + path, this.target.hostHeader, headers, body === undefined ? undefined : Buffer.byteLength(body));
      let settled = false;
      let conn: WireConnection | undefined;
      const queued = (c: WireConnection): void => start(c);
      const timer = this.timers.setTimer(timeoutMs, () => {
        if (settled) return;
        settled = true;
        const at = this.waiting.indexOf(queued);
        if (at >= 0) this.waiting.splice(at, 1);
        conn?.destroy('deadline passed');
        reject(new TransportError(`${method} ${path}: no answer within ${timeoutMs} ms`, true));
      });
      const start = (c: WireConnection): void => {
        conn = c;
        c.send(head, body, method === 'HEAD', (out: WireAnswer | WireFailure, reusable) => {
          if (reusable) this.release(c);
          if (settled) return;
          settled = true;
          this.timers.clearTimer(timer);
          if ('message' in out) reject(new TransportError(`${method} ${path}: ${out.message}`, false, out.cause));
          else resolve(out);
        });
      };
      const ready = this.take();
      if (ready) start(ready);
      else this.waiting.push(queued);
    });
  }

  /** Closes the idle connections; requests in flight finish on theirs (which then idle out after idleMs). */
  closeIdle(): void {
    for (const c of this.idle.splice(0)) c.destroy();
  }

  /** An idle connection, a new one when below maxSockets, else undefined (the caller queues). */
  private take(): WireConnection | undefined {
    while (this.idle.length > 0) {
      const c = this.idle.pop()!;
      if (c.alive) return c;
    }
    if (this.open >= this.maxSockets) return undefined;
    this.open++;
    return new WireConnection(this.target, (c) => this.closed(c));
  }

  private release(c: WireConnection): void {
    const next = this.waiting.shift();
    if (next) return next(c);
    const hint = c.keepAliveHintMs;
    const ms = hint === undefined ? this.idleMs : Math.min(this.idleMs, hint - HINT_MARGIN_MS);
    if (ms <= 0) return c.destroy();
    c.idleFor(ms);
    this.idle.push(c);
  }

  private closed(c: WireConnection): void {
    this.open--;
    const at = this.idle.indexOf(c);
    if (at >= 0) this.idle.splice(at, 1);
    const next = this.waiting.shift();
    if (next) {
      const fresh = this.take();
      if (fresh) next(fresh);
      else this.waiting.unshift(next);
    }
  }
}
