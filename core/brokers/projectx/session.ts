// ProjectX session shared by every account of one login (REST URL + user name + API key, the key only as a hash):
// one token, one rate-limit bucket, one user-hub connection, one contract book; routes hub events to the accounts.
import { createHash } from 'node:crypto';
import type { AlertInput } from '../../domain/alert.js';
import type { Clock } from '../../ports/clock.js';
import { PriorityTokenBucket, type RandomSource } from '../shared/index.js';
import { ProjectXClient, type ProjectXCredentials } from './client.js';
import { ContractBook } from './contracts.js';
import { MarketHub } from './market-hub.js';
import { accountSchema, parseWith, unwrap, type PxAccount } from './parse.js';
import { UserHubStream, type StreamTuning, type UserEvent } from './stream.js';

export interface AccountSink {
  readonly pxAccountId: number;
  event(target: UserEvent, entity: unknown): void;
  /** REST catch-up after every (re)connect; must not throw. */
  caughtUp(reconnected: boolean): Promise<void>;
  /** Called once every account of the login has caught up: announce the (re)connection. */
  announce(reconnected: boolean): void;
  lost(reason: string): void;
  alert(a: AlertInput): void;
}

export interface SessionConfig {
  readonly restUrl: string;
  readonly hubUrl: string;
  /** The market hub (quotes), opened only while an account of the login watches a contract. */
  readonly marketHubUrl: string;
  readonly credentials: ProjectXCredentials;
  readonly clock: Clock;
  readonly random: RandomSource;
  readonly log: (line: string) => void;
  readonly tuning: StreamTuning & {
    readonly requestTimeoutMs: number;
    readonly rateLimit: { requests: number; windowMs: number };
    /** Hub-fed state is corrected through REST at most this often per account while the hub is connected. */
    readonly snapshotMaxAgeMs: number;
  };
}

const sessions = new Map<string, ProjectXSession>();

/** The map key of a login: a different API key is a different session, and the key is never kept in clear. */
function sessionKey(cfg: SessionConfig): string {
  const user = cfg.credentials.userName.toLowerCase();
  const digest = createHash('sha256').update(`${cfg.restUrl}\n${user}\n${cfg.credentials.apiKey}`).digest('hex');
  return `${cfg.restUrl}|${user}|${digest}`;
}

/** Keys of the sessions now open (diagnostics and tests). */
export const openSessionKeys = (): string[] => [...sessions.keys()];

/**
 * The session for (rest URL, user name, API key), created on first use and forgotten when its last account detaches.
 * `isolated` (a connection test) gets a private session that is never shared and never registered.
 */
export function sessionFor(cfg: SessionConfig, isolated = false): ProjectXSession {
  if (isolated) return new ProjectXSession(cfg, { open: () => undefined, closed: () => undefined });
  const key = sessionKey(cfg);
  let s = sessions.get(key);
  if (!s) {
    s = new ProjectXSession(cfg, {
      open: (me) => {
        if (!sessions.has(key)) sessions.set(key, me);
      },
      closed: (me) => {
        if (sessions.get(key) === me) sessions.delete(key);
      },
    });
    sessions.set(key, s);
  }
  return s;
}

interface Registry {
  open(s: ProjectXSession): void;
  closed(s: ProjectXSession): void;
}

export class ProjectXSession {
  readonly client: ProjectXClient;
  readonly contracts: ContractBook;
  readonly bucket: PriorityTokenBucket;
  /** The login's one market hub connection, shared by every account's MarketData. */
  readonly market: MarketHub;
  private readonly stream: UserHubStream;
  private readonly sinks = new Set<AccountSink>();
  private readonly ready = new WeakSet<AccountSink>();
  private starting: Promise<void> | undefined;
  private accountRows: { at: number; rows: Map<string, PxAccount> } | undefined;
  private accountRead: Promise<Map<string, PxAccount>> | undefined;
  readonly snapshotMaxAgeMs: number;

  constructor(private readonly cfg: SessionConfig, private readonly registry: Registry) {
    this.snapshotMaxAgeMs = cfg.tuning.snapshotMaxAgeMs;
    this.bucket = new PriorityTokenBucket({ capacity: cfg.tuning.rateLimit.requests, windowMs: cfg.tuning.rateLimit.windowMs, clock: cfg.clock });
    this.client = new ProjectXClient({
      restUrl: cfg.restUrl, credentials: cfg.credentials, clock: cfg.clock, bucket: this.bucket,
      requestTimeoutMs: cfg.tuning.requestTimeoutMs, log: cfg.log, alert: (a) => this.broadcast(a),
      onToken: () => {
        this.stream.rebuild('token renewed');
        this.market.rebuild('token renewed');
      },
    });
    this.contracts = new ContractBook(this.client, cfg.clock);
    this.market = new MarketHub({
      hubUrl: cfg.marketHubUrl, clock: cfg.clock, random: cfg.random, tuning: cfg.tuning, log: cfg.log,
      token: (recheck) => (recheck ? this.recheckToken() : this.client.ensureToken()),
      onPrice: (contractId, q) => this.contracts.notePrice(contractId, q.price),
    });
    this.stream = new UserHubStream({
      hubUrl: cfg.hubUrl, clock: cfg.clock, random: cfg.random, tuning: cfg.tuning, log: cfg.log,
      token: (recheck) => (recheck ? this.recheckToken() : this.client.ensureToken()),
      accounts: () => [...new Set([...this.sinks].map((s) => s.pxAccountId))],
      handlers: {
        event: (target, arg) => this.route(target, arg),
        connected: (reconnected) => this.caughtUp([...this.sinks], reconnected),
        lost: (reason) => {
          for (const s of this.sinks) s.lost(reason);
        },
        alert: (a) => this.broadcast(a),
      },
    });
  }

