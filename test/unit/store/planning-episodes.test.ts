// Episodes and waits repositories through SqliteJournal: written with the execution in one transaction, upserted,
// read back exactly after a reopen of the same file.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, executionId, linkId } from '../../../core/domain/ids.js';
import type { EpisodeRecord } from '../../../core/ports/journal.js';
import { statement } from '../../../core/store/statements.js';
import { execution, fileJournalPerTest, intent } from './fixtures.js';

const file = fileJournalPerTest();
const reopen = file.reopen;

const episode = (over: Partial<EpisodeRecord> = {}): EpisodeRecord => ({
  leaderAccountId: accountId('leader'),
  leaderSymbol: 'AAPL',
  episode: 3,
  qty: dec('-7.5'),
  peak: dec('10'),
  entryPrice: dec('190.25'),
  lastPrice: dec('191'),
  parts: { 'leader->f1': { eligible: dec('-0.681818181'), peak: dec('1') }, 'leader->f2': { eligible: dec('0'), peak: dec('0'), exited: 'bracket stop' } },
  ...over,
});

describe('episodes', () => {
  it('round-trips an episode exactly (decimals, parts, follower-side exits) across a reopen', () => {
    file.journal().saveEpisode(episode());
    reopen();
    const [got] = file.journal().episodes();
    expect(got).toBeDefined();
    expect({ ...got!, qty: got!.qty.toString(), peak: got!.peak.toString(), entryPrice: got!.entryPrice?.toString(), lastPrice: got!.lastPrice?.toString() }).toMatchObject({
      leaderAccountId: 'leader', leaderSymbol: 'AAPL', episode: 3, qty: '-7.5', peak: '10', entryPrice: '190.25', lastPrice: '191',
    });
    expect(Object.fromEntries(Object.entries(got!.parts).map(([k, p]) => [k, [p.eligible.toString(), p.peak.toString(), p.exited]]))).toEqual({
      'leader->f1': ['-0.681818181', '1', undefined],
      'leader->f2': ['0', '0', 'bracket stop'],
    });
  });

  it('keeps one row per leader and symbol (upsert) and omits absent prices', () => {
    file.journal().saveEpisode(episode());
    file.journal().saveEpisode(episode({ episode: 4, qty: dec('0'), peak: dec('0'), parts: {}, entryPrice: undefined, lastPrice: undefined }));
    const all = file.journal().episodes();
    expect(all).toHaveLength(1);
    expect(all[0]!.episode).toBe(4);
    expect('entryPrice' in all[0]!).toBe(false);
  });

  it('is written in the execution\'s transaction: a duplicate execution writes no episode, a failed one rolls it back', () => {
    expect(file.journal().recordExecution(execution('e1'), 1, [intent('i1')], episode({ episode: 1 }))).toBe(true);
    expect(file.journal().recordExecution(execution('e1'), 2, [], episode({ episode: 2 }))).toBe(false);
    expect(file.journal().episodes()[0]!.episode).toBe(1);
    const clash = intent('i1', { sourceId: 'e2' });
    expect(() => file.journal().recordExecution(execution('e2'), 3, [clash], episode({ episode: 9 }))).toThrow(/UNIQUE/);
    expect(file.journal().hasExecution(executionId('e2'))).toBe(false);
    expect(file.journal().episodes()[0]!.episode).toBe(1);
  });

  it('issue 11 #3: a group commit writes each leader episode once, the last one, and a failed execution in it adds none', () => {
    const changes = () => statement(file.journal().db, 'SELECT total_changes()').pluck().get() as number;
    const before = changes();
    file.journal().batch(() => {
      expect(file.journal().recordExecution(execution('e1'), 1, [], episode({ episode: 1 }))).toBe(true);
      expect(file.journal().recordExecution(execution('e2'), 2, [], episode({ episode: 2 }))).toBe(true);
      expect(file.journal().episodes()[0]!.episode).toBe(2);
      expect(file.journal().recordExecution(execution('e3'), 3, [], episode({ episode: 3 }))).toBe(true);
      const clash = intent('x', { sourceId: 'e4' });
      file.journal().recordExecution(execution('e4'), 4, [clash], episode({ episode: 4 }));
      expect(() => file.journal().recordExecution(execution('e5'), 5, [intent('x', { sourceId: 'e5' })], episode({ episode: 5 }))).toThrow(/UNIQUE/);
    });
    expect(file.journal().episodes().map((e) => e.episode)).toEqual([4]);
    // 4 executions, 1 intent, 2 episode upserts (the read inside, the commit; not 4), and e5's execution rolled back
    // (total_changes counts it).
    expect(changes() - before).toBe(8);
    expect(() => file.journal().batch(() => {
      file.journal().recordExecution(execution('e6'), 6, [], episode({ episode: 6 }));
      throw new Error('boom');
    })).toThrow('boom');
    reopen();
    expect(file.journal().episodes().map((e) => e.episode)).toEqual([4]);
  });

  it('a row with unreadable parts fails loudly with a store error naming the episode', () => {
    file.journal().saveEpisode(episode());
    statement(file.journal().db, "UPDATE episodes SET parts = '{oops'").run();
    expect(() => file.journal().episodes()).toThrow(/episode leader AAPL has unreadable parts/);
  });
});

describe('waits', () => {
  it('upserts one wait per link and symbol, deletes it, and survives a reopen', () => {
    const l = linkId('leader->f1');
    file.journal().saveWait({ linkId: l, symbol: 'AAPL', leaderSymbol: 'AAPL', purpose: 'copy', sourceId: 'e1', executionId: executionId('e1'), orderTag: 'strat-a', due: 100 });
    file.journal().saveWait({ linkId: l, symbol: 'AAPL', leaderSymbol: 'AAPL', purpose: 'copy', sourceId: 'e2', due: 200 });
    file.journal().saveWait({ linkId: l, symbol: 'MSFT', leaderSymbol: 'MSFT', purpose: 'repair', sourceId: 'repair:x', due: 50 });
    reopen();
    expect(file.journal().waits()).toEqual([
      { linkId: l, symbol: 'MSFT', leaderSymbol: 'MSFT', purpose: 'repair', sourceId: 'repair:x', due: 50 },
      { linkId: l, symbol: 'AAPL', leaderSymbol: 'AAPL', purpose: 'copy', sourceId: 'e2', due: 200 },
    ]);
    file.journal().deleteWait(l, 'MSFT');
    expect(file.journal().waits().map((w) => w.symbol)).toEqual(['AAPL']);
  });
});
