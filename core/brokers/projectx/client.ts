// ProjectX REST client: bearer-token POSTs on a keep-alive connection pool with one shared rate-limit bucket, JWT
// refresh before exp and on 401, re-login as the fallback, 429 pauses, and envelope/HTTP errors mapped per endpoint.
import type { OutgoingHttpHeaders } from 'node:http';
import { BrokerError } from '../../domain/errors.js';
import type { AlertInput } from '../../domain/alert.js';
import type { SendGate } from '../../ports/broker-adapter.js';
import type { Clock, TimerHandle } from '../../ports/clock.js';
import { headerOf, HttpPool, prepareHeaders, TransportError, type HeaderBlock, type PoolAnswer } from '../shared/http-pool.js';
import type { PriorityTokenBucket, RequestPriority } from '../shared/index.js';
import { holdsSecret, redactValue } from '../shared/redact.js';
import { envelopeError, httpError, retryAfterMs, type Envelope } from './errors.js';

export interface ProjectXCredentials {
  readonly userName: string;
  readonly apiKey: string;
}

export interface ClientOptions {
  readonly restUrl: string;
  readonly credentials: ProjectXCredentials;
  readonly clock: Clock;
  readonly bucket: PriorityTokenBucket;
  readonly requestTimeoutMs: number;
  readonly log: (line: string) => void;
  readonly alert: (a: AlertInput) => void;
  /** Called after every new token (login or refresh): the hub must be rebuilt with it. */
  readonly onToken: (token: string) => void;
}

export interface CallOptions {
  readonly priority: RequestPriority;
  /** A mutation (place/cancel/close) is never retried after the request may have reached the server. */
  readonly mutation?: boolean;
  /** Asked right before each write to the wire (after the bucket and the token): a reason means not_sent. */
  readonly gate?: SendGate;
}

const MAX_QUERY_RETRIES_ON_429 = 3;
/** A 401 is retried once per distinct token (a refresh may race with a queued request). */
const MAX_AUTH_RETRIES = 3;
const DEFAULT_429_PAUSE_MS = 5_000;
/** Session tokens remembered for redaction (a gateway may echo the one just replaced). */
const TOKENS_KEPT = 3;

/** Seconds-since-epoch `exp` claim of a JWT, or undefined when unreadable. */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : undefined;
  } catch {
    return undefined;
  }
}

export class ProjectXClient {
  private token: string | undefined;
  /** The newest session tokens, the current one included: masked in any error answer that echoes them. */
  private readonly recentTokens: string[] = [];
  private refreshTimer: TimerHandle | undefined;
  private renewing: Promise<string> | undefined;
  private stopped = false;
  /** The last token's rendered headers (headersFor). */
  private headerCache: { readonly token: string | undefined; readonly headers: HeaderBlock | OutgoingHttpHeaders } | undefined;
  /** Keep-alive connections shared by every account of the login (a copy to N accounts sends N orders at once). */
  readonly pool: HttpPool;

  constructor(private readonly opts: ClientOptions) {
    this.pool = new HttpPool(opts.restUrl, { maxSockets: 64 });
  }

  get currentToken(): string | undefined {
    return this.token;
  }

  /** The current token, logging in first when there is none. */
  async ensureToken(): Promise<string> {
    return this.token ?? this.renew('login');
  }

  /** POSTs to /api/<endpoint>; returns the parsed body of a success=true answer, else throws a BrokerError. */
  async call<T extends object>(endpoint: string, body: unknown, opts: CallOptions): Promise<T & Envelope> {
    const refused = new Set<string>();
    for (let attempt = 0; ; attempt++) {
      if (!this.opts.bucket.tryTake()) await this.opts.bucket.take(opts.priority);
      const token = this.token ?? (await this.renew('login')); // ensureToken() without a tick when the token is held
      const refusal = opts.gate?.();
      if (refusal !== undefined) throw new BrokerError('not_sent', `ProjectX ${endpoint} not sent: ${refusal}`);
      const res = await this.send(endpoint, body, token);
      if (res.status === 401 && !refused.has(token) && refused.size < MAX_AUTH_RETRIES) {
        refused.add(token);
        if (token === this.token) await this.renew('refresh');
        continue;
      }
      if (res.status === 429) {
        const wait = retryAfterMs(headerOf(res.headers, 'retry-after') ?? null, this.opts.clock.now()) ?? DEFAULT_429_PAUSE_MS;
        this.opts.bucket.pause(wait);
        this.opts.alert({ severity: 'warning', code: 'rate_limited', message: `ProjectX rate limit hit on ${endpoint}: pausing requests for ${wait} ms` });
        if (!opts.mutation && attempt < MAX_QUERY_RETRIES_ON_429) continue;
        throw httpError(endpoint, 429, wait);
      }
      if (res.status !== 200) {
        if (res.status === 401) this.opts.alert({ severity: 'error', code: 'auth_failed', message: `ProjectX refused the session on ${endpoint} after re-authenticating` });
        throw httpError(endpoint, res.status);
      }
      return this.envelope<T>(endpoint, res);
    }
  }

  /** Logs in with the API key (no bearer); throws a definite auth BrokerError on failure. */
  private async login(): Promise<string> {
    const res = await this.send('Auth/loginKey', this.opts.credentials, undefined);
    if (res.status !== 200) throw httpError('Auth/loginKey', res.status);
    const body = this.envelope<{ token?: string | null }>('Auth/loginKey', res);
    if (!body.token) throw new BrokerError('protocol', 'ProjectX Auth/loginKey succeeded without a token');
    this.opts.log('ProjectX login succeeded');
    return body.token;
  }

