// One keep-alive HTTP/1.1 connection for the broker REST pool (issue 11): the request is written to the socket in the
// call that makes it (one write: head and body together), the answer is read by a small parser (status line, headers,
// Content-Length, chunked or read-to-close bodies, 1xx skipped). No pipelining: one request at a time per connection.
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';

export interface WireAnswer {
  readonly status: number;
  /** Lower-case names; repeated headers joined with ", " (set-cookie stays a list), as node:http gives them. */
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
}

export interface WireTarget {
  readonly tls: boolean;
  readonly host: string;
  readonly port: number;
  /** The Host header (host, and port when not the scheme's default). */
  readonly hostHeader: string;
  /** Trusted CA certificates (PEM) instead of the system's; tests use it, the certificate is always verified. */
  readonly ca?: string;
}

/** Why an exchange ended without an answer; the pool turns it into a TransportError. */
export type WireFailure = { readonly message: string; readonly cause?: unknown };

/** The party waiting for one exchange's outcome (the pool's request), told exactly once. */
export interface Exchange {
  done(answer: WireAnswer | WireFailure, reusable: boolean): void;
}

const MAX_HEAD = 64 * 1024;
/** Headers the connection writes itself. */
const OWN = new Set(['host', 'content-length', 'connection', 'transfer-encoding']);
const BAD_VALUE = /[\r\n\0]/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const CRLF2 = Buffer.from('\r\n\r\n');
/** No bytes yet (shared: a reader only ever replaces its buffer, never writes into it). */
const EMPTY = Buffer.alloc(0);
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

/** A client's fixed request headers, checked and rendered once (pool requests then only add their own lines). */
export class HeaderBlock {
  constructor(
    /** `name: value\r\n` lines. */
    readonly lines: string,
    /** Every line is ASCII (so a head of them writes with its body in one UTF-8 write). */
    readonly ascii: boolean,
  ) {}
}

/** Renders headers into a block; throws a TypeError on a header that could split the request. */
export function headerBlock(headers: OutgoingHttpHeaders): HeaderBlock {
  let lines = '';
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || OWN.has(name.toLowerCase())) continue;
    if (!TOKEN.test(name)) throw new TypeError(`invalid header name ${JSON.stringify(name)}`);
    for (const v of Array.isArray(value) ? value : [value]) {
      const text = String(v);
      if (BAD_VALUE.test(text)) throw new TypeError(`invalid value for header ${name}`);
      lines += `${name}: ${text}\r\n`;
    }
  }
  return new HeaderBlock(lines, isAscii(lines));
}

/**
 * Headers sent on every request, rendered once: a HeaderBlock, or the headers as given when one could split the request
 * (each request then fails with requestHead's TypeError, nothing sent, as it would without the block).
 */
export function prepareHeaders(headers: OutgoingHttpHeaders): HeaderBlock | OutgoingHttpHeaders {
  try {
    return headerBlock(headers);
  } catch {
    return headers;
  }
}

