// Issue 11: the keep-alive pool that replaced fetch in the Alpaca and ProjectX clients keeps their semantics: one
// deadline per answer, transport failures typed (and mapped to unknown outcomes, never resent), Retry-After honoured,
// connections reused. A real node:http server on 127.0.0.1 port 0 plays the broker.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../../core/app/system-clock.js';
import { AlpacaRestClient } from '../../../../core/brokers/alpaca/client.js';
import { HttpPool, TransportError } from '../../../../core/brokers/shared/http-pool.js';
import { BrokerError } from '../../../../core/domain/errors.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let url: string;
let handler: Handler;
let connections = 0;

beforeEach(async () => {
  connections = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => handler(req, res, body));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failure = async (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('resolved'), (e: unknown) => e);
let keyN = 0;
const client = (timeoutMs = 2_000) => new AlpacaRestClient(url, { keyId: `PKPOOLTEST${keyN++}`, secretKey: 'pool-secret-value-123' }, new SystemClock(), timeoutMs);

describe('issue 11: the HTTP pool behind the broker clients', () => {
  it('issue 11: answers whole, with the body sent as written, and reuses one kept-alive connection', async () => {
    handler = (req, res, body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, path: req.url, body }));
    const pool = new HttpPool(`${url}/base/`);
    const a = await pool.request('POST', '/v2/orders?x=1', { 'content-type': 'application/json' }, '{"qty":"1"}', 2_000);
    const b = await pool.request('GET', '/v2/clock', {}, undefined, 2_000);
    expect(JSON.parse(a.text)).toEqual({ method: 'POST', path: '/base/v2/orders?x=1', body: '{"qty":"1"}' });
    expect(JSON.parse(b.text)).toMatchObject({ method: 'GET', path: '/base/v2/clock' });
    expect(connections).toBe(1);
    expect(pool.idleSockets()).toBe(1);
    pool.closeIdle();
  });

  it('issue 11: no answer within the deadline is a TransportError(timedOut), and an Alpaca order POST a timeout with an unknown outcome', async () => {
    handler = () => undefined; // the request arrives; the answer never does
    const err = await failure(new HttpPool(url).request('GET', '/slow', {}, undefined, 150));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).timedOut).toBe(true);
    const posted = await failure(client(150).request('POST', '/v2/orders', { body: { symbol: 'AAPL' } }));
    expect(posted).toBeInstanceOf(BrokerError);
    expect(posted).toMatchObject({ code: 'timeout', outcome: 'unknown' });
  });

  it('issue 11: a connection dropped after the request arrived, or refused, is a network error with an unknown outcome', async () => {
    handler = (req) => req.socket.destroy();
    const dropped = await failure(client().request('POST', '/v2/orders', { body: { symbol: 'AAPL' } }));
    expect(dropped).toMatchObject({ code: 'network', outcome: 'unknown' });
    const refused = await failure(new AlpacaRestClient('http://127.0.0.1:1', { keyId: 'PKREFUSED1', secretKey: 'refused-secret-1' }, new SystemClock(), 1_000).get('/v2/clock'));
    expect(refused).toMatchObject({ code: 'network', outcome: 'unknown' });
    expect((refused as Error).message).not.toMatch(/refused-secret-1|PKREFUSED1/);
  });

  it('issue 11: 5xx is a server error (unknown outcome); 429 pauses the key for Retry-After and is rate_limited', async () => {
    handler = (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"code":50010000,"message":"busy"}');
    const c = client();
    expect(await failure(c.request('POST', '/v2/orders', { body: {} }))).toMatchObject({ code: 'server', outcome: 'unknown', status: 503 });
    handler = (_req, res) => res.writeHead(429, { 'retry-after': '2', 'content-type': 'application/json' }).end('{"code":42910000,"message":"rate limit exceeded"}');
    const limited = await failure(c.request('POST', '/v2/orders', { body: {} }));
    expect(limited).toMatchObject({ code: 'rate_limited', outcome: 'unknown', retryAfterMs: 2_000 });
    expect(c.bucket.tryTake()).toBe(false); // paused: nothing goes out until Retry-After has passed
  });

  it('issue 11: a body echoing the credentials is redacted before it reaches the caller or an error', async () => {
    handler = (req, res) => res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `denied for ${String(req.headers['apca-api-secret-key'])}` }));
    const err = await failure(client().get('/v2/account'));
    expect(err).toBeInstanceOf(BrokerError);
    expect((err as Error).message).not.toMatch(/pool-secret-value-123/);
    expect((err as Error).message).toMatch(/denied for \*\*\*/);
  });
});
