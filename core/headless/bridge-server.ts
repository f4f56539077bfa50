// Headless bridge: HTTP for the built renderer and a token-authenticated WebSocket carrying the contract.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { BRIDGE_WS_PATH, MAX_CLIENT_MESSAGE_BYTES, TOKEN_PARAM } from '../contract/envelope.js';
import type { Dispatcher } from '../app/dispatcher.js';
import type { Logger } from '../app/logger.js';
import { AuthLimiter, expectedOrigin, isLoopback, newToken, originAllowed, tokenMatches } from './bridge-guard.js';
import { parseFirstQueries } from './bridge-first.js';
import { runSession } from './bridge-session.js';
import { contentSecurityPolicy, serveStatic } from './bridge-static.js';

export interface BridgeOptions {
  readonly dispatcher: Dispatcher;
  /** Directory of the built renderer (out/renderer). */
  readonly staticDir: string;
  readonly log: Logger;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Address to bind; 127.0.0.1 unless allowRemote. */
  readonly bindAddress?: string;
  /** Required to bind anything but loopback; prints a warning. */
  readonly allowRemote?: boolean;
  /** Fixed token (tests); a fresh random one per run otherwise. */
  readonly token?: string;
  readonly maxMessageBytes?: number;
  /** Failed authentications per remote address before it is refused, and for how long. */
  readonly maxFailedAuth?: number;
  readonly failedAuthWindowMs?: number;
  readonly authTimeoutMs?: number;
}

export interface Bridge {
  /** The dashboard URL including the token: share it like a password. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

function reject(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length + 1}\r\n\r\n${text}\n`);
}

export async function startBridge(opts: BridgeOptions): Promise<Bridge> {
  const bind = opts.bindAddress ?? '127.0.0.1';
  if (!isLoopback(bind) && !opts.allowRemote) {
    throw new Error(`refusing to serve the bridge on ${bind}: only 127.0.0.1 unless remote access is explicitly allowed`);
  }
  const token = opts.token ?? newToken();
  opts.log.addSecret(token);
  const limiter = new AuthLimiter(opts.maxFailedAuth ?? 5, opts.failedAuthWindowMs ?? 15 * 60_000);
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxMessageBytes ?? MAX_CLIENT_MESSAGE_BYTES });
  let port = 0;

  const server = createServer((req, res) => {
    const origin = expectedOrigin(req.headers.host, port, bind, opts.allowRemote ?? false);
    if (!origin) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    serveStatic(req, res, opts.staticDir, contentSecurityPolicy(origin.replace(/^http/, 'ws')));
  });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const address = req.socket.remoteAddress ?? 'unknown';
    if (limiter.blocked(address)) return reject(socket, 429, 'Too Many Requests');
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://x');
    } catch {
      return reject(socket, 400, 'Bad Request');
    }
    if (url.pathname !== BRIDGE_WS_PATH) return reject(socket, 404, 'Not Found');
    const origin = expectedOrigin(req.headers.host, port, bind, opts.allowRemote ?? false);
    if (!origin || !originAllowed(req.headers.origin, origin, opts.allowRemote ?? false)) {
      // Not a failed login (no token was tried): counting it would let any web page lock the owner out.
      opts.log.warn(`bridge: refused a connection from ${address}: foreign origin or host`);
      return reject(socket, 403, 'Forbidden');
    }
    const given = url.searchParams.get(TOKEN_PARAM);
    if (given !== null && !tokenMatches(token, given)) {
      limiter.fail(address);
      opts.log.warn(`bridge: refused ${address}: wrong token`);
      return reject(socket, 401, 'Unauthorized');
    }
    const firstQueries = parseFirstQueries(url);
    if (firstQueries === null) return reject(socket, 400, 'Bad Request');
    wss.handleUpgrade(req, socket, head, (ws) =>
      runSession({
        socket: ws,
        dispatcher: opts.dispatcher,
        token,
        address,
        limiter,
        log: opts.log,
        authenticated: given !== null,
        authTimeoutMs: opts.authTimeoutMs ?? 5_000,
        maxInFlight: 64,
        maxBufferedBytes: 16 * 1024 * 1024,
        firstQueries,
      }),
    );
  });

  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(opts.port ?? 0, bind, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  if (!isLoopback(bind)) {
    opts.log.warn(`bridge: WARNING serving on ${bind}:${port}, reachable from other machines; anyone with the token can trade`);
  }
  const hostPart = bind.includes(':') ? `[${bind}]` : bind;
  return {
    url: `http://${hostPart}:${port}/?${TOKEN_PARAM}=${token}`,
    port,
    token,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
