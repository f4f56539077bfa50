// ActivityLog: what the app did, in the log file, for reading after the fact: leader executions, each follower
// order's outcome, alerts, and trading-state changes (halts, pauses, resumes). Lines are written after the tick that
// produced them (off the copy path); detaching writes what is queued.
import type { Alert } from '../domain/alert.js';
import { isTerminal } from '../domain/order-fsm.js';
import type { CopyIntent } from '../ports/journal.js';
import type { ExecutionEvent } from '../engine/index.js';
import type { Logger, LogLevel } from './logger.js';

export interface ActivitySource {
  on(event: 'execution', fn: (e: ExecutionEvent) => void): () => void;
  on(event: 'intent', fn: (i: CopyIntent) => void): () => void;
  on(event: 'alert', fn: (a: Alert) => void): () => void;
  on(event: 'state', fn: (s: { scope: string; state: string }) => void): () => void;
}

const ALERT_LEVEL: Record<Alert['severity'], LogLevel> = { info: 'info', warning: 'warn', error: 'error', critical: 'error' };

export function copyLine(i: CopyIntent): string {
  const price = i.avgFillPrice ? ` @${i.avgFillPrice.toString()}` : '';
  const source = i.executionId ? `leader execution ${i.executionId}` : `${i.purpose} ${i.sourceId}`;
  const latency = i.ackAt !== undefined ? ` (${i.ackAt - i.leaderReceivedAt}ms to ack)` : '';
  const why = i.error ? ` - ${i.error}` : '';
  const dry = i.dryRun ? ' [dry run]' : '';
  return `copy ${i.linkId}: ${i.followerAccountId} ${i.side.toUpperCase()} ${i.qty.toString()} ${i.symbol} ${i.status}${price} for ${source}${latency}${dry}${why}`;
}

/** Writes the host's activity to the log file (not the console, which shows copies its own way). Returns detach. */
export function attachActivityLog(host: ActivitySource, log: Logger): () => void {
  const queued: [LogLevel, string][] = [];
  let scheduled: ReturnType<typeof setImmediate> | undefined;
  const writeQueued = () => {
    scheduled = undefined;
    for (const [level, message] of queued.splice(0)) (log.toFile ? log.toFile(level, message) : log.log(level, message));
  };
  // Written after the current tick, in order: the file append (a synchronous syscall, milliseconds at worst) runs after
  // the orders of the leader execution that produced the line are on the wire, not before them.
  const write = (level: LogLevel, message: string) => {
    queued.push([level, message]);
    scheduled ??= setImmediate(writeQueued);
  };
  const done = new Set<string>();
  const unsubs = [
    host.on('execution', ({ execution: e, duplicate }) => {
      const what = `leader ${e.accountId} ${e.side.toUpperCase()} ${e.qty.toString()} ${e.symbol} @${e.price.toString()} (${e.id})`;
      write('info', duplicate ? `${what} seen again: a duplicate, not copied` : what);
    }),
    host.on('intent', (i) => {
      if (i.status !== 'unknown' && !isTerminal(i.status)) return;
      const key = `${i.id}:${i.status}`;
      if (done.has(key)) return;
      if (done.size >= 10_000) done.clear();
      done.add(key);
      write(i.status === 'filled' ? 'info' : 'warn', copyLine(i));
    }),
    host.on('alert', (a) => {
      write(ALERT_LEVEL[a.severity], `alert ${a.severity} ${a.code}${a.accountId ? ` ${a.accountId}` : ''}: ${a.message}`);
    }),
    host.on('state', (s) => write(s.state === 'halted' ? 'warn' : 'info', `trading ${s.scope}: ${s.state}`)),
  ];
  return () => {
    for (const u of unsubs) u();
    if (scheduled) clearImmediate(scheduled);
    writeQueued();
  };
}
