// Store test fixtures: temp directories, a journal file per test, leader executions and copy intents with sensible
// defaults.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { dec } from '../../../core/domain/decimal.js';
import { accountId, clientOrderId, executionId, intentId, linkId } from '../../../core/domain/ids.js';
import type { Execution } from '../../../core/domain/order.js';
import type { CopyIntent } from '../../../core/ports/journal.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';

/** A fresh temp directory and a function that removes it. */
export function tempDir(): { readonly dir: string; readonly path: (name?: string) => string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'mirrordesk-store-'));
  return { dir, path: (name = 'journal.sqlite') => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A journal on a fresh temp file for each test (registers beforeEach/afterEach): `journal()` is the open one,
 * `reopen()` closes it and opens the same file again, `path()` is the file.
 */
export function fileJournalPerTest(): { readonly journal: () => SqliteJournal; readonly reopen: () => void; readonly path: () => string } {
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
  return {
    journal: () => journal,
    path: () => tmp.path(),
    reopen: () => {
      journal.close();
      journal = openJournal(tmp.path());
    },
  };
}

export function execution(id: string, over: Partial<Execution> = {}): Execution {
  return {
    id: executionId(id),
    accountId: accountId('leader'),
    symbol: 'AAPL',
    side: 'buy',
    qty: dec('10'),
    price: dec('190.25'),
    time: 1_700_000_000_000,
    orderTag: 'strat-a',
    raw: { execution_id: id, note: 'raw leader payload' },
    ...over,
  };
}

export function intent(id: string, over: Partial<CopyIntent> = {}): CopyIntent {
  const follower = over.followerAccountId ?? accountId('f1');
  const source = over.sourceId ?? 'e1';
  const attempt = over.attempt ?? 0;
  return {
    id: intentId(id),
    linkId: linkId(`link-${follower}`),
    leaderAccountId: accountId('leader'),
    followerAccountId: follower,
    sourceId: source,
    executionId: executionId(source),
    attempt,
    clientOrderId: clientOrderId(`md1-${follower}-${source}-${attempt}-${id}`),
    leaderSymbol: 'AAPL',
    symbol: 'AAPL',
    side: 'buy',
    qty: dec('5'),
    orderType: 'market',
    purpose: 'copy',
    dryRun: false,
    target: dec('5'),
    leaderPrice: dec('190.25'),
    status: 'planned',
    filledQty: dec('0'),
    leaderReceivedAt: 1_700_000_000_100,
    createdAt: 1_700_000_000_101,
    ...over,
  };
}

/** Resolves after pending setImmediate callbacks (the write-behind flush) have run. */
export const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
