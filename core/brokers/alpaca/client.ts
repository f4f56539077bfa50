// Alpaca Trading REST client: key headers, base URLs, timeouts, X-Ratelimit-* handling and the per-key bucket, on a
// keep-alive connection pool (each request written as soon as it is made).
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import type { SendGate } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import { BrokerError } from '../../domain/errors.js';
import { httpError, protocolError, transportError } from './errors.js';
import { holdsSecret, redact, redactValue } from '../shared/redact.js';
import { headerOf, HttpPool, prepareHeaders, TransportError, type HeaderBlock, type PoolAnswer } from '../shared/http-pool.js';
import type { PriorityTokenBucket } from '../shared/index.js';
import { bucketForKey, PRIORITY, type Priority } from './rate-limit.js';

export interface AlpacaCredentials {
  readonly keyId: string;
  readonly secretKey: string;
}

export const ALPACA_URLS = {
  paper: { rest: 'https://paper-api.alpaca.markets', stream: 'wss://paper-api.alpaca.markets/stream' },
  live: { rest: 'https://api.alpaca.markets', stream: 'wss://api.alpaca.markets/stream' },
} as const;

export interface RequestOptions {
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: unknown;
  /** The body as JSON text already (instead of `body`). */
  readonly json?: string;
  readonly priority?: Priority;
  /** Statuses (besides 2xx) answered with their body instead of an error, e.g. 404 for lookups. */
  readonly allow?: readonly number[];
  /** Asked last, after the rate-budget wait: a reason means nothing is sent (BrokerError 'not_sent'). */
  readonly gate?: SendGate;
}

export interface RestAnswer {
  readonly status: number;
  readonly body: unknown;
}

export class AlpacaRestClient {
  readonly bucket: PriorityTokenBucket;
  /** Called once per 429 so the adapter can raise an alert. */
  onRateLimited: ((retryAfterMs: number) => void) | undefined;
  /** Keep-alive connections to the REST host, warmed by the reads at connect (the first copy finds one open). */
  readonly pool: HttpPool;
  private readonly headers: HeaderBlock | OutgoingHttpHeaders;
  /** The same with a JSON body (the pool writes Content-Length). */
  private readonly jsonHeaders: HeaderBlock | OutgoingHttpHeaders;

  constructor(
    readonly baseUrl: string,
    private readonly creds: AlpacaCredentials,
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {
    this.bucket = bucketForKey(creds.keyId, clock);
    this.pool = new HttpPool(baseUrl, { clock, maxSockets: 16 });
    const headers = { 'APCA-API-KEY-ID': creds.keyId, 'APCA-API-SECRET-KEY': creds.secretKey, accept: 'application/json' };
    this.headers = prepareHeaders(headers);
    this.jsonHeaders = prepareHeaders({ ...headers, 'content-type': 'application/json' });
  }

  get secrets(): readonly string[] {
    return [this.creds.secretKey, this.creds.keyId];
  }

  async get(path: string, opts: RequestOptions = {}): Promise<RestAnswer> {
    return this.request('GET', path, opts);
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<RestAnswer> {
    if (!this.bucket.tryTake()) await this.bucket.take(opts.priority ?? PRIORITY.query);
    const refused = opts.gate?.();
    if (refused !== undefined) throw new BrokerError('not_sent', `Alpaca ${method} ${path} not sent: ${refused}`);
    let target = path;
    if (opts.query) {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(opts.query)) if (v !== undefined) q.set(k, String(v));
      const qs = q.toString();
      if (qs) target += `?${qs}`;
    }
    const body = opts.json ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
    const headers = body === undefined ? this.headers : this.jsonHeaders;
    let res: PoolAnswer;
    try {
      res = await this.pool.request(method, target, headers, body, this.timeoutMs);
    } catch (err) {
      throw transportError(method, path, err, err instanceof TransportError && err.timedOut, this.secrets);
    }
    const text = res.text;
    this.observeHeaders(res.headers);
    if (res.status === 429) {
      const retryAfterMs = this.retryAfterMs(res.headers);
      this.bucket.pause(retryAfterMs);
      this.onRateLimited?.(retryAfterMs);
      throw httpError(method, path, 429, text, { retryAfterMs, secrets: this.secrets });
    }
    if ((res.status < 200 || res.status >= 300) && !opts.allow?.includes(res.status)) {
      throw httpError(method, path, res.status, text, { secrets: this.secrets });
    }
    if (text.length === 0) return { status: res.status, body: undefined };
    let parsed: unknown;
    try {
      parsed = JSON.parse(text) as unknown;
    } catch {
      throw protocolError(`answer to ${method} ${path}`, redact(text, this.secrets).slice(0, 200));
    }
    // A body that echoes a credential (in any encoding) is redacted before it can reach a record, log or alert.
    return { status: res.status, body: holdsSecret(text, this.secrets) ? redactValue(parsed, this.secrets) : parsed };
  }

  /** X-Ratelimit-Remaining 0 pauses the key's bucket until X-Ratelimit-Reset (epoch seconds). */
  private observeHeaders(h: IncomingHttpHeaders): void {
    const remaining = headerOf(h, 'x-ratelimit-remaining');
    const resetText = headerOf(h, 'x-ratelimit-reset');
    const reset = Number(resetText);
    if (remaining !== undefined && Number(remaining) <= 0 && resetText !== undefined && Number.isFinite(reset)) {
      this.bucket.pause(Math.max(0, reset * 1000 - this.clock.now()));
    }
  }

  /** Retry-After (seconds) when present, else X-Ratelimit-Reset (epoch seconds), else one second. */
  private retryAfterMs(h: IncomingHttpHeaders): number {
    const raText = headerOf(h, 'retry-after');
    const ra = Number(raText);
    if (raText !== undefined && Number.isFinite(ra)) return Math.max(0, ra * 1000);
    const resetText = headerOf(h, 'x-ratelimit-reset');
    const reset = Number(resetText);
    if (resetText !== undefined && Number.isFinite(reset)) {
      return Math.min(60_000, Math.max(250, reset * 1000 - this.clock.now()));
    }
    return 1_000;
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof BrokerError && err.code === 'not_found';
