// Chaos harness: the headless app as a child process (`node --import tsx core/headless/cli.ts run ...`, so a SIGKILL
// hits the process that holds the journal), its output, readiness, hard kills, clean stops and the bridge's kill switch.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';

export const ROOT = join(import.meta.dirname, '../..');

export interface AppProcess {
  readonly proc: ChildProcess;
  /** Every stdout and stderr line so far (stderr carries the log). */
  readonly lines: string[];
  /** The dashboard URL with its token (only with bridge: true), once printed. */
  bridgeUrl(): string | undefined;
  waitForLine(re: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  alive(): boolean;
  kill(): Promise<void>;
  terminate(): Promise<void>;
}

export interface AppOptions {
  readonly config: string;
  readonly dataDir: string;
  readonly env: Record<string, string>;
  readonly bridge: boolean;
}

/** Children still running; SIGKILLed if the test process exits first, so no app outlives its test. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

export function startApp(opts: AppOptions): AppProcess {
  const args = ['--import', 'tsx', 'core/headless/cli.ts', 'run', '--config', opts.config, '--data-dir', opts.dataDir, '--secrets', 'env'];
  if (opts.bridge) args.push('--bridge');
  const proc = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const bufs = { out: '', err: '' };
  const take = (k: 'out' | 'err') => (d: Buffer) => {
    bufs[k] += String(d);
    let i;
    while ((i = bufs[k].indexOf('\n')) >= 0) {
      lines.push(bufs[k].slice(0, i));
      bufs[k] = bufs[k].slice(i + 1);
    }
  };
  proc.stdout!.on('data', take('out'));
  proc.stderr!.on('data', take('err'));
  live.add(proc);
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      live.delete(proc);
      resolve();
    }),
  );
  const alive = () => proc.exitCode === null && proc.signalCode === null;
  const signal = async (sig: NodeJS.Signals) => {
    if (!alive()) return;
    proc.kill(sig);
    await exited;
  };
  return {
    proc,
    lines,
    alive,
    bridgeUrl: () => lines.map((l) => l.match(/^Mirrordesk dashboard: (\S+)/)?.[1]).find((u) => u !== undefined),
    async waitForLine(re, timeoutMs) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        for (const line of lines) {
          const m = line.match(re);
          if (m) return m;
        }
        if (!alive()) throw new Error(`the app exited (${proc.exitCode ?? proc.signalCode}) before ${re}:\n${lines.slice(-30).join('\n')}`);
        if (Date.now() > end) throw new Error(`no ${re} within ${timeoutMs} ms:\n${lines.slice(-30).join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill: () => signal('SIGKILL'),
    async terminate() {
      const t = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await signal('SIGTERM');
      clearTimeout(t);
    },
  };
}

export interface InvokeResult {
  readonly ok: boolean;
  readonly value?: unknown;
  readonly error?: { code: string; message: string };
}

/** One contract call through the bridge's WebSocket (token from the printed URL). */
export async function invokeBridge(httpUrl: string, channel: string, payload: unknown, timeoutMs = 15_000): Promise<InvokeResult> {
  const u = new URL(httpUrl);
  u.protocol = 'ws:';
  u.pathname = '/ws';
  const ws = new WebSocket(u.toString());
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`bridge refused: HTTP ${res.statusCode}`)));
    });
    return await new Promise<InvokeResult>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${channel}: no answer within ${timeoutMs} ms`)), timeoutMs);
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: InvokeResult };
        if (msg.type === 'result' && msg.id === 1) {
          clearTimeout(t);
          resolve(msg.result!);
        }
      });
      ws.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }));
    });
  } finally {
    ws.close();
  }
}
