// Background WAL checkpoints: a worker thread with its own connection runs PASSIVE checkpoints on a timer, and restarts
// the WAL after one that emptied it, so neither the checkpoint's fsyncs (30-40 ms each on a slow disk) nor the WAL
// header's sync stall the copy path on the main thread. Until the worker is ready, and again if it fails, the main
// connection checkpoints by itself as before (wal_autocheckpoint).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Database } from './database.js';

/** The main connection's own checkpoint threshold when no worker does it (pages). */
export const AUTOCHECKPOINT_PAGES = 10_000;

/**
 * Time between checkpoints by default, ms. A checkpoint that copies the whole WAL back makes the next commit restart the
 * WAL and sync its header in that commit; the worker makes that commit itself (WORKER_SOURCE), so the interval only
 * bounds the WAL's size. Without that, a copier trading every few seconds paid the fsync on nearly every copy at one
 * checkpoint a second (strace of the demo).
 */
export const CHECKPOINT_INTERVAL_MS = 1_000;

export interface CheckpointerOptions {
  /** Time between checkpoints, ms (default CHECKPOINT_INTERVAL_MS). */
  readonly intervalMs?: number;
  /** Told when the worker fails (the main connection has taken checkpoints back by then). */
  readonly onError?: (err: Error) => void;
}

/** What the worker reports. */
type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'checkpoint'; readonly log: number; readonly checkpointed: number; readonly restarted: boolean }
  | { readonly type: 'error'; readonly message: string };

// Plain CommonJS run with eval (no loader or bundler entry needed); the driver is required by absolute path.
// A tick does nothing unless another connection committed since the last one (data_version). After a checkpoint that
// copied the whole WAL back, the worker commits one small row itself: that commit restarts the WAL and syncs its header
// here, so the app's next commit appends to the new WAL instead of paying that fsync on the copy path.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
const restart = db.prepare("INSERT INTO workspace (key, value) VALUES ('checkpointer.walRestartedAt', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
let seen;
const tick = () => {
  try {
    const version = db.pragma('data_version', { simple: true });
    if (version === seen) return;
    seen = version;
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    const restarted = r.log > 0 && r.checkpointed === r.log;
    if (restarted) restart.run(String(Date.now()));
    parentPort.postMessage({ type: 'checkpoint', log: r.log, checkpointed: r.checkpointed, restarted });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message) });
  }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
`;

export class Checkpointer {
  private readonly worker: Worker;
  private active = false;
  private stopped = false;
  /** Checkpoints the worker has run (for tests and diagnostics). */
  checkpoints = 0;
  /** Of those, the ones after which the worker restarted the WAL itself. */
  restarts = 0;

  constructor(
    private readonly db: Database,
    path: string,
    private readonly options: CheckpointerOptions = {},
  ) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, path, intervalMs: options.intervalMs ?? CHECKPOINT_INTERVAL_MS } });
    // Never what keeps the process alive.
    this.worker.unref();
    this.worker.on('message', (m: WorkerMessage) => this.onMessage(m));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => {
      if (!this.stopped) this.fail(new Error(`checkpoint worker exited (${code})`));
    });
  }

  /** True while the worker does the checkpoints (the main connection's own are off). */
  get running(): boolean {
    return this.active;
  }

  /** Stops the worker; the main connection checkpoints by itself again. Idempotent. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.handBack();
    this.worker.postMessage('stop');
  }

  private onMessage(m: WorkerMessage): void {
    if (this.stopped) return;
    if (m.type === 'ready') {
      this.db.exec('PRAGMA wal_autocheckpoint = 0');
      this.active = true;
    } else if (m.type === 'checkpoint') {
      this.checkpoints++;
      if (m.restarted) this.restarts++;
    }
    else this.fail(new Error(`checkpoint failed: ${m.message}`));
  }

  private fail(err: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    this.handBack();
    void this.worker.terminate();
    this.options.onError?.(err);
  }

  private handBack(): void {
    if (!this.active) return;
    this.active = false;
    if (this.db.open) this.db.exec(`PRAGMA wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }
}
