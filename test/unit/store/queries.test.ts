// The query side: paged and filtered copies, latency and slippage, counts, alerts and acknowledgement, CSV, meta.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { type AlertId, accountId, intentId } from '../../../core/domain/ids.js';
import type { OrderStatus } from '../../../core/domain/order-fsm.js';
import { JournalQueries, openDatabase, StoreError } from '../../../core/store/index.js';
import { execution, fileJournalPerTest, intent } from './fixtures.js';

const file = fileJournalPerTest();

const FOLLOWERS = ['f1', 'f2', 'f3'].map(accountId);
const SYMBOLS = ['AAPL', 'MSFT'];

/** 20 executions x 3 followers = 60 copies; intent ids c<exec>-<follower>. */
function seed(): void {
  for (let e = 0; e < 20; e++) {
    const symbol = SYMBOLS[e % 2]!;
    file.journal().recordExecution(
      execution(`e${e}`, { symbol }),
      1_000 + e,
      FOLLOWERS.map((f) => intent(`c${e}-${f}`, { followerAccountId: f, sourceId: `e${e}`, symbol, leaderSymbol: symbol, createdAt: 10_000 + e })),
    );
  }
}

describe('listCopies', () => {
  it('pages newest first by cursor until exhausted, without gaps or repeats', () => {
    seed();
    const seen: string[] = [];
    let page = file.journal().queries.listCopies({}, { limit: 7 });
    expect(page.total).toBe(60);
    for (;;) {
      seen.push(...page.items.map((c) => c.id));
      if (!page.nextCursor) break;
      page = file.journal().queries.listCopies({}, { limit: 7, cursor: page.nextCursor });
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
    expect(seen[0]).toBe('c19-f3');
    expect(seen[59]).toBe('c0-f1');
  });

  it('pages by offset too', () => {
    seed();
    const second = file.journal().queries.listCopies({}, { limit: 5, offset: 5 });
    const both = file.journal().queries.listCopies({}, { limit: 10 });
    expect(second.items.map((c) => c.id)).toEqual(both.items.slice(5).map((c) => c.id));
  });

  it('filters by follower, symbol and status (one or several)', () => {
    seed();
    file.journal().updateIntent(intentId('c3-f2'), { status: 'rejected', error: 'no buying power' });
    file.journal().updateIntent(intentId('c5-f2'), { status: 'unknown' });
    const f2 = file.journal().queries.listCopies({ followerAccountId: accountId('f2') }, { limit: 100 });
    expect(f2.total).toBe(20);
    expect(f2.items.every((c) => c.followerAccountId === 'f2')).toBe(true);
    const msftF2 = file.journal().queries.listCopies({ followerAccountId: accountId('f2'), symbol: 'MSFT' });
    expect(msftF2.total).toBe(10);
    expect(msftF2.items.every((c) => c.symbol === 'MSFT')).toBe(true);
    expect(file.journal().queries.listCopies({ status: 'rejected' }).items.map((c) => [c.id, c.error])).toEqual([['c3-f2', 'no buying power']]);
    const statuses: OrderStatus[] = ['rejected', 'unknown'];
    expect(file.journal().queries.listCopies({ status: statuses }).items.map((c) => c.id)).toEqual(['c5-f2', 'c3-f2']);
    expect(file.journal().queries.listCopies({ symbol: 'TSLA' })).toEqual({ items: [], total: 0 });
    expect(file.journal().queries.listCopies({ from: 10_018 }).total).toBe(6);
  });

  it('refuses malformed paging arguments with a typed error', () => {
    for (const page of [{ cursor: 'abc' }, { cursor: '-1' }, { limit: 0 }, { limit: 5000 }, { limit: 1.5 }, { offset: -2 }]) {
      expect(() => file.journal().queries.listCopies({}, page)).toThrow(StoreError);
    }
  });
});

describe('latency and slippage', () => {
  const filled = (id: string, side: 'buy' | 'sell', leader: string, avg: string) =>
    intent(id, { side, leaderPrice: dec(leader), avgFillPrice: dec(avg), sourceId: id, followerAccountId: accountId(`f-${id}`) });

  it('positive slippage is worse for the follower, for buys and for sells', () => {
    file.journal().insertIntents([
      filled('buy-worse', 'buy', '100.00', '100.05'),
      filled('buy-better', 'buy', '100.00', '99.98'),
      filled('sell-worse', 'sell', '100.00', '99.90'),
      filled('sell-better', 'sell', '100.00', '100.01'),
      intent('unfilled', { sourceId: 'u' }),
    ]);
    const slip = (id: string) => file.journal().queries.getCopy(intentId(id))!.copy.slippage?.toString();
    expect(slip('buy-worse')).toBe('0.05');
    expect(slip('buy-better')).toBe('-0.02');
    expect(slip('sell-worse')).toBe('0.1');
    expect(slip('sell-better')).toBe('-0.01');
    expect(slip('unfilled')).toBeUndefined();
  });

  it('latency is ack minus leader receipt; fill latency is fill minus leader receipt', () => {
    file.journal().insertIntents([intent('i1', { leaderReceivedAt: 1_000 })]);
    file.journal().updateIntent(intentId('i1'), { status: 'accepted', ackAt: 1_042 });
    file.journal().updateIntent(intentId('i1'), { status: 'filled', filledAt: 1_100 });
    const row = file.journal().queries.listCopies().items[0]!;
    expect(row.latencyMs).toBe(42);
    expect(row.fillLatencyMs).toBe(100);
  });
});

describe('counts', () => {
  it('counts copies, rejects, unknown, open, today, alerts and latency percentiles', () => {
    const intents = Array.from({ length: 100 }, (_, k) =>
      intent(`i${k}`, { sourceId: `s${k}`, leaderReceivedAt: 0, createdAt: k < 30 ? 50 : 500 }),
    );
    file.journal().insertIntents(intents);
    intents.forEach((it, k) => file.journal().updateIntent(it.id, { status: 'accepted', ackAt: k + 1 }));
    file.journal().updateIntent(intentId('i0'), { status: 'rejected' });
    file.journal().updateIntent(intentId('i1'), { status: 'rejected' });
    file.journal().updateIntent(intentId('i2'), { status: 'unknown' });
    file.journal().updateIntent(intentId('i3'), { status: 'filled' });
    const a = file.journal().raiseAlert({ severity: 'warning', code: 'drift', message: 'drift' }, 1);
    file.journal().raiseAlert({ severity: 'error', code: 'order_rejected', message: 'rejected' }, 2);
    file.journal().queries.acknowledgeAlerts([a.id]);
    const c = file.journal().queries.counts({ dayStart: 100 });
    expect(c).toMatchObject({ copies: 100, rejects: 2, unknown: 1, open: 97, today: 70, alerts: 2, unacknowledgedAlerts: 1 });
    expect(c.latency).toEqual({ samples: 100, avgMs: 50.5, p50Ms: 50, p99Ms: 99 });
    expect(file.journal().queries.counts({ dayStart: 100, latencyWindow: 10 }).latency).toMatchObject({ samples: 10, p50Ms: 95 });
  });

  it('reports no latency figures on an empty journal', () => {
    expect(file.journal().queries.counts({ dayStart: 0 })).toMatchObject({ copies: 0, today: 0, latency: { samples: 0 } });
  });
});

describe('alerts', () => {
  it('pages alerts with the unacknowledged count, acknowledges by id, ignores unknown ids', () => {
    const ids = Array.from({ length: 12 }, (_, k) =>
      file.journal().raiseAlert({ severity: k % 3 === 0 ? 'critical' : 'info', code: 'drift', message: `m${k}` }, k).id,
    );
    const first = file.journal().queries.listAlerts({}, { limit: 5 });
    expect(first.items.map((a) => a.message)).toEqual(['m11', 'm10', 'm9', 'm8', 'm7']);
    expect(first).toMatchObject({ total: 12, unacknowledged: 12 });
    const rest = file.journal().queries.listAlerts({}, { limit: 10, cursor: first.nextCursor! });
    expect(rest.items).toHaveLength(7);
    expect(rest.nextCursor).toBeUndefined();
    expect(file.journal().queries.acknowledgeAlerts([ids[0]!, ids[1]!, ids[1]!, '999999' as AlertId])).toBe(2);
    const unacked = file.journal().queries.listAlerts({ unacknowledgedOnly: true }, { limit: 100 });
    expect(unacked).toMatchObject({ total: 10, unacknowledged: 10 });
    expect(unacked.items.some((a) => a.id === ids[0])).toBe(false);
    expect(file.journal().queries.listAlerts({ severity: 'critical' }).total).toBe(4);
    expect(() => file.journal().queries.acknowledgeAlerts(['1; DROP TABLE alerts' as AlertId])).toThrow(StoreError);
    expect(file.journal().queries.acknowledgeAllAlerts()).toBe(10);
    expect(file.journal().queries.listAlerts().unacknowledged).toBe(0);
  });
});

describe('CSV export', () => {
  it('quotes commas, quotes and newlines, and exports every matching row', () => {
    file.journal().insertIntents([
      intent('plain', { sourceId: 'a' }),
      intent('nasty', { sourceId: 'b', symbol: 'BRK,B', error: 'broker said "no",\nthen\r\nhung up', avgFillPrice: dec('190.3') }),
    ]);
    const csv = file.journal().queries.exportCopiesCsv();
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^created_at,intent_id,link_id,follower_account_id,symbol,/);
    expect(csv).toContain(',"BRK,B",');
    expect(csv).toContain('"broker said ""no"",\nthen\r\nhung up"');
    expect(csv).toContain(',190.3,190.25,0.05,');
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(lines[1]!.startsWith('2023-11-14T22:13:20.101Z,nasty,')).toBe(true);
    expect(file.journal().queries.exportCopiesCsv({ symbol: 'AAPL' }).split('\r\n').filter(Boolean)).toHaveLength(2);
  });

  it('exports more rows than one read chunk', () => {
    file.journal().insertIntents(Array.from({ length: 4500 }, (_, k) => intent(`i${k}`, { sourceId: `s${k}` })));
    const lines = file.journal().queries.exportCopiesCsv().split('\r\n').filter(Boolean);
    expect(lines).toHaveLength(4501);
    expect(new Set(lines.slice(1).map((l) => l.split(',')[1])).size).toBe(4500);
  });
});

