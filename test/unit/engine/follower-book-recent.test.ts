// The follower book's recently finished intents: bounded, oldest dropped first, a repeat keeps its place.
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId, intentId, linkId, type ClientOrderId } from '../../../core/domain/ids.js';
import { FollowerBook, type IntentRecord } from '../../../core/engine/follower-book.js';

const LIMIT = 4096;

function finished(n: number): IntentRecord {
  const cid = clientOrderId(`md1-test-${n}`);
  return {
    id: intentId(`i-${n}`),
    linkId: linkId('L->F'),
    leaderAccountId: accountId('L'),
    followerAccountId: accountId('F'),
    sourceId: `exec-${n}`,
    attempt: 0,
    clientOrderId: cid,
    leaderSymbol: 'ES',
    symbol: 'ES',
    side: 'buy',
    qty: Decimal.ONE,
    orderType: 'market',
    purpose: 'copy',
    dryRun: false,
    target: Decimal.ONE,
    status: 'filled',
    filledQty: Decimal.ONE,
    leaderReceivedAt: 0,
    createdAt: 0,
  };
}

const cid = (n: number): ClientOrderId => clientOrderId(`md1-test-${n}`);

describe('follower book: recently finished intents', () => {
  it('keeps the latest 4096, dropping the oldest first, across many evictions', () => {
    const book = new FollowerBook();
    const total = 3 * LIMIT + 17;
    for (let n = 0; n < total; n++) book.add(finished(n));
    expect(book.find(cid(total - LIMIT - 1))).toBeUndefined();
    expect(book.find(cid(total - LIMIT))?.sourceId).toBe(`exec-${total - LIMIT}`);
    expect(book.find(cid(total - 1))?.sourceId).toBe(`exec-${total - 1}`);
    expect(book.find(cid(0))).toBeUndefined();
  });

  it('a finished intent seen again keeps its place in the order (it is dropped when its first turn comes)', () => {
    const book = new FollowerBook();
    book.add(finished(0));
    for (let n = 1; n < LIMIT; n++) book.add(finished(n));
    book.add({ ...finished(0), error: 'again' });
    expect(book.find(cid(0))?.error).toBe('again');
    book.add(finished(LIMIT));
    expect(book.find(cid(0))).toBeUndefined();
    expect(book.find(cid(1))).toBeDefined();
  });
});
