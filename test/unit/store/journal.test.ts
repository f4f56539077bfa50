// SqliteJournal against the Journal port: dedupe, atomicity, write-behind, open intents, attempts, state, audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, executionId, intentId } from '../../../core/domain/ids.js';
import { openJournal, type SqliteJournal, StoreError } from '../../../core/store/index.js';
import { statement } from '../../../core/store/statements.js';
import { execution, intent, nextMacrotask, tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let journal: SqliteJournal;
let clock = 5_000;
beforeEach(() => {
  tmp = tempDir();
  journal = openJournal(tmp.path(), { now: () => clock });
});
afterEach(() => {
  journal.close();
  tmp.cleanup();
});

const reopen = () => {
  journal.close();
  journal = openJournal(tmp.path(), { now: () => clock });
};
const count = (table: string) => statement(journal.db, `SELECT count(*) FROM ${table}`).pluck().get() as number;
const rawStatus = (id: string) => statement(journal.db, 'SELECT status FROM intents WHERE id = ?').pluck().get(id);

describe('recordExecution', () => {
  it('records the execution and its intents, and dedupes a known execution id writing nothing', () => {
    const e = execution('e1');
    expect(journal.recordExecution(e, 1_000, [intent('i1'), intent('i2', { followerAccountId: accountId('f2') })])).toBe(true);
    expect(journal.hasExecution(executionId('e1'))).toBe(true);
    expect(journal.hasExecution(executionId('nope'))).toBe(false);
    expect(journal.recordExecution(e, 2_000, [intent('i3', { followerAccountId: accountId('f3') })])).toBe(false);
    expect(count('executions')).toBe(1);
    expect(count('intents')).toBe(2);
    const stored = journal.queries.getCopy(intentId('i1'))!;
    expect(stored.execution).toMatchObject({ id: 'e1', receivedAt: 1_000, orderTag: 'strat-a' });
    expect(stored.execution!.price.toString()).toBe('190.25');
    expect(stored.execution!.raw).toEqual({ execution_id: 'e1', note: 'raw leader payload' });
  });

  it('is atomic: when an intent insert fails the execution is not recorded either', () => {
    journal.recordExecution(execution('e0'), 1, [intent('i0', { sourceId: 'e0' })]);
    const clash = intent('i0', { sourceId: 'e1', followerAccountId: accountId('f2') });
    expect(() => journal.recordExecution(execution('e1'), 2, [intent('i1', { sourceId: 'e1' }), clash])).toThrow(
      /UNIQUE constraint failed: intents.id/,
    );
    expect(journal.hasExecution(executionId('e1'))).toBe(false);
    expect(count('intents')).toBe(1);
    expect(journal.recordExecution(execution('e1'), 3, [intent('i1', { sourceId: 'e1' })])).toBe(true);
  });

  it('round-trips every intent field, decimals exactly', () => {
    const full = intent('i1', {
      orderType: 'limit',
      limitPrice: dec('190.123456789'),
      qty: dec('0.000000001'),
      target: dec('-12.5'),
      dryRun: true,
      status: 'dry_run',
      brokerOrderId: undefined,
      planLatencyMs: 0.25,
      sentAt: 7,
    });
    journal.recordExecution(execution('e1'), 1, [full]);
    const back = journal.queries.getCopy(intentId('i1'))!.copy;
    expect(back.limitPrice!.toString()).toBe('190.123456789');
    expect(back.qty.toString()).toBe('0.000000001');
    expect(back.target.toString()).toBe('-12.5');
    expect(back).toMatchObject({ dryRun: true, status: 'dry_run', planLatencyMs: 0.25, sentAt: 7, orderType: 'limit' });
    expect('brokerOrderId' in back).toBe(false);
    expect('ackAt' in back).toBe(false);
  });
});

describe('batch (group commit)', () => {
  it('commits several executions together; a failing one rolls back alone', () => {
    const results = journal.batch(() => {
      const out: (boolean | string)[] = [];
      out.push(journal.recordExecution(execution('e0'), 1, [intent('i0', { sourceId: 'e0' })]));
      try {
        const clash = intent('i0', { sourceId: 'e1', followerAccountId: accountId('f2') });
        journal.recordExecution(execution('e1'), 2, [intent('i1', { sourceId: 'e1' }), clash]);
      } catch {
        out.push('failed');
      }
      out.push(journal.recordExecution(execution('e0'), 3, []));
      out.push(journal.recordExecution(execution('e2'), 4, [intent('i3', { sourceId: 'e2' })]));
      return out;
    });
    expect(results).toEqual([true, 'failed', false, true]);
    reopen();
    expect(['e0', 'e1', 'e2'].map((id) => journal.hasExecution(executionId(id)))).toEqual([true, false, true]);
    expect(count('intents')).toBe(2);
  });

  it('rolls everything back when fn throws', () => {
    expect(() =>
      journal.batch(() => {
        journal.recordExecution(execution('e0'), 1, [intent('i0', { sourceId: 'e0' })]);
        throw new Error('planner exploded');
      }),
    ).toThrow('planner exploded');
    expect(journal.hasExecution(executionId('e0'))).toBe(false);
    expect(count('intents')).toBe(0);
  });
});

describe('insertIntents', () => {
  it('inserts repair intents without an execution, all or nothing', () => {
    const repair = intent('r1', { sourceId: 'repair:AAPL:1', executionId: undefined, purpose: 'repair' });
    journal.insertIntents([repair]);
    expect(journal.queries.getCopy(intentId('r1'))!.copy.purpose).toBe('repair');
    expect(() => journal.insertIntents([intent('r2', { sourceId: 'x' }), intent('r1', { sourceId: 'y' })])).toThrow();
    expect(count('intents')).toBe(1);
  });
});

describe('updateIntent (write-behind)', () => {
  beforeEach(() => {
    journal.recordExecution(execution('e1'), 1, [intent('i1')]);
  });

  it('queues the patch, then writes it on the next macrotask', async () => {
    journal.updateIntent(intentId('i1'), { status: 'accepted', ackAt: 1_700_000_000_150, raw: { event: 'new' } });
    expect(rawStatus('i1')).toBe('planned');
    await nextMacrotask();
    expect(rawStatus('i1')).toBe('accepted');
    expect(journal.queries.getCopy(intentId('i1'))!.events).toEqual([
      { seq: 1, intentId: 'i1', time: 5_000, status: 'accepted', raw: { event: 'new' } },
    ]);
  });

  it('merges successive patches, keeps one event per message, and is visible after flush() and after reopen', () => {
    journal.updateIntent(intentId('i1'), { status: 'accepted', brokerOrderId: 'b-1' as never, raw: { n: 1 } });
    clock = 6_000;
    journal.updateIntent(intentId('i1'), { status: 'partially_filled', filledQty: dec('2'), avgFillPrice: dec('190.3') });
    journal.recordFill({
      intentId: intentId('i1'), accountId: accountId('f1'), symbol: 'AAPL', side: 'buy', qty: dec('2'), price: dec('190.3'), time: 9,
    });
    expect(count('fills')).toBe(0);
    journal.flush();
    expect(rawStatus('i1')).toBe('partially_filled');
    expect(count('fills')).toBe(1);
    reopen();
    const detail = journal.queries.getCopy(intentId('i1'))!;
    expect(detail.copy).toMatchObject({ status: 'partially_filled', brokerOrderId: 'b-1' });
    expect(detail.copy.filledQty.toString()).toBe('2');
    expect(detail.events.map((e) => [e.time, e.status, e.raw])).toEqual([
      [5_000, 'accepted', { n: 1 }],
      [6_000, 'partially_filled', undefined],
    ]);
    expect(detail.fills.map((f) => [f.qty.toString(), f.price.toString(), f.time])).toEqual([['2', '190.3', 9]]);
  });

  it('close() flushes queued writes', () => {
    journal.updateIntent(intentId('i1'), { status: 'filled', filledQty: dec('5'), filledAt: 42 });
    reopen();
    expect(journal.queries.getCopy(intentId('i1'))!.copy).toMatchObject({ status: 'filled', filledAt: 42 });
  });

  it('flushes synchronously once the queue is large (counted in rows: merged patches + events + fills)', () => {
    journal.close();
    journal = openJournal(tmp.path(), { maxQueued: 4 });
    journal.updateIntent(intentId('i1'), { status: 'accepted' });
    journal.updateIntent(intentId('i1'), { raw: { a: 1 } });
    expect(count('intent_events')).toBe(0);
    journal.updateIntent(intentId('i1'), { raw: { a: 2 } });
    expect(count('intent_events')).toBe(3);
    expect(rawStatus('i1')).toBe('accepted');
  });

  it('refuses an unknown intent with a typed error and keeps working', () => {
    const attempt = () => journal.updateIntent(intentId('ghost'), { status: 'accepted' });
    expect(attempt).toThrow(StoreError);
    expect(attempt).toThrow(/no journaled intent ghost/);
    expect(() =>
      journal.recordFill({
        intentId: intentId('ghost'), accountId: accountId('f1'), symbol: 'AAPL', side: 'buy', qty: dec(1), price: dec(1), time: 1,
      }),
    ).toThrow(StoreError);
    journal.updateIntent(intentId('i1'), { status: 'accepted' });
    journal.flush();
    expect(rawStatus('i1')).toBe('accepted');
  });

  it('stores unserialisable raw payloads without throwing', () => {
    const circular: Record<string, unknown> = { big: 10n };
    circular.self = circular;
    journal.updateIntent(intentId('i1'), { raw: { big: 12345678901234567890n } });
    journal.updateIntent(intentId('i1'), { raw: circular });
    journal.flush();
    const raws = journal.queries.getCopy(intentId('i1'))!.events.map((e) => e.raw);
    expect(raws[0]).toEqual({ big: '12345678901234567890' });
    expect(raws[1]).toMatchObject({ unserializable: expect.stringMatching(/circular/i) });
  });
});

describe('openIntents and lastAttempt', () => {
  it('lists non-terminal intents, seeing queued patches', () => {
    journal.recordExecution(execution('e1'), 1, [
      intent('a', { followerAccountId: accountId('f1') }),
      intent('b', { followerAccountId: accountId('f2') }),
      intent('c', { followerAccountId: accountId('f3') }),
      intent('d', { followerAccountId: accountId('f4'), status: 'dry_run' }),
    ]);
    journal.updateIntent(intentId('a'), { status: 'filled' });
    journal.updateIntent(intentId('b'), { status: 'unknown' });
    journal.updateIntent(intentId('c'), { status: 'not_placed' });
    expect(journal.openIntents().map((i) => [i.id, i.status])).toEqual([['b', 'unknown']]);
  });

  it('returns the highest attempt per (follower, source) or -1', () => {
    const f1 = accountId('f1');
    expect(journal.lastAttempt(f1, 'e1')).toBe(-1);
    journal.recordExecution(execution('e1'), 1, [intent('a0', { followerAccountId: f1 })]);
    journal.insertIntents([intent('a2', { followerAccountId: f1, attempt: 2 }), intent('a1', { followerAccountId: f1, attempt: 1 })]);
    journal.insertIntents([intent('b5', { followerAccountId: accountId('f2'), attempt: 5 })]);
    expect(journal.lastAttempt(f1, 'e1')).toBe(2);
    expect(journal.lastAttempt(accountId('f2'), 'e1')).toBe(5);
    expect(journal.lastAttempt(f1, 'other')).toBe(-1);
  });
});

describe('state, breaker, alerts and audit', () => {
  it('persists trading state and breaker state across reopen, with history', () => {
    const f1 = accountId('f1');
    journal.saveTradingState({ scope: 'global', state: 'paused', reason: 'lunch', actor: 'user', time: 1 });
    journal.saveTradingState({ scope: 'global', state: 'halted', reason: 'kill switch', actor: 'tray', time: 2 });
    journal.saveTradingState({ scope: f1, state: 'paused', reason: 'manual', actor: 'user', time: 3 });
    journal.saveBreakerState({ scope: f1, tripped: true, reason: '5 rejects', trippedAt: 4 });
    journal.saveBreakerState({ scope: 'global', tripped: false });
    reopen();
    expect(journal.tradingStates()).toEqual(new Map([['global', 'halted'], [f1, 'paused']]));
    expect(journal.breakerStates()).toEqual(
      new Map([
        [f1, { scope: f1, tripped: true, reason: '5 rejects', trippedAt: 4 }],
        ['global', { scope: 'global', tripped: false }],
      ]),
    );
    const history = journal.queries.tradingStateHistory('global');
    expect(history.items.map((c) => c.state)).toEqual(['halted', 'paused']);
    expect(journal.queries.currentTradingStates().find((c) => c.scope === 'global')).toMatchObject({ actor: 'tray', reason: 'kill switch' });
  });

  it('raises alerts with ids and keeps them across reopen', () => {
    const a = journal.raiseAlert({ severity: 'error', code: 'order_rejected', message: 'no', accountId: accountId('f1'), details: { why: 'x' } }, 10);
    const b = journal.raiseAlert({ severity: 'info', code: 'reconnected', message: 'back' }, 11);
    expect(a).toMatchObject({ time: 10, acknowledged: false, code: 'order_rejected', details: { why: 'x' } });
    expect(a.id).not.toBe(b.id);
    reopen();
    expect(journal.queries.listAlerts().items.map((x) => x.id)).toEqual([b.id, a.id]);
  });

  it('appends audit entries', () => {
    journal.audit({ actor: 'user', action: 'engine:halt', details: { reason: 'test' } }, 100);
    journal.audit({ actor: 'cli', action: 'links:update' }, 101);
    reopen();
    const page = journal.queries.listAudit();
    expect(page.total).toBe(2);
    expect(page.items.map((r) => [r.time, r.actor, r.action, r.details])).toEqual([
      [101, 'cli', 'links:update', undefined],
      [100, 'user', 'engine:halt', { reason: 'test' }],
    ]);
    expect(journal.queries.listAudit({ actor: 'user' }).items).toHaveLength(1);
  });
});
