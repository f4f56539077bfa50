// Simulator REST surface: auth, X-Ratelimit-* per key, fault hooks, and routing to the trading endpoints.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimAccount, SimBook } from './book.js';
import type { FaultPlan } from './faults.js';
import { routeTrading, type Reply } from './routes.js';
import { apiError } from './wire.js';

export interface RestContext {
  readonly book: SimBook;
  readonly faults: FaultPlan;
  rateLimit: number;
  readonly windowMs: number;
  accountByKey(keyId: string | undefined, secret: string | undefined): SimAccount | undefined;
  /** Requests whose answer is being withheld (timeout faults); closed at stop. */
  readonly held: Set<ServerResponse>;
  /** Called when POST /v2/orders arrives (latency bench). */
  onOrderPost(keyId: string, clientOrderId: string | undefined, at: number): void;
  readonly requests: { method: string; path: string; keyId?: string }[];
  /** Every answer carries the caller's credentials in a header (a careless proxy). */
  echoHeaders: boolean;
}

/** Every character but letters and digits as \uXXXX (a server escaping + / & = and the rest). */
const uEscape = (s: string): string =>
  [...s].map((c) => (/[A-Za-z0-9]/.test(c) ? c : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)).join('');
const htmlEscape = (s: string): string => [...s].map((c) => `&#${c.charCodeAt(0)};`).join('');

function echo(res: ServerResponse, kind: string, acct: SimAccount, headers: Record<string, string>): void {
  if (res.writableEnded || res.destroyed) return;
  const both = `${acct.keyId} ${acct.secretKey}`;
  if (kind === 'echo_json') {
    const text = `{"code":40310000,"message":"request denied for key ${uEscape(acct.keyId)} with secret ${uEscape(acct.secretKey)}"}`;
    res.writeHead(403, { ...headers, 'content-type': 'application/json' }).end(text);
  } else if (kind === 'echo_url') {
    const url = `/v2/orders?${new URLSearchParams({ key_id: acct.keyId, secret: acct.secretKey }).toString()}&raw=${encodeURIComponent(both)}`;
    res.writeHead(404, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ code: 40410000, message: `endpoint not found: ${url}` }));
  } else {
    res.writeHead(502, { ...headers, 'content-type': 'text/html' }).end(`<html><body>502 Bad Gateway for ${htmlEscape(both)}</body></html>`);
  }
}

const windows = new WeakMap<RestContext, Map<string, { start: number; used: number }>>();

function rateHeaders(ctx: RestContext, keyId: string): { headers: Record<string, string>; limited: boolean } {
  let m = windows.get(ctx);
  if (!m) windows.set(ctx, (m = new Map()));
  const now = Date.now();
  let w = m.get(keyId);
  if (!w || now - w.start >= ctx.windowMs) m.set(keyId, (w = { start: now, used: 0 }));
  const limited = w.used >= ctx.rateLimit;
  if (!limited) w.used += 1;
  return {
    limited,
    headers: {
      'X-Ratelimit-Limit': String(ctx.rateLimit),
      'X-Ratelimit-Remaining': String(Math.max(0, ctx.rateLimit - w.used)),
      'X-Ratelimit-Reset': String(Math.ceil((w.start + ctx.windowMs) / 1000)),
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.writableEnded || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...headers, ...(text ? { 'content-type': 'application/json; charset=UTF-8' } : {}) });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function applyFault(ctx: RestContext, res: ServerResponse, kind: string, headers: Record<string, string>, acct: SimAccount): void {
  if (kind.startsWith('echo_')) {
    echo(res, kind, acct, headers);
    return;
  }
  if (kind === 'timeout') {
    ctx.held.add(res);
    res.on('close', () => ctx.held.delete(res));
    return;
  }
  if (kind === 'drop') {
    res.socket?.destroy();
    return;
  }
  if (kind === '429') {
    const reset = String(Math.ceil(Date.now() / 1000) + 1);
    send(res, 429, apiError(42910000, 'rate limit exceeded'), { ...headers, 'X-Ratelimit-Remaining': '0', 'X-Ratelimit-Reset': reset });
    return;
  }
  send(res, Number(kind), apiError(50010000, 'internal server error'), headers);
}

export async function handleRest(ctx: RestContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const path = decodeURIComponent(url.pathname);
  const keyId = req.headers['apca-api-key-id'];
  const secret = req.headers['apca-api-secret-key'];
  const key = typeof keyId === 'string' ? keyId : undefined;
  ctx.requests.push({ method, path, ...(key !== undefined ? { keyId: key } : {}) });
  const acct = ctx.accountByKey(key, typeof secret === 'string' ? secret : undefined);
  if (!acct) {
    send(res, 401, apiError(40110000, 'request is not authorized'));
    return;
  }
  const rate = rateHeaders(ctx, acct.keyId);
  const { limited } = rate;
  const headers = ctx.echoHeaders ? { ...rate.headers, 'X-Request-Echo': `${acct.keyId} ${acct.secretKey}` } : rate.headers;
  if (limited) {
    ctx.faults.record('429', `${method} ${path} (bucket)`, acct.keyId);
    send(res, 429, apiError(42910000, 'rate limit exceeded'), headers);
    return;
  }
  const raw = await readBody(req);
  if (method === 'POST' && path === '/v2/orders') {
    let coid: string | undefined;
    try {
      const b = JSON.parse(raw) as { client_order_id?: unknown };
      coid = typeof b.client_order_id === 'string' ? b.client_order_id : undefined;
    } catch {
      coid = undefined;
    }
    ctx.onOrderPost(acct.keyId, coid, performance.now());
  }
  const before = ctx.faults.takeRest(method, path, acct.keyId, 'before');
  if (before) {
    applyFault(ctx, res, before.kind, headers, acct);
    return;
  }
  let body: unknown;
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw);
    } catch {
      send(res, 400, apiError(40010000, 'request body format is invalid'), headers);
      return;
    }
  }
  let reply: Reply;
  try {
    reply = routeTrading(ctx.book, acct, method, path, url.searchParams, body);
  } catch (err) {
    send(res, 500, apiError(50010000, `internal server error: ${String(err)}`), headers);
    return;
  }
  const after = ctx.faults.takeRest(method, path, acct.keyId, 'after');
  if (after) {
    applyFault(ctx, res, after.kind, headers, acct);
    return;
  }
  send(res, reply.status, reply.body, headers);
}