  /**
   * One account row of this login: Account/search answers for every account at once, so the login reads it at most
   * once per `maxAgeMs` (GatewayUserAccount events keep the rows current in between).
   */
  async accountRow(pxAccountId: number, maxAgeMs: number): Promise<PxAccount | undefined> {
    const cached = this.accountRows;
    if (cached && this.cfg.clock.now() - cached.at < maxAgeMs) return cached.rows.get(String(pxAccountId));
    this.accountRead ??= this.client
      .call<{ accounts?: unknown[] }>('Account/search', { onlyActiveAccounts: false }, { priority: 'query' })
      .then((body) => {
        const rows = new Map<string, PxAccount>();
        for (const row of body.accounts ?? []) {
          const r = parseWith(accountSchema, row);
          if (r.ok) rows.set(r.value.id, r.value);
        }
        this.accountRows = { at: this.cfg.clock.now(), rows };
        return rows;
      })
      .finally(() => {
        this.accountRead = undefined;
      });
    return (await this.accountRead).get(String(pxAccountId));
  }

  /** Attaches an account and resolves once it is subscribed and caught up. */
  async attach(sink: AccountSink): Promise<void> {
    this.sinks.add(sink);
    this.registry.open(this);
    this.client.start();
    try {
      this.starting ??= this.client.ensureToken().then(async () => {
        await Promise.all([this.stream.start(), this.contracts.start()]);
      });
      await this.starting;
    } catch (err) {
      this.starting = undefined;
      this.sinks.delete(sink);
      if (this.sinks.size === 0) await this.close();
      throw err;
    }
    if (!this.ready.has(sink)) {
      await this.stream.subscribe(sink.pxAccountId);
      await this.caughtUp([sink], false);
    }
    // One open connection per account before the first copy (a copy sends an order to each at once); in the
    // background, so a slow ping never holds up the connect.
    void this.client.warm(this.sinks.size);
  }

  /** After a failed connect that never attached: an unused session leaves the registry (no stale login lingers). */
  async releaseIfIdle(): Promise<void> {
    if (this.sinks.size === 0) await this.close();
  }

  async detach(sink: AccountSink): Promise<void> {
    this.sinks.delete(sink);
    this.ready.delete(sink);
    if (this.sinks.size === 0) await this.close();
  }

  /** Stops everything; a later attach starts afresh (new login, new hub connection). */
  private async close(): Promise<void> {
    this.registry.closed(this);
    this.accountRows = undefined;
    this.starting = undefined;
    this.client.stop();
    this.contracts.stop();
    this.bucket.rejectAll(new Error('ProjectX session closed'));
    await this.market.stop();
    await this.stream.stop();
  }

  /** A cheap authenticated call: a 401 makes the client refresh or log in again before the next hub attempt. */
  private async recheckToken(): Promise<string> {
    await this.client.call('Account/search', { onlyActiveAccounts: true }, { priority: 'query' });
    return this.client.ensureToken();
  }

  /**
   * Catches every account up before any of them announces the reconnect, so a reconcile triggered by one
   * account cannot read the leader's REST position before the leader's missed executions were emitted.
   */
  private async caughtUp(sinks: AccountSink[], reconnected: boolean): Promise<void> {
    await Promise.all(sinks.map((s) => s.caughtUp(reconnected)));
    for (const s of sinks) {
      this.ready.add(s);
      s.announce(reconnected);
    }
  }

  private route(target: UserEvent, arg: unknown): void {
    const entity = unwrap(arg);
    const e = entity as { id?: unknown; accountId?: unknown } | null;
    const acct = target === 'GatewayUserAccount' ? e?.id : e?.accountId;
    if (entity === null || entity === undefined) return;
    if (target === 'GatewayUserAccount') {
      const r = parseWith(accountSchema, entity);
      if (r.ok) this.accountRows?.rows.set(r.value.id, r.value);
    }
    if (typeof acct !== 'number' && typeof acct !== 'string') {
      this.broadcast({ severity: 'warning', code: 'malformed_message', message: `ProjectX ${target} without an account id was ignored`, details: { target } });
      return;
    }
    for (const s of this.sinks) if (String(s.pxAccountId) === String(acct)) s.event(target, entity);
  }

  private broadcast(a: AlertInput): void {
    for (const s of this.sinks) s.alert(a);
  }
}
