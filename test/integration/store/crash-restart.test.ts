// The journal survives a SIGKILLed writer: synchronous writes and flushed updates are there, the database opens
// cleanly (WAL recovery), passes an integrity check, and a second connection can read while the writer lives.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, openJournal } from '../../../core/store/index.js';
import { readPragma, statement } from '../../../core/store/statements.js';
import { executionId } from '../../../core/domain/ids.js';
import { execution, tempDir } from '../../unit/store/fixtures.js';

const WRITER = fileURLToPath(new URL('./journal-writer.ts', import.meta.url));
let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

describe('journal after a killed writer', () => {
  it('keeps every committed row and recovers cleanly', async () => {
    const path = tmp.path();
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, '200'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
    });

    const reader = openDatabase(path);
    expect(statement(reader, 'SELECT count(*) FROM executions').pluck().get()).toBe(200);
    reader.close();

    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const journal = openJournal(path);
    expect(statement(journal.db, 'SELECT count(*) FROM intents').pluck().get()).toBe(600);
    expect(readPragma(journal.db, 'integrity_check')).toBe('ok');
    const open = journal.openIntents();
    expect(open).toHaveLength(300);
    expect(open.every((i) => i.status === 'planned')).toBe(true);
    expect(journal.queries.listCopies({ status: 'filled' }).total).toBe(300);
    expect(journal.hasExecution(executionId('e199'))).toBe(true);
    expect(journal.recordExecution(execution('e5'), 0, [])).toBe(false);
    journal.close();
  });
});
