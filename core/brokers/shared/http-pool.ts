// HttpPool: the broker REST clients' keep-alive connection pool (node:http / node:https Agent, chosen over fetch and
// undici by test/bench/copy-path/http-clients.ts). A request is written to its socket in the same tick it is made, has
// one deadline for the whole answer, and fails with a TransportError (never sent, or sent with the outcome unknown).
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Clock, TimerHandle } from '../../ports/clock.js';

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

export class HttpPool {
  private readonly agent: HttpAgent;
  private readonly send: typeof httpRequest;
  private readonly host: string;
  private readonly port: number | undefined;
  /** The base URL's path without a trailing slash ('' for a bare host). */
  private readonly prefix: string;
  private readonly timers: Pick<Clock, 'setTimer' | 'clearTimer'>;

  constructor(baseUrl: string, opts: HttpPoolOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`unsupported REST URL scheme ${url.protocol}`);
    const tls = url.protocol === 'https:';
    const agentOpts = { keepAlive: true, maxSockets: opts.maxSockets ?? 64, timeout: opts.idleMs ?? 30_000, scheduling: 'lifo' as const, noDelay: true };
    this.agent = tls ? new HttpsAgent(agentOpts) : new HttpAgent(agentOpts);
    this.send = tls ? httpsRequest : httpRequest;
    this.host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    this.port = url.port === '' ? undefined : Number(url.port);
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.timers = opts.clock ?? realTimers;
  }

  /** Connections open and idle now (ready for the next request without a handshake). */
  idleSockets(): number {
    let n = 0;
    for (const list of Object.values(this.agent.freeSockets)) n += list?.length ?? 0;
    return n;
  }

  /**
   * Sends one request (path with its query, relative to the base URL) and resolves with the whole answer, whatever
   * its status. Rejects with a TransportError when no complete answer arrives within timeoutMs.
   */
  request(method: string, path: string, headers: OutgoingHttpHeaders, body: string | undefined, timeoutMs: number): Promise<PoolAnswer> {
    return new Promise<PoolAnswer>((resolve, reject) => {
      let settled = false;
      let timer: TimerHandle | undefined;
      const fail = (err: TransportError): void => {
        if (settled) return;
        settled = true;
        if (timer) this.timers.clearTimer(timer);
        req.destroy();
        reject(err);
      };
      const req = this.send(
        { agent: this.agent, host: this.host, port: this.port, method, path: this.prefix + path, headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            if (settled) return;
            settled = true;
            if (timer) this.timers.clearTimer(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text });
          });
          res.on('close', () => settled || fail(new TransportError(`${method} ${path}: the connection closed before the answer was complete`, false)));
          res.on('error', (err) => settled || fail(new TransportError(`${method} ${path}: ${err.message}`, false, err)));
        },
      );
      timer = this.timers.setTimer(timeoutMs, () => fail(new TransportError(`${method} ${path}: no answer within ${timeoutMs} ms`, true)));
      req.on('error', (err) => settled || fail(new TransportError(`${method} ${path}: ${err.message}`, false, err)));
      req.end(body);
    });
  }

  /** Closes the idle connections; requests in flight finish on theirs (which then idle out after idleMs). */
  closeIdle(): void {
    for (const list of Object.values(this.agent.freeSockets)) for (const s of [...(list ?? [])]) s.destroy();
  }
}