describe('a second connection (the headless status command)', () => {
  it('reads what the journal has flushed while the journal stays open', () => {
    file.journal().recordExecution(execution('e1'), 1, [intent('i1', { sourceId: 'e1' })]);
    file.journal().updateIntent(intentId('i1'), { status: 'accepted', ackAt: 1_700_000_000_130 });
    const db = openDatabase(file.path());
    const reader = new JournalQueries(db);
    expect(reader.listCopies().items.map((c) => c.status)).toEqual(['planned']);
    file.journal().flush();
    expect(reader.listCopies().items.map((c) => [c.status, c.latencyMs])).toEqual([['accepted', 30]]);
    expect(reader.counts({ dayStart: 0 })).toMatchObject({ copies: 1, open: 1, latency: { samples: 1, p50Ms: 30 } });
    db.close();
  });
});

describe('workspace key/value', () => {
  it('stores, overwrites and deletes values across reopen', () => {
    expect(file.journal().queries.getMeta('workspace')).toBeUndefined();
    file.journal().queries.setMeta('workspace', '{"v":1}');
    file.journal().queries.setMeta('workspace', '{"v":2}');
    file.reopen();
    expect(file.journal().queries.getMeta('workspace')).toBe('{"v":2}');
    expect(file.journal().queries.deleteMeta('workspace')).toBe(true);
    expect(file.journal().queries.getMeta('workspace')).toBeUndefined();
  });
});
