// HTTP client choice for the copy path (issue 11): N order POSTs issued at once on warm keep-alive connections, timed
// from the first call to the server receiving the last body (server in a child process, both on CLOCK_MONOTONIC) and
// to the last answer, and the CPU this process spent per round; node:http Agent, the raw HTTP/1.1 HttpPool
// (core/brokers/shared/http-pool.ts), undici Pool (when present in node_modules) and fetch, interleaved per round.
// Run: npx tsx test/bench/copy-path/http-clients.ts [--rounds 200] [--n 1,10,50]
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { HttpPool } from '../../../core/brokers/shared/http-pool.js';

const { values: opt } = parseArgs({ options: { rounds: { type: 'string', default: '200' }, n: { type: 'string', default: '1,10,50' }, serve: { type: 'boolean', default: false } } });
const now = (): number => Number(process.hrtime.bigint()) / 1e6;

if (opt.serve) {
  // Child: answers every POST like an order ack and reports when each body had arrived.
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      process.send!({ at: now() });
      const body = JSON.stringify({ id: 'x'.repeat(36), status: 'accepted', client_order_id: 'c', qty: '1', filled_qty: '0' });
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
} else {
  const rounds = Number(opt.rounds);
  const sizes = opt.n.split(',').map(Number);
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: process.execArgv });
  const port = await new Promise<number>((resolve) => child.once('message', (m: { port: number }) => resolve(m.port)));
  let arrivals: number[] = [];
  child.on('message', (m: { at?: number }) => void (m.at !== undefined && arrivals.push(m.at)));
  const body = JSON.stringify({ symbol: 'AAPL', qty: '1', side: 'buy', type: 'market', time_in_force: 'day', client_order_id: 'md-0123456789abcdef' });
  const headers = { 'APCA-API-KEY-ID': 'PK0123456789', 'APCA-API-SECRET-KEY': 'secret0123456789', accept: 'application/json', 'content-type': 'application/json' };

  type Send = () => Promise<void>;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const viaHttp: Send = () =>
    new Promise((resolve, reject) => {
      const req = request({ agent, host: '127.0.0.1', port, method: 'POST', path: '/v2/orders', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => resolve(void JSON.parse(Buffer.concat(parts).toString('utf8'))));
      });
      req.on('error', reject);
      req.end(body);
    });
  const viaFetch: Send = async () => void (await (await fetch(`http://127.0.0.1:${port}/v2/orders`, { method: 'POST', headers, body })).json());
  const rawPool = new HttpPool(`http://127.0.0.1:${port}`, { maxSockets: 64 });
  const viaRaw: Send = async () => void JSON.parse((await rawPool.request('POST', '/v2/orders', headers, body, 10_000)).text);
  const contenders: [string, Send][] = [['node:http Agent', viaHttp], ['raw HttpPool', viaRaw], ['fetch', viaFetch]];
  try {
    const { Pool } = (await import('undici')) as typeof import('undici');
    const pool = new Pool(`http://127.0.0.1:${port}`, { connections: 64, pipelining: 1 });
    contenders.push(['undici Pool', async () => void (await (await pool.request({ method: 'POST', path: '/v2/orders', headers, body })).body.json())]);
  } catch {
    console.log('undici not in node_modules: not measured');
  }
  const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  console.log(`N POSTs at once on warm keep-alive connections; ms from the first call to the server having the last body (arrive) and to the last answer (done); ${rounds} rounds`);
  for (const n of sizes) {
    const out = new Map(contenders.map(([name]) => [name, { arrive: [] as number[], done: [] as number[], cpu: 0 }]));
    for (const [, send] of contenders) await Promise.all(Array.from({ length: n }, send));
    for (let r = 0; r < rounds; r++) {
      for (const [name, send] of r % 2 === 0 ? contenders : [...contenders].reverse()) {
        arrivals = [];
        const c0 = process.cpuUsage();
        const t0 = now();
        await Promise.all(Array.from({ length: n }, send));
        const done = now() - t0;
        const c = process.cpuUsage(c0);
        out.get(name)!.cpu += (c.user + c.system) / 1000 / rounds;
        while (arrivals.length < n) await new Promise((res) => setImmediate(res));
        out.get(name)!.arrive.push(Math.max(...arrivals) - t0);
        out.get(name)!.done.push(done);
      }
    }
    for (const [name, s] of out) {
      console.log(`  N=${String(n).padEnd(3)} ${name.padEnd(16)} arrive p50 ${pct(s.arrive, 0.5).toFixed(3)} p90 ${pct(s.arrive, 0.9).toFixed(3)}  done p50 ${pct(s.done, 0.5).toFixed(3)} p90 ${pct(s.done, 0.9).toFixed(3)} ms; cpu/round ${s.cpu.toFixed(3)} ms`);
    }
  }
  child.kill();
  agent.destroy();
  rawPool.closeIdle();
}
