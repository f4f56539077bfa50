// ProjectX simulator on 127.0.0.1: REST + user hub on one port, accounts/contracts, trading and fault injection.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { SimAuth } from './auth.js';
import { SimExchange } from './exchange.js';
import { SimHub } from './hub.js';
import { SimMarketHub } from './market-hub.js';
import { Decimal } from '../../../core/domain/decimal.js';
import { SimRest, type RestLogEntry } from './rest.js';
import type { SimAccountInput } from './model.js';

/** One login (user name + API key) and the accounts it owns. */
export interface SimLogin {
  readonly userName: string;
  readonly apiKey: string;
  readonly accounts: readonly SimAccountInput[];
}

export interface ProjectXSimOptions {
  readonly port?: number;
  /** user name -> API key; accounts without a `user` belong to the first one. */
  readonly users?: Readonly<Record<string, string>>;
  readonly accounts?: readonly SimAccountInput[];
  /** More logins with their own accounts (several logins, five and more accounts each). */
  readonly logins?: readonly SimLogin[];
  /** JWT lifetime (24 h by default; short in tests to force refreshes). */
  readonly tokenTtlMs?: number;
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  readonly pingIntervalMs?: number;
}

export class ProjectXSim {
  readonly exchange: SimExchange;
  readonly auth: SimAuth;
  readonly rest: SimRest;
  readonly hub: SimHub;
  /** /hubs/market: quotes and trades for subscribed contracts; setPrice publishes on it. */
  readonly marketHub: SimMarketHub;
  private port = 0;

  constructor(private readonly server: Server, opts: ProjectXSimOptions) {
    const users = { ...(opts.users ?? (opts.logins?.length ? {} : { trader: 'test-api-key' })) };
    for (const l of opts.logins ?? []) users[l.userName] = l.apiKey;
    this.auth = new SimAuth({
      users,
      tokenTtlMs: opts.tokenTtlMs ?? 24 * 3600_000,
      rateLimit: opts.rateLimit ?? { requests: 200, windowMs: 60_000 },
    });
    this.hub = new SimHub(this.auth, { pingIntervalMs: opts.pingIntervalMs ?? 15_000 }, (user, id) => this.exchange.owns(user, id));
    this.exchange = new SimExchange((acct, target, action, data) => this.hub.publish(acct, target, action, data));
    this.marketHub = new SimMarketHub(this.auth, () => this.exchange.contracts, opts.pingIntervalMs ?? 15_000);
    this.rest = new SimRest(this.auth, this.exchange);
    const firstUser = Object.keys(users)[0] ?? '';
    for (const a of opts.accounts ?? []) this.exchange.addAccount(a, firstUser);
    for (const l of opts.logins ?? []) for (const a of l.accounts) this.exchange.addAccount(a, l.userName);
  }

  get restUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get hubUrl(): string {
    return `http://127.0.0.1:${this.port}/hubs/user`;
  }

  get marketHubUrl(): string {
    return `http://127.0.0.1:${this.port}/hubs/market`;
  }

  /** Moves the market: working orders may fill, and the market hub sends the quote and trade. */
  setPrice(contractId: string, price: string): void {
    this.exchange.setPrice(contractId, price);
    this.marketHub.publish(contractId, Decimal.from(price));
  }

  async listen(port: number): Promise<void> {
    this.server.on('request', (req, res) => {
      if (req.method === 'POST' && /^\/hubs\/(user|market)\/negotiate/.test(req.url ?? '')) {
        const id = randomUUID();
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ negotiateVersion: 1, connectionId: id, connectionToken: id,
          availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }] }));
        return;
      }
      this.rest.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    });
    this.server.on('upgrade', (req, socket, head) => {
      if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname === '/hubs/market') this.marketHub.upgrade(req, socket, head);
      else this.hub.upgrade(req, socket, head);
    });
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A person trading on the platform (the leader): a market order with the §6.6 event sequence. */
  trade(accountId: number, contractId: string, side: 'buy' | 'sell', size: number): number {
    const r = this.exchange.place({ accountId, contractId, type: 2, side: side === 'buy' ? 0 : 1, size });
    if (!r.success) throw new Error(`sim trade failed: ${r.errorCode} ${r.errorMessage ?? ''}`);
    return r.orderId as number;
  }

  /** Contract roll: whether a contract still accepts orders (the old month during roll week). */
  setContractActive(contractId: string, active: boolean): void {
    const c = this.exchange.contracts.get(contractId);
    if (!c) throw new Error(`sim has no contract ${contractId}`);
    this.exchange.contracts.set(contractId, { ...c, activeContract: active });
  }

  /** Fault: every token issued so far expires now (REST answers 401, hub upgrades are refused). */
  expireTokens(): void {
    this.auth.revokeAllIssued(this.rest.issued);
  }

  /** Fault: the next n authenticated requests answer 429 with Retry-After. */
  rateLimitBurst(n: number, retryAfterSeconds = 1): void {
    this.auth.burst429 = n;
    this.auth.retryAfterSeconds = retryAfterSeconds;
  }

  /** REST requests answered so far for one login (every request when omitted). */
  requestsOf(user?: string): RestLogEntry[] {
    return this.rest.log.filter((e) => user === undefined || e.user === user.toLowerCase());
  }

  /** Order/place requests received so far (for no-duplicate assertions). */
  placeRequests(accountId?: number): { customTag?: string; accountId: number; size: number; side: number }[] {
    return this.rest.log
      .filter((e) => e.path === '/api/Order/place' && e.status === 200)
      .map((e) => e.body as { customTag?: string; accountId: number; size: number; side: number })
      .filter((b) => accountId === undefined || b.accountId === accountId);
  }

  async close(): Promise<void> {
    this.hub.close();
    this.marketHub.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export async function startProjectXSim(opts: ProjectXSimOptions = {}): Promise<ProjectXSim> {
  const sim = new ProjectXSim(createServer(), opts);
  await sim.listen(opts.port ?? 0);
  return sim;
}
