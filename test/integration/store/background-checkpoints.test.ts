// WAL checkpoints in a worker thread (core/store/checkpointer.ts): while the worker runs, the main connection never
// checkpoints on commit (its fsyncs stalled the copy path 30-40 ms at a time); the worker does, and if it dies the
// main connection takes checkpoints back. Real SQLite files, a real worker thread.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTOCHECKPOINT_PAGES } from '../../../core/store/checkpointer.js';
import { openJournal, type SqliteJournal } from '../../../core/store/index.js';
import { readPragma } from '../../../core/store/statements.js';
import { execution, intent, tempDir } from '../../unit/store/fixtures.js';

let tmp: ReturnType<typeof tempDir>;
let journal: SqliteJournal | undefined;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  journal?.close();
  journal = undefined;
  tmp.cleanup();
});

const until = async (check: () => boolean, what: string): Promise<void> => {
  const end = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

function record(j: SqliteJournal, from: number, n: number): void {
  for (let k = from; k < from + n; k++) j.recordExecution(execution(`x${k}`), k, [intent(`i${k}`, { sourceId: `x${k}`, executionId: undefined })]);
}

describe('background checkpoints', () => {
  it('the worker checkpoints while the main connection does not, and the journal reads back whole after reopening', async () => {
    const j = (journal = openJournal(tmp.path(), { backgroundCheckpoints: { intervalMs: 200 } }));
    await until(() => j.checkpointer?.running === true, 'the worker to start');
    expect(readPragma(j.db, 'wal_autocheckpoint')).toBe(0);
    record(j, 0, 300);
    await until(() => (j.checkpointer?.checkpoints ?? 0) >= 1, 'a checkpoint by the worker');
    record(j, 300, 10);
    await until(() => (j.checkpointer?.checkpoints ?? 0) >= 2, 'a second checkpoint after more writes');
    await until(() => (j.checkpointer?.restarts ?? 0) >= 1, 'the worker restarting the WAL after an emptying checkpoint');
    expect(j.queries.getMeta('checkpointer.walRestartedAt'), 'the worker committed the restart itself').toMatch(/^\d+$/);
    const idle = j.checkpointer!.checkpoints;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(j.checkpointer!.checkpoints, 'no checkpoints while nothing is written (its own restart row does not count)').toBe(idle);
    j.close();
    journal = openJournal(tmp.path());
    expect(journal.openIntents()).toHaveLength(310);
    expect(readPragma(journal.db, 'integrity_check')).toBe('ok');
  });

  it('when the worker dies the main connection checkpoints on commit again', async () => {
    const errors: string[] = [];
    const original = console.error;
    console.error = (line: string) => errors.push(line);
    try {
      const j = (journal = openJournal(tmp.path(), { backgroundCheckpoints: true }));
      await until(() => j.checkpointer?.running === true, 'the worker to start');
      await (j.checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
      await until(() => j.checkpointer?.running === false, 'the main connection to take checkpoints back');
      expect(readPragma(j.db, 'wal_autocheckpoint')).toBe(AUTOCHECKPOINT_PAGES);
      expect(errors.join('\n')).toMatch(/background checkpoints stopped \(checkpoint worker exited/);
      record(j, 0, 10);
      expect(j.openIntents()).toHaveLength(10);
    } finally {
      console.error = original;
    }
  });

  it('is off by default and for an in-memory journal', () => {
    journal = openJournal(tmp.path());
    expect(journal.checkpointer).toBeUndefined();
    expect(readPragma(journal.db, 'wal_autocheckpoint')).toBe(AUTOCHECKPOINT_PAGES);
    const mem = openJournal(':memory:', { backgroundCheckpoints: true });
    expect(mem.checkpointer).toBeUndefined();
    mem.close();
  });
});
