// Alpaca Trading REST client: key headers, base URLs, timeouts, X-Ratelimit-* handling and the per-key bucket.
import type { SendGate } from '../../ports/broker-adapter.js';
import type { Clock } from '../../ports/clock.js';
import { BrokerError } from '../../domain/errors.js';
import { httpError, protocolError, transportError } from './errors.js';
import { holdsSecret, redact, redactValue } from '../shared/redact.js';
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

  constructor(
    readonly baseUrl: string,
    private readonly creds: AlpacaCredentials,
    private readonly clock: Clock,
    private readonly timeoutMs = 10_000,
  ) {
    this.bucket = bucketForKey(creds.keyId, clock);
  }

  get secrets(): readonly string[] {
    return [this.creds.secretKey, this.creds.keyId];
  }

  async get(path: string, opts: RequestOptions = {}): Promise<RestAnswer> {
    return this.request('GET', path, opts);
  }

  async request(method: string, path: string, opts: RequestOptions = {}): Promise<RestAnswer> {
    await this.bucket.take(opts.priority ?? PRIORITY.query);
    const refused = opts.gate?.();
    if (refused !== undefined) throw new BrokerError('not_sent', `Alpaca ${method} ${path} not sent: ${refused}`);
    const url = new URL(this.baseUrl.replace(/\/+$/, '') + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const ctrl = new AbortController();
    let timedOut = false;
    const timer = this.clock.setTimer(this.timeoutMs, () => {
      timedOut = true;
      ctrl.abort();
    });
    let res: Response;
    let text: string;
    try {
      res = await fetch(url, {
        method,
        headers: {
          'APCA-API-KEY-ID': this.creds.keyId,
          'APCA-API-SECRET-KEY': this.creds.secretKey,
          accept: 'application/json',
          ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
        signal: ctrl.signal,
        redirect: 'error',
      });
      text = await res.text();
    } catch (err) {
      throw transportError(method, path, err, timedOut, this.secrets);
    } finally {
      this.clock.clearTimer(timer);
    }
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
    let body: unknown;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      throw protocolError(`answer to ${method} ${path}`, redact(text, this.secrets).slice(0, 200));
    }
    // A body that echoes a credential (in any encoding) is redacted before it can reach a record, log or alert.
    return { status: res.status, body: holdsSecret(text, this.secrets) ? redactValue(body, this.secrets) : body };
  }

  /** X-Ratelimit-Remaining 0 pauses the key's bucket until X-Ratelimit-Reset (epoch seconds). */
  private observeHeaders(h: Headers): void {
    const remaining = h.get('x-ratelimit-remaining');
    const reset = Number(h.get('x-ratelimit-reset'));
    if (remaining !== null && Number(remaining) <= 0 && h.get('x-ratelimit-reset') !== null && Number.isFinite(reset)) {
      this.bucket.pause(Math.max(0, reset * 1000 - this.clock.now()));
    }
  }

  /** Retry-After (seconds) when present, else X-Ratelimit-Reset (epoch seconds), else one second. */
  private retryAfterMs(h: Headers): number {
    const ra = Number(h.get('retry-after'));
    if (h.get('retry-after') !== null && Number.isFinite(ra)) return Math.max(0, ra * 1000);
    const reset = Number(h.get('x-ratelimit-reset'));
    if (h.get('x-ratelimit-reset') !== null && Number.isFinite(reset)) {
      return Math.min(60_000, Math.max(250, reset * 1000 - this.clock.now()));
    }
    return 1_000;
  }
}

export const isNotFound = (err: unknown): boolean => err instanceof BrokerError && err.code === 'not_found';
