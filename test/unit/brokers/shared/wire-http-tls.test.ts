// Issue 11: the raw HTTP/1.1 pool over TLS (the brokers' REST hosts are https): the server certificate is verified
// (a certificate nobody vouches for is a TransportError, nothing sent), and answers and reuse work as over TCP. The key
// pair below is a throwaway self-signed localhost certificate made for this test only.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpPool, TransportError } from '../../../../core/brokers/shared/http-pool.js';

const TEST_ONLY_KEY =
  '-----BEGIN PRIVATE KEY-----\n' +
  'MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgKLNdF1NquuO3y2Fs\n' +
  '6rWbIVS+I4CZIMHUDjgyROh1TdahRANCAATsYxysG8lLRZDgrZu8sl5U1LZW4akp\n' +
  '6TGnBOqjfH0Pwo12K0r1IGFyJJ+0NOvKFs5ot1ng3tJe4PdmQdN/w/6D\n' +
  '-----END PRIVATE KEY-----\n';
const TEST_ONLY_CERT =
  '-----BEGIN CERTIFICATE-----\n' +
  'MIIBnDCCAUGgAwIBAgIUO0ow8Ei3L6IoTHcOGDozF+7c4ScwCgYIKoZIzj0EAwIw\n' +
  'FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMjE5MjEzN1oYDzIxMjYxMTA4\n' +
  'MTkyMTM3WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO\n' +
  'PQMBBwNCAATsYxysG8lLRZDgrZu8sl5U1LZW4akp6TGnBOqjfH0Pwo12K0r1IGFy\n' +
  'JJ+0NOvKFs5ot1ng3tJe4PdmQdN/w/6Do28wbTAdBgNVHQ4EFgQUILqRWFzAPuvg\n' +
  'bCZqhra/+h/AK1wwHwYDVR0jBBgwFoAUILqRWFzAPuvgbCZqhra/+h/AK1wwDwYD\n' +
  'VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARgglsb2NhbGhvc3SHBH8AAAEwCgYIKoZI\n' +
  'zj0EAwIDSQAwRgIhAMXZDemzN43xLQE0PrFBbBjvjtILmwNv5nek4dJ5b9CVAiEA\n' +
  'xWjbDN1XYA2rLit4RM+NNCLd8noe7PYNn2WYx57I6/8=\n' +
  '-----END CERTIFICATE-----\n';

let server: Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = createServer({ key: TEST_ONLY_KEY, cert: TEST_ONLY_CERT }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url, host: req.headers.host, body })));
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('issue 11: the raw pool over TLS', () => {
  it('issue 11: verifies the server certificate for the host name, then answers and reuses the connection', async () => {
    const pool = new HttpPool(`https://localhost:${port}/v2`, { ca: TEST_ONLY_CERT });
    const a = await pool.request('POST', '/orders', { 'content-type': 'application/json' }, '{"qty":"1"}', 2_000);
    const b = await pool.request('GET', '/clock', {}, undefined, 2_000);
    expect(JSON.parse(a.text)).toEqual({ path: '/v2/orders', host: `localhost:${port}`, body: '{"qty":"1"}' });
    expect(JSON.parse(b.text)).toMatchObject({ path: '/v2/clock' });
    expect(connections).toBe(1);
    pool.closeIdle();
  });

  it('issue 11: a certificate the client does not trust is a TransportError, not an answer', async () => {
    const before = connections;
    const err = await new HttpPool(`https://localhost:${port}`).request('GET', '/x', {}, undefined, 2_000).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).timedOut).toBe(false);
    expect((err as Error).message).toMatch(/certificate/i);
    expect(connections).toBe(before);
  });
});
