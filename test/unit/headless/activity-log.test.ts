// The activity log writes its lines after the tick that produced them (never in the middle of a leader execution's
// copy path, before its orders leave), in order, and detaching writes whatever is still queued.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { attachActivityLog, type ActivitySource } from '../../../core/app/activity-log.js';
import type { Logger } from '../../../core/app/logger.js';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, executionId } from '../../../core/domain/ids.js';

function source(): ActivitySource & { emit(event: string, arg: unknown): void } {
  const e = new EventEmitter();
  return {
    on: (event: string, fn: (arg: never) => void) => {
      const listener = fn as (...args: unknown[]) => void;
      e.on(event, listener);
      return () => e.off(event, listener);
    },
    emit: (event, arg) => e.emit(event, arg),
  } as ActivitySource & { emit(event: string, arg: unknown): void };
}

function fileLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = { lines, toFile: (level: string, m: string) => lines.push(`${level} ${m}`) } as unknown as Logger & { lines: string[] };
  return log;
}

const exec = (id: string) => ({ execution: { id: executionId(id), accountId: accountId('lead'), symbol: 'MES', side: 'buy', qty: dec(2), price: dec('5000.25'), time: 1 }, receivedAt: 1, duplicate: false });

describe('activity log', () => {
  it('writes nothing inside the tick of the event, then every line in order after it', async () => {
    const host = source();
    const log = fileLog();
    attachActivityLog(host, log);
    host.emit('execution', exec('x-1'));
    host.emit('state', { scope: 'global', state: 'halted' });
    expect(log.lines, 'not while the leader execution is still being copied').toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(log.lines).toEqual(['info leader lead BUY 2 MES @5000.25 (x-1)', 'warn trading global: halted']);
  });

  it('detaching writes the queued lines at once and stops listening', () => {
    const host = source();
    const log = fileLog();
    const detach = attachActivityLog(host, log);
    host.emit('execution', exec('x-2'));
    detach();
    expect(log.lines).toEqual(['info leader lead BUY 2 MES @5000.25 (x-2)']);
    host.emit('execution', exec('x-3'));
    expect(log.lines).toHaveLength(1);
  });
});
