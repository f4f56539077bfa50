// A loopback HTTP proxy that adds a broker round trip to REST calls: half before the request reaches the simulator,
// half before the response goes back. Every contender of the copy-path bench goes through the same proxy.
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DelayProxy {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDelayProxy(target: string, roundTripMs: number): Promise<DelayProxy> {
  const to = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const half = roundTripMs / 2;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const out = request(
          { agent, host: to.hostname, port: to.port, method: req.method, path: req.url, headers: req.headers },
          (up) => {
            const body: Buffer[] = [];
            up.on('data', (c: Buffer) => body.push(c));
            up.on('end', () =>
              setTimeout(() => {
                res.writeHead(up.statusCode ?? 502, up.headers);
                res.end(Buffer.concat(body));
              }, half),
            );
          },
        );
        out.on('error', () => res.writeHead(502).end());
        out.end(Buffer.concat(chunks));
      }, half);
    });
  });
  // Idle keep-alive connections stay open for the whole run: with Node's 5 s default, a contender idle through a slow
  // naive trade (3 s at N=50) reused a socket the proxy was closing, and its order failed with 'socket hang up'.
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
