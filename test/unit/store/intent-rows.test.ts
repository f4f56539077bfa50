// Intent rows as written by the multi-row INSERT (NULL / shared / per-row columns) and patched by column mask: every
// field reads back as given, in the given order, and the database itself refuses a second (source, follower, attempt).
import { describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, brokerOrderId, clientOrderId, intentId } from '../../../core/domain/ids.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { type IntentRow, rowToIntent } from '../../../core/store/intents.js';
import { statement } from '../../../core/store/statements.js';
import { execution, fileJournalPerTest, intent } from './fixtures.js';

const file = fileJournalPerTest();

const stored = (): CopyIntent[] =>
  (statement(file.journal().db, 'SELECT * FROM intents ORDER BY seq').all() as IntentRow[]).map(rowToIntent);

/** 18 intents of one execution (two INSERT statements) whose fields vary in every way a column can. */
function mixed(): CopyIntent[] {
  return Array.from({ length: 18 }, (_, k) =>
    intent(`i${k}`, {
      followerAccountId: accountId(`f${k}`),
      qty: dec(k % 3 === 0 ? '5' : `0.${k + 1}`),
      side: k === 4 ? 'sell' : 'buy',
      symbol: k === 7 ? 'AAPL.X' : 'AAPL',
      ...(k % 5 === 1 ? { orderType: 'limit', limitPrice: dec('190.123456789') } : {}),
      ...(k === 9 ? { status: 'not_placed', error: 'refused by risk guard: daily loss' } : {}),
      ...(k === 10 ? { planLatencyMs: 0.125, sentAt: 77 } : {}),
      ...(k === 11 ? { brokerOrderId: brokerOrderId('b-11'), ackAt: 78, filledAt: 79, avgFillPrice: dec('190.2') } : {}),
      ...(k === 12 ? { leaderPrice: undefined, executionId: undefined } : {}),
      ...(k === 13 ? { dryRun: true, status: 'dry_run' } : {}),
      ...(k === 14 ? { createdAt: 1_700_000_000_999, attempt: 3 } : {}),
    }),
  );
}

describe('intent rows', () => {
  it('reads back every field of every intent, in order, whatever mix of shared and per-row values', () => {
    const batch = mixed();
    expect(file.journal().recordExecution(execution('e1'), 1, batch)).toBe(true);
    expect(stored()).toEqual(batch);
  });

  it('writes a single intent and intents that share every column but their ids', () => {
    file.journal().insertIntents([intent('solo', { sourceId: 'r1' })]);
    const twins = [intent('t1', { sourceId: 'r2' }), intent('t2', { sourceId: 'r2', followerAccountId: accountId('f2') })];
    file.journal().insertIntents(twins);
    expect(stored()).toEqual([intent('solo', { sourceId: 'r1' }), ...twins]);
  });

  it('refuses, in the database, a second intent with the same source, follower and attempt', () => {
    file.journal().recordExecution(execution('e1'), 1, [intent('a', { sourceId: 'e1' })]);
    // Another id and client order id, same (source, follower, attempt): the UNIQUE index is the backstop.
    const again = intent('b', { sourceId: 'e1', clientOrderId: clientOrderId('md1-other') });
    expect(() => file.journal().insertIntents([again])).toThrow(/UNIQUE constraint failed: intents.source_id/);
    // Two identical intents in one call (every column shared) are refused as well, and nothing of the call stays.
    const same = intent('c', { sourceId: 'e2' });
    expect(() => file.journal().insertIntents([intent('d', { sourceId: 'e3' }), same, same])).toThrow(/UNIQUE constraint failed/);
    expect(stored().map((i) => i.id)).toEqual(['a']);
  });

  it('patches only the fields given and keeps the rest, whatever fields a patch holds', () => {
    file.journal().recordExecution(execution('e1'), 1, [intent('p1'), intent('p2', { followerAccountId: accountId('f2') })]);
    const p1 = intentId('p1');
    file.journal().updateIntent(p1, { sentAt: 10, planLatencyMs: 0.5 });
    file.journal().updateIntent(p1, { raw: { ack: true } });
    file.journal().flush();
    file.journal().updateIntent(p1, { status: 'accepted', brokerOrderId: brokerOrderId('b-1'), ackAt: 11 });
    file.journal().flush();
    file.journal().updateIntent(p1, { status: 'filled', filledQty: dec('5'), avgFillPrice: dec('190.3'), filledAt: 12, error: 'late' });
    file.journal().flush();
    const [first, second] = stored();
    expect(first).toEqual({
      ...intent('p1'),
      status: 'filled', sentAt: 10, planLatencyMs: 0.5, brokerOrderId: 'b-1', ackAt: 11, filledQty: dec('5'),
      avgFillPrice: dec('190.3'), filledAt: 12, error: 'late',
    });
    expect(second).toEqual(intent('p2', { followerAccountId: accountId('f2') }));
  });

  it('forgets the intents of a rolled-back batch: a later update of one is refused and does not block the queue', () => {
    // i1 is remembered (with seq 1) when recorded, then its batch rolls back; z is journaled next and gets seq 1.
    expect(() =>
      file.journal().batch(() => {
        file.journal().recordExecution(execution('e1'), 1, [intent('i1', { sourceId: 'e1' })]);
        throw new Error('commit refused');
      }),
    ).toThrow('commit refused');
    file.journal().recordExecution(execution('e2'), 2, [intent('z', { sourceId: 'e2' })]);
    expect(() => file.journal().updateIntent(intentId('i1'), { status: 'accepted', ackAt: 5 })).toThrow(/no journaled intent i1/);
    file.journal().updateIntent(intentId('z'), { status: 'accepted', ackAt: 6 });
    file.journal().flush();
    expect(stored()).toEqual([{ ...intent('z', { sourceId: 'e2' }), status: 'accepted', ackAt: 6 }]);
  });

  it('forgets only the rolled-back part of a nested batch', () => {
    file.journal().batch(() => {
      file.journal().recordExecution(execution('e1'), 1, [intent('kept', { sourceId: 'e1' })]);
      expect(() =>
        file.journal().batch(() => {
          file.journal().recordExecution(execution('e2'), 2, [intent('gone', { sourceId: 'e2' })]);
          throw new Error('inner');
        }),
      ).toThrow('inner');
    });
    expect(() => file.journal().updateIntent(intentId('gone'), { status: 'accepted' })).toThrow(/no journaled intent gone/);
    file.journal().updateIntent(intentId('kept'), { status: 'accepted' });
    file.journal().flush();
    expect(stored().map((i) => [i.id, i.status])).toEqual([['kept', 'accepted']]);
  });
});
