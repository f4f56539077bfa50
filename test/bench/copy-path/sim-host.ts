// The copy-path bench's broker side, in a child process of its own (a broker does not run on the copier's CPU): the
// Alpaca simulator (behind the delay proxy when a round trip is asked) or the ProjectX simulator, driven over IPC.
// It times each trade itself, from the leader's fill frame written to the last follower order received, and counts
// the requests the followers' keys sent in between. SimHost is the parent's handle on it.
import { fork, type ChildProcess } from 'node:child_process';
import { AlpacaSim } from '../../sims/alpaca/server.js';
import { startProjectXSim, type ProjectXSim } from '../../sims/projectx/server.js';
import type { Keys } from './contenders.js';
import { startDelayProxy, type DelayProxy } from './delay-proxy.js';

export interface TradeResult {
  /** ms from the leader's fill frame written to the last of the n follower orders received. */
  readonly ms: number;
  /** Requests from the followers' keys (Alpaca) or the login (ProjectX) in that window, orders included. */
  readonly onPath: number;
  /** Those that were not orders, as "METHOD path". */
  readonly extra: readonly string[];
}

type Req =
  | { op: 'alpaca'; roundTripMs: number }
  | { op: 'projectx'; accounts: number[] }
  | { op: 'addAccount' }
  | { op: 'trade'; leader: string; followers: string[]; side: 'buy' | 'sell' }
  | { op: 'pxTrade'; leader: number; followers: number[]; side: 'buy' | 'sell' }
  | { op: 'requests'; keys: string[] }
  | { op: 'stop' };

/** Child side: one simulator per process, answers one request at a time. */
async function serve(): Promise<void> {
  let alpaca: AlpacaSim | undefined;
  let proxy: DelayProxy | undefined;
  let px: ProjectXSim | undefined;
  const handle = async (m: Req): Promise<unknown> => {
    switch (m.op) {
      case 'alpaca':
        alpaca = await new AlpacaSim({ seed: 4, partialFillRate: 0, rateLimit: 1_000_000_000 }).start();
        proxy = m.roundTripMs > 0 ? await startDelayProxy(alpaca.restUrl, m.roundTripMs) : undefined;
        return { rest: proxy?.url ?? alpaca.restUrl, stream: alpaca.streamUrl };
      case 'projectx':
        px = await startProjectXSim({ users: { bench: 'bench-key' }, accounts: m.accounts.map((id) => ({ id })), rateLimit: { requests: 1_000_000, windowMs: 60_000 } });
        return { rest: px.restUrl, hub: px.hubUrl };
      case 'addAccount': {
        const k = alpaca!.addAccount({ cash: '100000000' });
        return { keyId: k.keyId, secretKey: k.secretKey };
      }
      case 'trade':
        return alpacaTrade(alpaca!, m.leader, new Set(m.followers), m.side);
      case 'pxTrade':
        return projectxTrade(px!, m.leader, new Set(m.followers), m.side);
      case 'requests': {
        const keys = new Set(m.keys);
        return alpaca!.requests.filter((q) => q.keyId !== undefined && keys.has(q.keyId)).length;
      }
      case 'stop':
        await proxy?.close();
        await alpaca?.stop();
        await px?.close();
        setImmediate(() => process.exit(0));
        return null;
    }
  };
  process.on('message', (m: Req & { seq: number }) => {
    handle(m).then(
      (value) => process.send!({ seq: m.seq, value }),
      (err: unknown) => process.send!({ seq: m.seq, error: String(err) }),
    );
  });
  process.send!({ ready: true });
}

async function alpacaTrade(sim: AlpacaSim, leader: string, followers: ReadonlySet<string>, side: 'buy' | 'sell'): Promise<TradeResult> {
  let fillAt = 0;
  let from = 0;
  let pending = followers.size;
  return new Promise<TradeResult>((resolve) => {
    sim.stream.onFillWritten = (keyId, _e, at) => {
      if (keyId !== leader || fillAt) return;
      fillAt = at;
      from = sim.requests.length;
    };
    const rest = (sim as unknown as { rest: { onOrderPost: (k: string, c: string | undefined, at: number) => void } }).rest;
    rest.onOrderPost = (keyId, _cid, at) => {
      if (!fillAt || !followers.has(keyId) || --pending > 0) return;
      const mine = sim.requests.slice(from).filter((q) => q.keyId !== undefined && followers.has(q.keyId));
      const extra = mine.map((q) => `${q.method} ${q.path}`).filter((w) => w !== 'POST /v2/orders');
      resolve({ ms: at - fillAt, onPath: mine.length, extra });
    };
    void sim.leaderTrade(leader, { symbol: 'AAPL', side, qty: '1' });
  });
}

async function projectxTrade(sim: ProjectXSim, leader: number, followers: ReadonlySet<number>, side: 'buy' | 'sell'): Promise<TradeResult> {
  let sentAt = 0;
  let pending = followers.size;
  const seen: string[] = [];
  return new Promise<TradeResult>((resolve) => {
    sim.hub.onFrameSent = (recs, at) => {
      const trade = recs.some((r) => (r as { target?: string }).target === 'GatewayUserTrade' && JSON.stringify(r).includes(`"accountId":${leader}`));
      if (trade) sentAt ||= at;
    };
    sim.rest.onRequest = (e) => {
      const account = (e.body as { accountId?: unknown } | undefined)?.accountId;
      if (!sentAt || pending === 0 || (typeof account === 'number' && !followers.has(account))) return;
      seen.push(e.path);
      if (e.path === '/api/Order/place' && typeof account === 'number' && --pending === 0) {
        resolve({ ms: e.at - sentAt, onPath: seen.length, extra: seen.filter((p) => p !== '/api/Order/place') });
      }
    };
    sim.trade(leader, 'CON.F.US.MES.Z26', side, 1);
  });
}

/** Parent side: the child process and a typed call per request. */
export class SimHost {
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { seq?: number; value?: unknown; error?: string }) => {
      const w = m.seq === undefined ? undefined : this.waiting.get(m.seq);
      if (!w) return;
      this.waiting.delete(m.seq!);
      if (m.error !== undefined) w.reject(new Error(m.error));
      else w.resolve(m.value);
    });
  }

  static async start(): Promise<SimHost> {
    const child = fork(new URL(import.meta.url).pathname, ['--serve'], { execArgv: process.execArgv });
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    return new SimHost(child);
  }

  private call<T>(m: Req): Promise<T> {
    const seq = this.seq++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ ...m, seq });
    });
  }

  alpaca(roundTripMs: number): Promise<{ rest: string; stream: string }> {
    return this.call({ op: 'alpaca', roundTripMs });
  }

  /** The ProjectX simulator with these accounts, all on the login bench / bench-key. */
  projectx(accounts: number[]): Promise<{ rest: string; hub: string }> {
    return this.call({ op: 'projectx', accounts });
  }

  addAccount(): Promise<Keys> {
    return this.call({ op: 'addAccount' });
  }

  trade(leader: Keys, followers: readonly Keys[], side: 'buy' | 'sell'): Promise<TradeResult> {
    return this.call({ op: 'trade', leader: leader.keyId, followers: followers.map((k) => k.keyId), side });
  }

  pxTrade(leader: number, followers: readonly number[], side: 'buy' | 'sell'): Promise<TradeResult> {
    return this.call({ op: 'pxTrade', leader, followers: [...followers], side });
  }

  requests(keys: readonly Keys[]): Promise<number> {
    return this.call({ op: 'requests', keys: keys.map((k) => k.keyId) });
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.call({ op: 'stop' });
    await exited;
  }
}

if (process.argv.includes('--serve')) await serve();