/** The request head and whether it is ASCII; throws a TypeError (nothing sent) on a header that could split the request. */
export function requestHead(method: string, path: string, hostHeader: string, headers: OutgoingHttpHeaders | HeaderBlock, bodyBytes: number | undefined): { head: string; ascii: boolean } {
  if (!TOKEN.test(method) || /[\s\0]/.test(path)) throw new TypeError(`invalid request line ${method} ${path}`);
  const block = headers instanceof HeaderBlock ? headers : headerBlock(headers);
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${hostHeader}\r\nConnection: keep-alive\r\n${block.lines}`;
  // A POST/PUT/PATCH without a body says so (some front ends answer 411 to a request without a length).
  if (bodyBytes !== undefined || WITH_BODY.has(method)) head += `Content-Length: ${bodyBytes ?? 0}\r\n`;
  // The method is a token, the host header ASCII (a URL's host is punycode) and the length digits: the rest decides.
  return { head: head + '\r\n', ascii: block.ascii && isAscii(path) };
}

/** Reads one answer at a time from a connection's bytes. */
class AnswerReader {
  private buf: Buffer = EMPTY;
  private state: 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-end' | 'trailers' | 'close' | 'done' = 'head';
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private keepAlive = true;
  private remaining = 0;
  private readonly body: Buffer[] = [];

  constructor(private readonly headRequest: boolean) {}

  /** Feeds bytes; returns the answer when complete, a failure when the bytes are not HTTP, undefined for more. */
  push(chunk: Buffer): { answer: WireAnswer; reusable: boolean; extra: boolean } | WireFailure | undefined {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    for (;;) {
      if (this.state === 'head') {
        const end = this.buf.indexOf(CRLF2);
        if (end < 0) return this.buf.length > MAX_HEAD ? { message: 'answer head too large' } : undefined;
        const failed = this.readHead(this.buf.toString('latin1', 0, end));
        this.buf = this.buf.subarray(end + 4);
        if (failed) return failed;
        continue;
      }
      if (this.state === 'length') {
        const take = Math.min(this.remaining, this.buf.length);
        if (take > 0) this.body.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return undefined;
        return this.finish();
      }
      if (this.state === 'chunk-size' || this.state === 'chunk-end' || this.state === 'trailers') {
        const eol = this.buf.indexOf('\r\n');
        if (eol < 0) return this.buf.length > MAX_HEAD ? { message: 'chunk line too long' } : undefined;
        const line = this.buf.toString('latin1', 0, eol);
        this.buf = this.buf.subarray(eol + 2);
        if (this.state === 'chunk-end') {
          if (line !== '') return { message: 'chunk not followed by CRLF' };
          this.state = 'chunk-size';
        } else if (this.state === 'trailers') {
          if (line === '') return this.finish();
        } else {
          const size = /^([0-9a-fA-F]{1,8})[ \t]*(;.*)?$/.exec(line);
          if (!size) return { message: 'malformed chunk size' };
          this.remaining = parseInt(size[1]!, 16);
          this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
        }
        continue;
      }
      if (this.state === 'chunk-data') {
        const take = Math.min(this.remaining, this.buf.length);
        if (take > 0) this.body.push(this.buf.subarray(0, take));
        this.buf = this.buf.subarray(take);
        this.remaining -= take;
        if (this.remaining > 0) return undefined;
        this.state = 'chunk-end';
        continue;
      }
      if (this.state === 'close') {
        if (this.buf.length > 0) this.body.push(this.buf);
        this.buf = EMPTY;
      }
      return undefined;
    }
  }

  /** The connection ended: completes a read-to-close body, else undefined (the answer was cut short). */
  end(): WireAnswer | undefined {
    if (this.state !== 'close') return undefined;
    return this.finish().answer;
  }

  private readHead(head: string): WireFailure | undefined {
    const lines = head.split('\r\n');
    const m = /^HTTP\/1\.([01]) (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!m) return { message: 'not an HTTP/1.x answer' };
    const status = Number(m[2]);
    const headers: Record<string, string | string[]> = {};
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0 || !TOKEN.test(line.slice(0, colon))) return { message: 'malformed answer header' };
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      const prev = headers[name];
      if (name === 'set-cookie') headers[name] = [...((prev as string[] | undefined) ?? []), value];
      else headers[name] = prev === undefined ? value : `${prev as string}, ${value}`;
    }
    if (status >= 100 && status < 200) {
      if (status === 101) return { message: 'unexpected protocol switch' };
      return undefined; // 100 Continue, 103 Early Hints: the real answer follows
    }
    this.status = status;
    this.headers = headers;
    const conn = String(headers.connection ?? '').toLowerCase();
    this.keepAlive = m[1] === '1' ? !/\bclose\b/.test(conn) : /\bkeep-alive\b/.test(conn);
    const te = String(headers['transfer-encoding'] ?? '').toLowerCase();
    const cl = headers['content-length'] as string | undefined;
    if (this.headRequest || status === 204 || status === 304) {
      this.remaining = 0;
      this.state = 'length';
    } else if (te !== '') {
      if (!/(^|,)\s*chunked\s*$/.test(te)) return { message: `unsupported transfer-encoding ${te}` };
      this.state = 'chunk-size';
    } else if (cl !== undefined) {
      if (!/^\d{1,15}$/.test(cl)) return { message: 'malformed content-length' };
      this.remaining = Number(cl);
      this.state = 'length';
    } else {
      this.keepAlive = false;
      this.state = 'close';
    }
    return undefined;
  }

  private finish(): { answer: WireAnswer; reusable: boolean; extra: boolean } {
    this.state = 'done';
    const text = this.body.length === 1 ? this.body[0]!.toString('utf8') : Buffer.concat(this.body).toString('utf8');
    return { answer: { status: this.status, headers: this.headers as IncomingHttpHeaders, text }, reusable: this.keepAlive, extra: this.buf.length > 0 };
  }
}

/** A connection: opened at once, one exchange at a time, reusable after a complete keep-alive answer. */
export class WireConnection {
  private readonly socket: Socket;
  private current: { exchange: Exchange; reader: AnswerReader } | undefined;
  private closed = false;
  private error: Error | undefined;
  /** An idle timeout is set on the socket (idleFor): the next send clears it. */
  private idling = false;
  /** The server's Keep-Alive timeout hint (ms) from the last answer, when it gave one. */
  keepAliveHintMs: number | undefined;

  constructor(target: WireTarget, private readonly onClosed: (c: WireConnection) => void) {
    this.socket = target.tls
      ? tlsConnect({ host: target.host, port: target.port, ALPNProtocols: ['http/1.1'], ...(isIP(target.host) ? {} : { servername: target.host }), ...(target.ca ? { ca: target.ca } : {}) })
      : netConnect({ host: target.host, port: target.port });
    this.socket.setNoDelay(true);
    this.socket.setKeepAlive(true, 1_000);
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (err) => (this.error ??= err));
    this.socket.on('end', () => this.onEnd());
    this.socket.on('close', () => this.onClose());
    this.socket.on('timeout', () => this.current || this.destroy('idle'));
  }

  get alive(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Writes the request now (queued by the socket until connected) and tells the exchange once with the outcome. */
  send(head: string, headAscii: boolean, body: string | undefined, headRequest: boolean, exchange: Exchange): void {
    this.current = { exchange, reader: new AnswerReader(headRequest) };
    if (this.idling) {
      this.idling = false;
      this.socket.setTimeout(0);
    }
    if (body === undefined || body.length === 0) this.socket.write(head, 'latin1');
    else if (headAscii) this.socket.write(head + body, 'utf8');
    else {
      this.socket.cork();
      this.socket.write(head, 'latin1');
      this.socket.write(body, 'utf8');
      this.socket.uncork();
    }
  }

  /** Drops the connection; an exchange in progress ends with `why`. */
  destroy(why = 'the connection was closed'): void {
    this.fail({ message: why });
    this.socket.destroy();
  }

  /** Closes an idle connection after ms without use. */
  idleFor(ms: number): void {
    this.idling = true;
    this.socket.setTimeout(ms);
  }

  private onData(chunk: Buffer): void {
    const cur = this.current;
    if (!cur) return void this.socket.destroy(); // bytes nobody asked for: the connection is not trustworthy
    const out = cur.reader.push(chunk);
    if (out === undefined) return;
    this.current = undefined;
    if ('message' in out) {
      cur.exchange.done({ message: `malformed answer: ${out.message}` }, false);
      this.socket.destroy();
      return;
    }
    const reusable = out.reusable && !out.extra && this.alive;
    const hint = /\btimeout=(\d+)/.exec(String(out.answer.headers['keep-alive'] ?? ''));
    this.keepAliveHintMs = hint ? Number(hint[1]) * 1000 : undefined;
    if (!reusable) this.socket.destroy();
    cur.exchange.done(out.answer, reusable);
  }

  private onEnd(): void {
    const cur = this.current;
    const answer = cur?.reader.end();
    if (cur && answer) {
      this.current = undefined;
      cur.exchange.done(answer, false);
    }
    this.socket.destroy();
  }

  private onClose(): void {
    this.closed = true;
    this.fail({ message: this.error ? this.error.message : 'the connection closed before the answer was complete', ...(this.error ? { cause: this.error } : {}) });
    this.onClosed(this);
  }

  private fail(f: WireFailure): void {
    const cur = this.current;
    if (!cur) return;
    this.current = undefined;
    cur.exchange.done(f, false);
  }
}

const isAscii = (s: string): boolean => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};
