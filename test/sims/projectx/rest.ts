// Simulator REST surface: POST /api/... routes with the envelope, per-endpoint error enums, 400/401/429 behaviour.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAuth } from './auth.js';
import { type Envelope, type PlaceInput, type SimExchange } from './exchange.js';
import { OrderStatus, wireAccount, wireContract, wireOrder, wirePosition, wireTrade, withNulls } from './model.js';

export interface RestLogEntry {
  readonly path: string;
  readonly body: unknown;
  readonly status: number;
  /** performance.now() when the request body had arrived. */
  readonly at: number;
  /** The login the bearer token belongs to (undefined for login and refused requests). */
  readonly user?: string;
}

type Body = Record<string, unknown>;
type Route = (body: Body, user: string) => Envelope | undefined;

const ok = (extra: Record<string, unknown> = {}): Envelope => ({ ...extra, success: true, errorCode: 0, errorMessage: null });
const int = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const since = (b: Body, field: string): number => (typeof b[field] === 'string' ? Date.parse(b[field] as string) : 0);

export class SimRest {
  readonly log: RestLogEntry[] = [];
  readonly issued: string[] = [];
  onRequest?: (e: RestLogEntry) => void;
  /** Fault: order queries omit customTag (some gateway versions do; the hub still carries it). */
  omitCustomTag = false;
  /** Fault: Order/v2/query is missing (HTTP 404), as on deployments that predate it. */
  disableV2 = false;
  /** Fault: this many coming Order/place requests are executed, then the connection drops before the answer. */
  dropPlaceResponses = 0;
  private readonly routes: Record<string, Route>;

  constructor(private readonly auth: SimAuth, private readonly ex: SimExchange) {
    this.routes = {
      '/api/Account/search': (_b, user) => ok({ accounts: [...ex.accounts.values()].filter((a) => ex.owns(user, a.id)).map(wireAccount) }),
      '/api/Contract/search': (b) => ok({
        contracts: [...ex.contracts.values()]
          .filter((c) => typeof b.searchText !== 'string' || c.name.includes(b.searchText.toUpperCase()) || c.description.includes(b.searchText))
          .slice(0, 20).map(wireContract),
      }),
      '/api/Contract/searchById': (b) => {
        const c = ex.contracts.get(String(b.contractId));
        return c ? ok({ contract: wireContract(c) }) : { contract: null, success: false, errorCode: 1, errorMessage: 'Contract not found' };
      },
      '/api/Contract/available': () => ok({ contracts: [...ex.contracts.values()].filter((c) => c.activeContract).map(wireContract) }),
      '/api/Order/place': (b) => (!int(b.accountId) || typeof b.contractId !== 'string' || !int(b.type) || !int(b.side) || !int(b.size)
        ? undefined : ex.place(b as unknown as PlaceInput)),
      '/api/Order/cancel': (b) => (!int(b.accountId) || !int(b.orderId) ? undefined : ex.cancel(b.accountId, b.orderId)),
      '/api/Order/searchOpen': (b) => this.orders(b, (o) => o.status === OrderStatus.Open || o.status === OrderStatus.Pending),
      '/api/Order/search': (b) => (typeof b.startTimestamp !== 'string' ? undefined
        : this.orders(b, (o) => o.createdMs >= since(b, 'startTimestamp'))),
      '/api/Order/searchById': (b) => {
        const o = ex.orders.get(Number(b.orderId));
        return o && o.accountId === b.accountId
          ? ok({ order: withNulls({ ...wireOrder(o), ...(this.omitCustomTag ? { customTag: undefined } : {}) }) }) : { order: null, success: false, errorCode: 1, errorMessage: 'Order not found' };
      },
      '/api/Order/v2/query': (b) => {
        const f = (b.filter ?? {}) as Body;
        const statuses = Array.isArray(f.statuses) ? (f.statuses as number[]) : undefined;
        return int(f.accountId) ? this.orders(f, (o) => !statuses || statuses.includes(o.status)) : undefined;
      },
      '/api/Position/searchOpen': (b) => {
        if (!ex.accounts.has(Number(b.accountId))) return { positions: [], success: false, errorCode: 1, errorMessage: 'Account not found' };
        const rows = [...ex.positions.values()].filter((p) => p.accountId === b.accountId && p.net !== 0);
        return ok({ positions: rows.map((p) => withNulls(wirePosition(p, ex.contracts.get(p.contractId)!.name))) });
      },
      '/api/Position/closeContract': (b) => (!int(b.accountId) || typeof b.contractId !== 'string' ? undefined
        : ex.closeContract(b.accountId, b.contractId)),
      '/api/Position/partialCloseContract': (b) => (!int(b.accountId) || typeof b.contractId !== 'string' || !int(b.size) ? undefined
        : ex.closeContract(b.accountId, b.contractId, b.size)),
      '/api/Trade/search': (b) => {
        if (!ex.accounts.has(Number(b.accountId))) return { trades: [], success: false, errorCode: 1, errorMessage: 'Account not found' };
        const from = since(b, 'startTimestamp');
        return ok({ trades: ex.trades.filter((t) => t.accountId === b.accountId && t.createdMs >= from).map((t) => withNulls(wireTrade(t))) });
      },
    };
  }

