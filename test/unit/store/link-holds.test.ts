// Link holds through SqliteJournal: new links' start choices, left-alone follower symbols and unplanned leader moves,
// upserted, deleted and read back exactly after a reopen; an unreadable confirmed-orders column confirms nothing.
import { describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { executionId, linkId } from '../../../core/domain/ids.js';
import { statement } from '../../../core/store/statements.js';
import { fileJournalPerTest } from './fixtures.js';

const file = fileJournalPerTest();
const reopen = file.reopen;

const A = linkId('lead->f1');
const B = linkId('lead->f2');

describe('link holds', () => {
  it('round-trips start choices (with and without confirmed orders) and upserts by link', () => {
    file.journal().saveLinkStart({ linkId: A, start: 'new_only' });
    file.journal().saveLinkStart({ linkId: B, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] });
    file.journal().saveLinkStart({ linkId: A, start: 'align' });
    reopen();
    expect(file.journal().linkStarts()).toEqual([
      { linkId: A, start: 'align' },
      { linkId: B, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] },
    ]);
    file.journal().deleteLinkStart(A);
    reopen();
    expect(file.journal().linkStarts().map((s) => s.linkId)).toEqual([B]);
  });

  it('keeps left-alone symbols once each until released', () => {
    file.journal().saveLeftAlone({ linkId: A, symbol: 'MES' });
    file.journal().saveLeftAlone({ linkId: A, symbol: 'MES' });
    file.journal().saveLeftAlone({ linkId: A, symbol: 'AAPL' });
    file.journal().saveLeftAlone({ linkId: B, symbol: 'MES' });
    file.journal().deleteLeftAlone({ linkId: A, symbol: 'MES' });
    reopen();
    expect(file.journal().leftAlone()).toEqual([{ linkId: A, symbol: 'AAPL' }, { linkId: B, symbol: 'MES' }]);
  });

  it('an unreadable or malformed confirmed-orders column reads as nothing confirmed, never as orders to send', () => {
    file.journal().saveLinkStart({ linkId: A, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] });
    file.journal().saveLinkStart({ linkId: B, start: 'align', orders: [{ symbol: 'ES', side: 'sell', qty: '1' }] });
    statement(file.journal().db, 'UPDATE link_starts SET orders = ? WHERE link_id = ?').run('{not json', A);
    statement(file.journal().db, 'UPDATE link_starts SET orders = ? WHERE link_id = ?').run('[{"symbol":"ES","side":"short","qty":"1"}]', B);
    expect(file.journal().linkStarts()).toEqual([
      { linkId: A, start: 'align', orders: [] },
      { linkId: B, start: 'align', orders: [] },
    ]);
  });

  it('keeps the latest unplanned leader move per link and leader symbol until deleted', () => {
    file.journal().saveUnplanned({ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-1'), price: dec('5012.25'), orderTag: 'swing' });
    file.journal().saveUnplanned({ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') });
    file.journal().saveUnplanned({ linkId: B, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') });
    file.journal().deleteUnplanned(B, 'MES');
    reopen();
    expect(file.journal().unplanned()).toEqual([{ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') }]);
  });
});