  /** Auth/validate with the current token; falls back to a fresh login when validation fails. */
  private async validate(): Promise<string> {
    const old = this.token;
    if (!old) return this.login();
    try {
      const res = await this.send('Auth/validate', undefined, old);
      if (res.status === 200) {
        const body = this.envelope<{ newToken?: string | null; token?: string | null }>('Auth/validate', res);
        const next = body.newToken ?? body.token;
        if (next) {
          this.opts.log('ProjectX session refreshed through Auth/validate');
          return next;
        }
      }
      this.opts.log(`ProjectX Auth/validate answered HTTP ${res.status}: logging in again`);
    } catch (err) {
      this.opts.log(`ProjectX Auth/validate failed (${err instanceof Error ? err.message : String(err)}): logging in again`);
    }
    return this.login();
  }

  /** One renewal at a time; every caller waits for the same new token. */
  renew(kind: 'login' | 'refresh'): Promise<string> {
    if (!this.renewing) {
      this.renewing = (kind === 'login' ? this.login() : this.validate())
        .then((token) => {
          this.adopt(token);
          return token;
        })
        .catch((err: unknown) => {
          this.opts.alert({ severity: 'error', code: 'auth_failed', message: `ProjectX authentication failed: ${err instanceof Error ? err.message : String(err)}` });
          throw err;
        })
        .finally(() => {
          this.renewing = undefined;
        });
    }
    return this.renewing;
  }

  /** Allows refresh scheduling again after stop() (the session restarts). */
  start(): void {
    this.stopped = false;
  }

  stop(): void {
    this.stopped = true;
    this.token = undefined;
    this.pool.closeIdle();
    if (this.refreshTimer) this.opts.clock.clearTimer(this.refreshTimer);
    this.refreshTimer = undefined;
  }

  private adopt(token: string): void {
    this.token = token;
    this.recentTokens.unshift(token);
    this.recentTokens.length = Math.min(this.recentTokens.length, TOKENS_KEPT);
    if (this.refreshTimer) this.opts.clock.clearTimer(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.stopped) return;
    const exp = jwtExpiry(token);
    const left = exp === undefined ? 3_600_000 : exp * 1000 - this.opts.clock.now();
    const delay = Math.max(1_000, left > 20 * 60_000 ? left - 5 * 60_000 : Math.floor(left * 0.6));
    this.refreshTimer = this.opts.clock.setTimer(delay, () => {
      this.refreshTimer = undefined;
      this.renew('refresh').catch(() => undefined);
    });
    this.opts.onToken(token);
  }

  /**
   * Leaves `count` connections open (at most the pool's size): `count` pings at once (GET /api/Status/ping needs no
   * token and is not rate counted) take the idle connections and open the rest, so the first copy to many accounts
   * finds one per account. Failures are ignored.
   */
  async warm(count: number): Promise<void> {
    const want = Math.min(count, 64);
    if (this.pool.idleSockets() >= want) return;
    const ping = (): Promise<unknown> => this.pool.request('GET', '/api/Status/ping', {}, undefined, this.opts.requestTimeoutMs).catch(() => undefined);
    await Promise.all(Array.from({ length: want }, ping));
  }

  private async send(endpoint: string, body: unknown, token: string | undefined): Promise<PoolAnswer> {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers = this.headersFor(token);
    const started = this.opts.clock.now();
    try {
      return await this.pool.request('POST', `/api/${endpoint}`, headers, data, this.opts.requestTimeoutMs);
    } catch (err) {
      const timedOut = err instanceof TransportError && err.timedOut;
      this.opts.log(`ProjectX ${endpoint} failed after ${this.opts.clock.now() - started} ms: ${timedOut ? 'timeout' : 'connection error'}`);
      throw new BrokerError(timedOut ? 'timeout' : 'network', `ProjectX ${endpoint}: ${timedOut ? 'no answer in time' : 'connection failed'}`, { cause: err });
    }
  }

  /** The headers of a call with this session token (or none), rendered once per token: every order of a copy shares them. */
  private headersFor(token: string | undefined): HeaderBlock | OutgoingHttpHeaders {
    const cached = this.headerCache;
    if (cached && cached.token === token) return cached.headers;
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const rendered = prepareHeaders(headers);
    this.headerCache = { token, headers: rendered };
    return rendered;
  }

  private envelope<T extends object>(endpoint: string, res: PoolAnswer): T & Envelope {
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch (err) {
      throw new BrokerError('protocol', `ProjectX ${endpoint}: answer is not JSON`, { cause: err });
    }
    if (!body || typeof body !== 'object' || typeof (body as Envelope).success !== 'boolean') {
      throw new BrokerError('protocol', `ProjectX ${endpoint}: answer lacks the success/errorCode envelope`, { raw: this.masked(res.text, body) });
    }
    const env = body as T & Envelope;
    if (!env.success) {
      // The gateway's own words go into errors, alerts and the journal: an echoed credential or token is masked first.
      const safe = this.masked(res.text, env);
      throw envelopeError(endpoint, safe, safe);
    }
    return env;
  }

  /** `value` with every credential and recent session token masked, when the answer's text holds one. */
  private masked<V>(text: string, value: V): V {
    const secrets = [this.opts.credentials.apiKey, this.opts.credentials.userName, ...this.recentTokens];
    return holdsSecret(text, secrets) ? redactValue(value, secrets) : value;
  }
}
