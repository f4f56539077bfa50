// Link holds through SqliteJournal: new links' start choices, left-alone follower symbols and unplanned leader moves,
// upserted, deleted and read back exactly after a reopen; an unreadable confirmed-orders column confirms nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { executionId, linkId } from '../../../core/domain/ids.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { statement } from '../../../core/store/statements.js';
import { tempDir } from './fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let journal: SqliteJournal;
beforeEach(() => {
  tmp = tempDir();
  journal = openJournal(tmp.path());
});
afterEach(() => {
  journal.close();
  tmp.cleanup();
});
const reopen = () => {
  journal.close();
  journal = openJournal(tmp.path());
};

const A = linkId('lead->f1');
const B = linkId('lead->f2');

describe('link holds', () => {
  it('round-trips start choices (with and without confirmed orders) and upserts by link', () => {
    journal.saveLinkStart({ linkId: A, start: 'new_only' });
    journal.saveLinkStart({ linkId: B, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] });
    journal.saveLinkStart({ linkId: A, start: 'align' });
    reopen();
    expect(journal.linkStarts()).toEqual([
      { linkId: A, start: 'align' },
      { linkId: B, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] },
    ]);
    journal.deleteLinkStart(A);
    reopen();
    expect(journal.linkStarts().map((s) => s.linkId)).toEqual([B]);
  });

  it('keeps left-alone symbols once each until released', () => {
    journal.saveLeftAlone({ linkId: A, symbol: 'MES' });
    journal.saveLeftAlone({ linkId: A, symbol: 'MES' });
    journal.saveLeftAlone({ linkId: A, symbol: 'AAPL' });
    journal.saveLeftAlone({ linkId: B, symbol: 'MES' });
    journal.deleteLeftAlone({ linkId: A, symbol: 'MES' });
    reopen();
    expect(journal.leftAlone()).toEqual([{ linkId: A, symbol: 'AAPL' }, { linkId: B, symbol: 'MES' }]);
  });

  it('an unreadable or malformed confirmed-orders column reads as nothing confirmed, never as orders to send', () => {
    journal.saveLinkStart({ linkId: A, start: 'align', orders: [{ symbol: 'MES', side: 'buy', qty: '2' }] });
    journal.saveLinkStart({ linkId: B, start: 'align', orders: [{ symbol: 'ES', side: 'sell', qty: '1' }] });
    statement(journal.db, 'UPDATE link_starts SET orders = ? WHERE link_id = ?').run('{not json', A);
    statement(journal.db, 'UPDATE link_starts SET orders = ? WHERE link_id = ?').run('[{"symbol":"ES","side":"short","qty":"1"}]', B);
    expect(journal.linkStarts()).toEqual([
      { linkId: A, start: 'align', orders: [] },
      { linkId: B, start: 'align', orders: [] },
    ]);
  });

  it('keeps the latest unplanned leader move per link and leader symbol until deleted', () => {
    journal.saveUnplanned({ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-1'), price: dec('5012.25'), orderTag: 'swing' });
    journal.saveUnplanned({ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') });
    journal.saveUnplanned({ linkId: B, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') });
    journal.deleteUnplanned(B, 'MES');
    reopen();
    expect(journal.unplanned()).toEqual([{ linkId: A, leaderSymbol: 'MES', executionId: executionId('x-2'), price: dec('5013') }]);
  });
});
