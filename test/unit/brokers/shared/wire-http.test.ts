// Issue 11: the raw HTTP/1.1 connections under HttpPool read every answer shape a server may send (Content-Length,
// chunked, read to close, 1xx first, no body) however the bytes are split, reuse a connection only after a complete
// keep-alive answer, send one request at a time per connection, and report every broken exchange as a TransportError.
// A raw TCP server on 127.0.0.1 port 0 writes the answers byte for byte.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HttpPool, TransportError } from '../../../../core/brokers/shared/http-pool.js';

interface Received {
  readonly head: string;
  readonly body: string;
  readonly socket: Socket;
  readonly connection: number;
}

let server: Server;
let url: string;
let connections = 0;
let received: Received[];
/** Answers one parsed request (the test writes raw bytes to the socket). */
let answer: (r: Received) => void;

/** Splits a server's requests by Content-Length (the pool always sends one for a body). */
function serve(socket: Socket, connection: number): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buf.toString('latin1', 0, end);
      const length = Number(/\r\ncontent-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buf.length < end + 4 + length) return;
      const body = buf.toString('utf8', end + 4, end + 4 + length);
      buf = buf.subarray(end + 4 + length);
      const r = { head, body, socket, connection };
      received.push(r);
      answer(r);
    }
  });
  socket.on('error', () => undefined);
}

beforeEach(async () => {
  connections = 0;
  received = [];
  server = createServer((s) => serve(s, ++connections));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const failure = async (p: Promise<unknown>): Promise<unknown> => p.then(() => new Error('resolved'), (e: unknown) => e);
const tick = (ms = 5): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes the bytes a few at a time, each piece in its own write (the client sees many reads). */
async function dribble(socket: Socket, text: string, piece = 3): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += piece) {
    socket.write(bytes.subarray(i, i + piece));
    await tick(1);
  }
}