  private orders(b: Body, pick: (o: ReturnType<SimExchange['orders']['get']> & object) => boolean): Envelope {
    if (!this.ex.accounts.has(Number(b.accountId))) return { orders: [], success: false, errorCode: 1, errorMessage: 'Account not found' };
    const rows = [...this.ex.orders.values()].filter((o) => o.accountId === b.accountId && pick(o));
    return ok({ orders: rows.map((o) => withNulls({ ...wireOrder(o), ...(this.omitCustomTag ? { customTag: undefined } : {}) })) });
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0]!;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const at = performance.now();
    let body: Body = {};
    let user: string | undefined;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): void => {
      const entry = { path, body, status, at, ...(user ? { user } : {}) };
      this.log.push(entry);
      this.onRequest?.(entry);
      res.writeHead(status, { 'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json', ...headers });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload));
    };
    if (req.method === 'GET' && path === '/api/Status/ping') return send(200, 'pong');
    if (req.method !== 'POST') return send(405, '');
    try {
      body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body) : {};
    } catch {
      return send(400, problem('The request body is not valid JSON.'));
    }
    if (path === '/api/Auth/loginKey') {
      if (typeof body.userName !== 'string' || typeof body.apiKey !== 'string') return send(400, problem('userName and apiKey are required.'));
      const r = this.auth.login(body.userName, body.apiKey);
      if ('token' in r) this.issued.push(r.token);
      return send(200, 'token' in r ? ok({ token: r.token }) : { token: null, success: false, errorCode: r.errorCode, errorMessage: null });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    user = this.auth.check(token)?.toLowerCase();
    if (!token || !user) return send(401, '');
    const wait = this.auth.admit(token);
    if (wait !== undefined) return send(429, '', { 'retry-after': String(wait) });
    if (path === '/api/Auth/validate') {
      const newToken = this.auth.refresh(token);
      this.issued.push(newToken);
      return send(200, ok({ newToken }));
    }
    if (path === '/api/Auth/logout') {
      this.auth.revoke(token);
      return send(200, ok());
    }
    const route = this.routes[path];
    if (!route || (this.disableV2 && path === '/api/Order/v2/query')) return send(404, '');
    const acct = path === '/api/Order/v2/query' ? (body.filter as Body | undefined)?.accountId : body.accountId;
    if (int(acct) && !this.ex.owns(user, acct)) return send(200, { success: false, errorCode: 1, errorMessage: 'Account not found' });
    const out = route(body, user);
    if (out && path === '/api/Order/place' && this.dropPlaceResponses > 0) {
      this.dropPlaceResponses--;
      this.log.push({ path, body, status: 0, at, user });
      res.socket?.destroy();
      return;
    }
    return out ? send(200, out) : send(400, problem('One or more validation errors occurred.'));
  }
}

const problem = (title: string) => ({ type: 'https://tools.ietf.org/html/rfc9110#section-15.5.1', title, status: 400, detail: null, instance: null });
