// Child process for the crash test: journals executions, updates half of their intents and flushes, then
// reports "ready" and keeps the database open until it is killed. Usage: node --import tsx journal-writer.ts <db path> <executions>
import { dec } from '../../../core/domain/decimal.js';
import { accountId, executionId, intentId } from '../../../core/domain/ids.js';
import { openJournal } from '../../../core/store/index.js';
import { execution, intent } from '../../unit/store/fixtures.js';

const [path, count] = [process.argv[2]!, Number(process.argv[3] ?? 100)];
const journal = openJournal(path);
const followers = ['f1', 'f2', 'f3'].map(accountId);
for (let e = 0; e < count; e++) {
  const source = `e${e}`;
  journal.recordExecution(
    execution(source),
    e,
    followers.map((f) => intent(`${source}-${f}`, { sourceId: source, followerAccountId: f })),
  );
}
for (let e = 0; e < count / 2; e++) {
  for (const f of followers) journal.updateIntent(intentId(`e${e}-${f}`), { status: 'filled', filledQty: dec(5), filledAt: e });
}
journal.flush();
process.stdout.write('ready\n');
setInterval(() => journal.hasExecution(executionId('e0')), 1_000);
