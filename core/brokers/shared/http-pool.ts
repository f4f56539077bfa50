// HttpPool: the broker REST clients' keep-alive connection pool on raw HTTP/1.1 connections (wire-http.ts; measured
// against node:http, undici and fetch in test/bench/copy-path/http-clients.ts). A request is written to its socket in
// the call that makes it, has one deadline for the whole answer, and fails with a TransportError (never sent, or sent
// with the outcome unknown).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { requestHead, type HeaderBlock, WireConnection, type Exchange, type WireAnswer, type WireFailure, type WireTarget } from './wire-http.js';

export { HeaderBlock, prepareHeaders } from './wire-http.js';

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
  /** Deadlines run on these (PoolExchange arms and clears them). */
  readonly timers: Pick<Clock, 'setTimer' | 'clearTimer'>;
  private readonly maxSockets: number;
  private readonly idleMs: number;
  /** Idle connections, the most recently used last (reused first: the warmest). */
  private readonly idle: WireConnection[] = [];
  private open = 0;
  /** Requests waiting for a connection (all maxSockets busy), first come first served. */
  private readonly waiting: PoolExchange[] = [];

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
   * its status. Rejects with a TransportError when no complete answer arrives within timeoutMs. Headers a client
   * sends on every request are best given as a HeaderBlock (checked and rendered once).
   */
  request(method: string, path: string, headers: OutgoingHttpHeaders | HeaderBlock, body: string | undefined, timeoutMs: number): Promise<PoolAnswer> {
    return new Promise<PoolAnswer>((resolve, reject) => {
      const { head, ascii } = requestHead(method, this.prefix + path, this.target.hostHeader, headers, body === undefined ? undefined : Buffer.byteLength(body));
      const ex = new PoolExchange(this, method, path, head, ascii, body, timeoutMs, resolve, reject);
      const ready = this.take();
      if (ready) ex.start(ready);
      else this.waiting.push(ex);
      armLater(ex);
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

  /** Hands a connection whose answer is complete to the next waiting request, else keeps it idle. */
  release(c: WireConnection): void {
    const next = this.waiting.shift();
    if (next) return next.start(c);
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
      if (fresh) next.start(fresh);
      else this.waiting.unshift(next);
    }
  }

  /** A request gave up before it got a connection. */
  forget(ex: PoolExchange): void {
    const at = this.waiting.indexOf(ex);
    if (at >= 0) this.waiting.splice(at, 1);
  }
}

/** One request of the pool: its connection once it has one, its deadline, and the promise it settles once. */
class PoolExchange implements Exchange {
  private settled = false;
  private conn: WireConnection | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly pool: HttpPool,
    private readonly method: string,
    private readonly path: string,
    private readonly head: string,
    private readonly ascii: boolean,
    private readonly body: string | undefined,
    private readonly timeoutMs: number,
    private readonly resolve: (a: PoolAnswer) => void,
    private readonly reject: (e: TransportError) => void,
  ) {}

  start(c: WireConnection): void {
    this.conn = c;
    c.send(this.head, this.ascii, this.body, this.method === 'HEAD', this);
  }

  /** Starts the deadline (armLater: after the writes of this tick; the answer cannot arrive before). */
  arm(): void {
    if (this.settled) return;
    this.timer = this.pool.timers.setTimer(this.timeoutMs, () => this.expire());
  }

  done(out: WireAnswer | WireFailure, reusable: boolean): void {
    if (reusable) this.pool.release(this.conn!);
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) this.pool.timers.clearTimer(this.timer);
    if ('message' in out) this.reject(new TransportError(`${this.method} ${this.path}: ${out.message}`, false, out.cause));
    else this.resolve(out);
  }

  private expire(): void {
    if (this.settled) return;
    this.settled = true;
    this.pool.forget(this);
    this.conn?.destroy('deadline passed');
    this.reject(new TransportError(`${this.method} ${this.path}: no answer within ${this.timeoutMs} ms`, true));
  }
}

/** Requests whose deadline is not armed yet: all of them in one microtask, after the synchronous writes of the tick. */
let unarmed: PoolExchange[] = [];

function armLater(ex: PoolExchange): void {
  if (unarmed.push(ex) === 1) queueMicrotask(armAll);
}

function armAll(): void {
  const list = unarmed;
  unarmed = [];
  for (const ex of list) ex.arm();
}