describe('issue 11: raw HTTP/1.1 connections under the broker pool', () => {
  it('issue 11: reads Content-Length and chunked answers split anywhere (UTF-8 too), and reuses the connection', async () => {
    const pool = new HttpPool(url);
    answer = (r) => {
      if (r.head.startsWith('POST /len')) void dribble(r.socket, 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\n\r\n{"s":"é→ok"}');
      else void dribble(r.socket, 'HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\nX-Ratelimit-Remaining: 7\r\n\r\n4;ext=1\r\n{"a"\r\n7\r\n:"→"}\r\n0\r\nX-Trailer: t\r\n\r\n', 2);
    };
    const a = await pool.request('POST', '/len', { 'content-type': 'application/json' }, '{"q":"ü"}', 2_000);
    expect(a).toMatchObject({ status: 200, text: '{"s":"é→ok"}' });
    expect(a.headers['content-type']).toBe('application/json');
    const b = await pool.request('GET', '/chunked', {}, undefined, 2_000);
    expect(b).toMatchObject({ status: 201, text: '{"a":"→"}' });
    expect(b.headers['x-ratelimit-remaining']).toBe('7');
    expect(received[0]!.body).toBe('{"q":"ü"}');
    expect(received[0]!.head).toMatch(/\r\nContent-Length: 10(\r\n|$)/);
    expect(received[1]!.head).not.toMatch(/content-length/i);
    expect(connections).toBe(1);
    expect(pool.idleSockets()).toBe(1);
    pool.closeIdle();
  });

  it('issue 11: a body read to the close, or a Connection: close answer, is complete but the connection is not reused', async () => {
    const pool = new HttpPool(url);
    answer = (r) => {
      if (r.head.startsWith('GET /eof')) r.socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
      else r.socket.write('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
    };
    expect(await pool.request('GET', '/eof', {}, undefined, 2_000)).toMatchObject({ status: 200, text: 'until the end' });
    expect(await pool.request('GET', '/close', {}, undefined, 2_000)).toMatchObject({ status: 200, text: 'ok' });
    expect(await pool.request('GET', '/close', {}, undefined, 2_000)).toMatchObject({ text: 'ok' });
    expect(connections).toBe(3);
    expect(pool.idleSockets()).toBe(0);
  });

  it('issue 11: 100 Continue is skipped; HEAD and 204 have no body and keep the connection', async () => {
    const pool = new HttpPool(url);
    answer = (r) => {
      if (r.head.startsWith('HEAD')) r.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n');
      else if (r.head.startsWith('DELETE')) r.socket.write('HTTP/1.1 204 No Content\r\n\r\n');
      else r.socket.write('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone');
    };
    expect(await pool.request('POST', '/x', {}, '{}', 2_000)).toMatchObject({ status: 200, text: 'done' });
    expect(await pool.request('POST', '/empty', {}, undefined, 2_000)).toMatchObject({ status: 200, text: 'done' });
    expect(received[1]!.head).toMatch(/\r\nContent-Length: 0(\r\n|$)/);
    expect(await pool.request('HEAD', '/x', {}, undefined, 2_000)).toMatchObject({ status: 200, text: '' });
    expect(await pool.request('DELETE', '/x', {}, undefined, 2_000)).toMatchObject({ status: 204, text: '' });
    expect(connections).toBe(1);
    pool.closeIdle();
  });

  it('issue 11: an answer cut short, a garbled answer or a refused connection is a TransportError (not timed out)', async () => {
    const pool = new HttpPool(url);
    answer = (r) => {
      if (r.head.startsWith('GET /cut')) r.socket.end('HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nhalf');
      else if (r.head.startsWith('GET /chunk-cut')) r.socket.end('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab');
      else r.socket.write('SMTP ready\r\n\r\n');
    };
    for (const path of ['/cut', '/chunk-cut', '/garbled']) {
      const err = await failure(pool.request('GET', path, {}, undefined, 2_000));
      expect(err, path).toBeInstanceOf(TransportError);
      expect((err as TransportError).timedOut, path).toBe(false);
      expect((err as Error).message, path).toContain(`GET ${path}:`);
    }
    const refused = await failure(new HttpPool('http://127.0.0.1:1').request('GET', '/', {}, undefined, 2_000));
    expect(refused).toBeInstanceOf(TransportError);
    expect((refused as TransportError).timedOut).toBe(false);
  });

  it('issue 11: a connection the server closes while idle is dropped, and the next request opens a new one', async () => {
    const pool = new HttpPool(url);
    answer = (r) => r.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1');
    await pool.request('GET', '/a', {}, undefined, 2_000);
    received[0]!.socket.end();
    await tick(20);
    expect(pool.idleSockets()).toBe(0);
    expect(await pool.request('GET', '/b', {}, undefined, 2_000)).toMatchObject({ text: '1' });
    expect(connections).toBe(2);
    pool.closeIdle();
  });

  it('issue 11: bytes after a complete answer (no pipelining was asked) close the connection instead of reusing it', async () => {
    const pool = new HttpPool(url);
    answer = (r) => r.socket.write('HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2');
    expect(await pool.request('GET', '/a', {}, undefined, 2_000)).toMatchObject({ text: '1' });
    expect(await pool.request('GET', '/b', {}, undefined, 2_000)).toMatchObject({ text: '1' });
    expect(connections).toBe(2);
    pool.closeIdle();
  });

  it('issue 11: a short Keep-Alive hint from the server is honoured (a connection about to be closed is not kept)', async () => {
    const pool = new HttpPool(url);
    answer = (r) => r.socket.write('HTTP/1.1 200 OK\r\nKeep-Alive: timeout=1\r\nContent-Length: 1\r\n\r\n1');
    await pool.request('GET', '/a', {}, undefined, 2_000);
    expect(pool.idleSockets()).toBe(0);
  });

  it('issue 11: one request at a time per connection; beyond maxSockets requests wait, and a deadline passes while waiting', async () => {
    const pool = new HttpPool(url, { maxSockets: 2 });
    const held: Socket[] = [];
    answer = (r) => {
      if (r.head.startsWith('GET /hold')) held.push(r.socket);
      else r.socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${r.head.length}\r\n\r\n${r.head}`);
    };
    const answers = await Promise.all(Array.from({ length: 5 }, (_, i) => pool.request('GET', `/n${i}`, {}, undefined, 2_000)));
    expect(answers.map((a) => a.text.split(' ')[1])).toEqual(['/n0', '/n1', '/n2', '/n3', '/n4']);
    expect(connections).toBe(2);
    const holds = [pool.request('GET', '/hold', {}, undefined, 2_000), pool.request('GET', '/hold', {}, undefined, 2_000)];
    const late = await failure(pool.request('GET', '/late', {}, undefined, 100));
    expect(late).toBeInstanceOf(TransportError);
    expect((late as TransportError).timedOut).toBe(true);
    expect(received.filter((r) => r.head.startsWith('GET /late'))).toHaveLength(0);
    for (const s of held) s.write('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
    await Promise.all(holds);
    expect(await pool.request('GET', '/after', {}, undefined, 2_000)).toMatchObject({ status: 200 });
    expect(connections).toBe(2);
    pool.closeIdle();
  });

  it('issue 11: a header that could split the request is refused before anything is written', async () => {
    const pool = new HttpPool(url);
    answer = () => undefined;
    await expect(pool.request('GET', '/x', { 'x-evil': 'a\r\nX-Injected: 1' }, undefined, 2_000)).rejects.toBeInstanceOf(TypeError);
    await expect(pool.request('GET', '/x y', {}, undefined, 2_000)).rejects.toBeInstanceOf(TypeError);
    await tick(20);
    expect(received).toHaveLength(0);
  });
});
